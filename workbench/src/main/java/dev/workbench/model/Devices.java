package dev.workbench.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Turns the recipe's {@code training.devices} into DJL devices, and checks that the requested precision can run there.
 *
 * <p>Device strings: {@code auto} (every visible GPU, else the CPU), {@code cpu}, {@code gpu} (every visible GPU),
 * {@code gpu:N}; several {@code gpu:N} mean data parallel.
 */
public final class Devices {
    static final String NO_GPU = "no GPU visible to PyTorch (CUDA natives not installed? see README GPU section)";
    private static final ConcurrentHashMap<String, PrecisionProbe.Result> PROBES = new ConcurrentHashMap<>();

    private Devices() {
    }

    /**
     * Why this build refuses to train at {@code precision}, or empty for fp32 (the only precision it trains at):
     * bf16 because DJL 0.36's PyTorch JNI aborts the whole JVM on bfloat16 tensors, fp16 because half-precision
     * training needs loss scaling (optim.LossScaler, used by the loop's withLossScaling) and half-precision compute
     * over fp32 master weights, which is not wired.
     */
    public static Optional<String> trainingRefusal(Training.Precision precision) {
        return switch (precision) {
            case FP32 -> Optional.empty();
            case BF16 -> Optional.of("training.precision bf16 is not supported: DJL 0.36's PyTorch engine aborts the "
                    + "JVM on bfloat16 tensors; use fp32");
            case FP16 -> Optional.of("training.precision fp16 is not supported yet: the loss scaler exists, but "
                    + "half-precision forward passes over fp32 master weights are not wired and have never run on a "
                    + "GPU; use fp32");
        };
    }

    public static List<Device> select(List<String> requested) {
        return select(requested, Engine.getInstance().getGpuCount());
    }

    static List<Device> select(List<String> requested, int gpuCount) {
        if (requested.isEmpty()) {
            throw WorkbenchException.invalid("training.devices is empty; use auto, cpu, gpu or gpu:N");
        }
        Set<Device> devices = new LinkedHashSet<>();
        for (String raw : requested) {
            String spec = raw.trim().toLowerCase(Locale.ROOT);
            if (spec.equals("auto")) {
                devices.addAll(gpuCount > 0 ? allGpus(gpuCount) : List.of(Device.cpu()));
            } else if (spec.equals("cpu")) {
                devices.add(Device.cpu());
            } else if (spec.equals("gpu")) {
                if (gpuCount == 0) {
                    throw WorkbenchException.environment("training.devices asks for gpu but " + NO_GPU);
                }
                devices.addAll(allGpus(gpuCount));
            } else if (spec.matches("gpu:\\d{1,4}")) {
                int index = Integer.parseInt(spec.substring(4));
                if (gpuCount == 0) {
                    throw WorkbenchException.environment("training.devices asks for " + spec + " but " + NO_GPU);
                }
                if (index >= gpuCount) {
                    throw WorkbenchException.environment("training.devices asks for " + spec + " but PyTorch sees "
                            + gpuCount + " GPU" + (gpuCount == 1 ? "" : "s") + ": " + names(allGpus(gpuCount)));
                }
                if (!devices.add(Device.gpu(index))) {
                    throw WorkbenchException.invalid("training.devices lists " + spec + " twice");
                }
            } else {
                throw WorkbenchException.invalid("training.devices: unknown device '" + raw
                        + "'; use auto, cpu, gpu or gpu:N");
            }
        }
        boolean cpu = devices.contains(Device.cpu());
        if (cpu && devices.size() > 1) {
            throw WorkbenchException.invalid("training.devices mixes cpu and GPUs (" + names(devices)
                    + "); data parallel training needs GPUs only");
        }
        return List.copyOf(devices);
    }

    private static List<Device> allGpus(int gpuCount) {
        return IntStream.range(0, gpuCount).mapToObj(Device::gpu).toList();
    }

    private static String names(java.util.Collection<Device> devices) {
        List<String> names = new ArrayList<>();
        devices.forEach(d -> names.add(d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu"));
        return String.join(", ", names);
    }

    /**
     * Refuses precisions the devices cannot run: fp16 needs a GPU (PyTorch's CPU half kernels are incomplete); bf16 is
     * allowed only if a tiny probe in a child JVM survives, because with DJL 0.36's PyTorch engine any bf16 tensor
     * aborts the whole process (no bf16 in its JNI dtype table) and an in-process test would kill the run.
     */
    public static void checkPrecision(Training.Precision precision, List<Device> devices) {
        Device first = devices.get(0);
        switch (precision) {
            case FP32 -> {
            }
            case FP16 -> {
                if (!first.isGpu()) {
                    throw WorkbenchException.environment("training.precision fp16 needs a GPU; on the CPU use fp32");
                }
            }
            case BF16 -> {
                String device = first.isGpu() ? "gpu:" + first.getDeviceId() : "cpu";
                PrecisionProbe.Result result = PROBES.computeIfAbsent(device, PrecisionProbe::runBf16);
                if (!result.ok()) {
                    throw WorkbenchException.environment("training.precision bf16 does not work on " + device
                            + " with this DJL/PyTorch build (" + result.detail() + "); use fp32"
                            + (first.isGpu() ? " or fp16" : ""));
                }
            }
        }
    }
}
