package dev.workbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Python reference run in the same invocation as the Java side (PyTorch, scikit-learn): a script from
 * {@code scripts/} reads a JSON spec file and prints its figures as one JSON object on its last line.
 */
final class PythonReference {
    private PythonReference() {
    }

    /**
     * Runs {@code script} on {@code specFile} and returns the JSON object it prints last; null (with the reason on
     * {@code out}) when it fails. The interpreter: {@code python}, else $WORKBENCH_PYTHON, else python3.
     */
    static JsonNode runJsonScript(String python, Path script, Path specFile, int threads, PrintWriter out)
            throws IOException, InterruptedException {
        String interpreter = python != null ? python : System.getenv().getOrDefault("WORKBENCH_PYTHON", "python3");
        ProcessBuilder builder = new ProcessBuilder(interpreter, script.toString(), specFile.toString())
                .redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String[] lines = output.strip().split("\n");
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            out.println("reference: " + interpreter + " " + script.getFileName() + " failed ("
                    + lines[lines.length - 1] + "); skipped");
            return null;
        }
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }
}
