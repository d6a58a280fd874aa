package dev.workbench.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.workbench.store.AtomicDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tiny bf16 computation in a child JVM ({@link #main}) and reports whether it survived. A child process because
 * the failure mode with DJL 0.36 is a native abort ("terminate called without an active exception") that no Java
 * code can catch.
 */
public final class PrecisionProbe {
    static final String OK = "bf16-probe-ok";
    private static final long TIMEOUT_SECONDS = 120;

    private PrecisionProbe() {
    }

    record Result(boolean ok, String detail) {
    }

    /** Child side: {@code PrecisionProbe cpu|gpu:N}; prints {@link #OK} when a bf16 matmul round trip works. */
    public static void main(String[] args) {
        Device device = args.length > 0 && args[0].startsWith("gpu:")
                ? Device.gpu(Integer.parseInt(args[0].substring(4))) : Device.cpu();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray a = manager.create(new float[] {1f, 2f, 3f, 4f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray product = a.toType(DataType.BFLOAT16, false).matMul(a.toType(DataType.BFLOAT16, false))
                    .toType(DataType.FLOAT32, false);
            float[] values = product.toFloatArray();
            // [[1,2],[3,4]]^2 = [[7,10],[15,22]], all exact in bf16
            if (values[0] == 7f && values[1] == 10f && values[2] == 15f && values[3] == 22f) {
                System.out.println(OK);
            }
        }
    }

    static Result runBf16(String device) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("workbench-bf16-probe");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                    "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + scratch.resolve("hs_err.log"),
                    "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                    PrecisionProbe.class.getName(), device);
            ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile()).redirectErrorStream(true);
            builder.environment().put("OPT_OUT_TRACKING", "true");
            builder.environment().put("DJL_OFFLINE", "true");
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(false, "probe did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() == 0 && text.contains(OK)) {
                return new Result(true, "ok");
            }
            String lastLine = text.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output");
            return new Result(false, "a bf16 probe process exited with " + process.exitValue() + ": " + lastLine);
        } catch (IOException e) {
            return new Result(false, "cannot start the probe process: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        } finally {
            if (scratch != null) {
                AtomicDirectory.deleteRecursively(scratch);
            }
        }
    }
}
