package dev.workbench.finetune;

import ai.djl.Device;
import dev.workbench.model.Devices;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;

import java.util.List;

/**
 * The devices training runs on, from {@code training.devices} (parsed by the model package's {@link Devices}) and
 * {@code training.precision}. FP32 only; the rest is refused plainly instead of half-done:
 * <ul>
 *   <li>bf16: INVALID_INPUT, DJL 0.36's PyTorch JNI aborts the whole JVM on bfloat16 tensors;</li>
 *   <li>fp16: INVALID_INPUT; the loop has dynamic loss scaling ({@link TrainingLoop#withLossScaling}) but the
 *   half-precision forward pass over fp32 master weights is not wired (no GPU has been lent to test it).</li>
 * </ul>
 * Several GPUs ({@code [gpu:0, gpu:1]}, or {@code gpu} on a multi-GPU host; {@code auto} takes the first) train data
 * parallel
 * ({@link DataParallel}): the model lives on the first, each micro-batch is split across all of them.
 */
public final class TrainingDevices {
    private TrainingDevices() {
    }

    /** The first device: where the model, evaluation and the optimizer live. */
    public static Device select(Training training) {
        return all(training).get(0);
    }

    /** Every training device, the model's first; precision checked. */
    public static List<Device> all(Training training) {
        Devices.trainingRefusal(training.precision()).ifPresent(refusal -> {
            throw WorkbenchException.invalid(refusal);
        });
        List<Device> devices = Devices.select(training.devices());
        boolean onlyAuto = training.devices().stream().allMatch(d -> d.trim().equalsIgnoreCase("auto"));
        // auto means "a GPU if there is one": data parallel only when asked for (gpu, or a list of gpu:N)
        return onlyAuto ? List.of(devices.get(0)) : devices;
    }
}
