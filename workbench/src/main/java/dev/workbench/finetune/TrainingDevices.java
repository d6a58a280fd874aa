package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one device training runs on, from {@code training.devices} and {@code training.precision}. This build trains on
 * ONE device in FP32 and refuses the rest plainly instead of half-doing it:
 * <ul>
 *   <li>several devices (data parallel): ENVIRONMENT, name one device;</li>
 *   <li>bf16: INVALID_INPUT, DJL 0.36's PyTorch JNI aborts the whole JVM on bfloat16 tensors;</li>
 *   <li>fp16: INVALID_INPUT, half-precision training needs loss scaling, which is not implemented.</li>
 * </ul>
 */
public final class TrainingDevices {
    private TrainingDevices() {
    }

    public static Device select(Training training) {
        if (training.precision() == Training.Precision.BF16) {
            throw WorkbenchException.invalid("training.precision bf16 is not supported: DJL 0.36's PyTorch engine "
                    + "aborts the JVM on bfloat16 tensors; use fp32");
        }
        if (training.precision() == Training.Precision.FP16) {
            throw WorkbenchException.invalid("training.precision fp16 is not supported (it needs loss scaling, which "
                    + "this build does not implement); use fp32");
        }
        Set<String> requested = new LinkedHashSet<>();
        for (String d : training.devices()) {
            requested.add(d.trim().toLowerCase(Locale.ROOT));
        }
        if (requested.size() > 1) {
            throw WorkbenchException.environment("training.devices lists " + List.copyOf(requested)
                    + ": data-parallel training over several devices is not supported by this build; list one device");
        }
        String spec = requested.isEmpty() ? "auto" : requested.iterator().next();
        int gpus = Engine.getInstance().getGpuCount();
        switch (spec) {
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu":
                return Device.cpu();
            default:
                if (!spec.startsWith("gpu")) {
                    throw WorkbenchException.invalid("training.devices: unknown device '" + spec
                            + "' (use auto, cpu, gpu or gpu:N)");
                }
                int index = spec.equals("gpu") ? 0 : parseIndex(spec);
                if (index >= gpus) {
                    throw WorkbenchException.environment("training.devices asks for " + spec + " but the PyTorch "
                            + "engine sees " + gpus + " GPU(s) (DJL 0.36 ships CPU natives only; a CUDA libtorch 2.7.1 "
                            + "must be provided via PYTORCH_LIBRARY_PATH)");
                }
                return Device.gpu(index);
        }
    }

    private static int parseIndex(String spec) {
        try {
            return Integer.parseInt(spec.substring(spec.indexOf(':') + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw WorkbenchException.invalid("training.devices: cannot read a GPU index from '" + spec + "'");
        }
    }
}
