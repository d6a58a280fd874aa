package dev.workbench.finetune;

import ai.djl.Device;
import dev.workbench.model.Devices;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one device training runs on, from {@code training.devices} (parsed by the model package's {@link Devices}) and
 * {@code training.precision}. This build trains on ONE device in FP32 and refuses the rest plainly instead of
 * half-doing it:
 * <ul>
 *   <li>several devices listed (data parallel): ENVIRONMENT, list one device ({@code auto}/{@code gpu} on a multi-GPU
 *   host take the first GPU);</li>
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
        training.devices().forEach(d -> requested.add(d.trim().toLowerCase(Locale.ROOT)));
        if (requested.size() > 1) {
            throw WorkbenchException.environment("training.devices lists " + List.copyOf(requested)
                    + ": data-parallel training over several devices is not supported by this build; list one device");
        }
        List<Device> devices = Devices.select(training.devices());
        return devices.get(0);
    }
}
