package dev.workbench.cli.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the torch a Python interpreter would import: {@code python3 -c 'import torch'} prints the package folder.
 * Importing torch takes a second or two and can hang on a broken CUDA driver, hence the time limit.
 */
public final class TorchDiscovery {
    static final String SCRIPT = "import os, torch; print('WORKBENCH_TORCH_DIR=' + os.path.dirname(torch.__file__))";

    private TorchDiscovery() {
    }

    /** The torch folder (absent on failure) and a note saying what happened, for doctor. */
    public record Found(Path dir, String note) {
    }

    public static Found fromPython(String python, long timeoutSeconds) {
        Path log;
        try {
            log = Files.createTempFile("workbench-torch-discovery", ".txt");
        } catch (IOException e) {
            return new Found(null, "cannot create a temporary file (" + e.getMessage() + ")");
        }
        try {
            Process p = new ProcessBuilder(List.of(python, "-c", SCRIPT)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Found(null, python + " did not import torch within " + timeoutSeconds + " s");
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("WORKBENCH_TORCH_DIR=")) {
                    return new Found(Path.of(line.substring("WORKBENCH_TORCH_DIR=".length()).trim()),
                            "found by " + python);
                }
            }
            String last = lines.isEmpty() ? "exit code " + p.exitValue() : lines.get(lines.size() - 1).trim();
            return new Found(null, python + " has no torch (" + last + ")");
        } catch (IOException e) {
            return new Found(null, python + " cannot be started (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Found(null, "interrupted");
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a leftover temp file of a few bytes is harmless
            }
        }
    }
}
