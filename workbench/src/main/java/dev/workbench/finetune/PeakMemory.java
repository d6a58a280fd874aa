package dev.workbench.finetune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of this process: the largest JVM heap use seen after a training step ({@link #onStep}) and the
 * resident-set high-water mark of the whole process ({@code VmHWM} in {@code /proc/self/status}, which includes
 * libtorch's native allocations that the heap figure cannot see). RSS is -1 where {@code /proc} does not exist.
 */
public final class PeakMemory implements TrainingListener {
    private long heapPeakBytes;

    @Override
    public void onStep(StepRecord step) {
        Runtime rt = Runtime.getRuntime();
        heapPeakBytes = Math.max(heapPeakBytes, rt.totalMemory() - rt.freeMemory());
    }

    public long heapPeakBytes() {
        return heapPeakBytes;
    }

    /** {@code VmHWM} in bytes, or -1 when unavailable. */
    public static long rssPeakBytes() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Both peaks in MiB, for a closing log line; {@code rssPeakBytes} < 0 is shown as unknown. */
    public static String describe(long heapPeakBytes, long rssPeakBytes) {
        return String.format("peak memory: JVM heap %.0f MiB, process RSS %s", heapPeakBytes / 1048576.0,
                rssPeakBytes < 0 ? "unknown" : String.format("%.0f MiB", rssPeakBytes / 1048576.0));
    }
}
