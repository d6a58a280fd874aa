package dev.workbench.cli;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run that cannot start is refused before its run folder exists: no {@code runs/} folder (so no {@code .partial}
 * run to {@code --resume}, which could not help), and the message points at the recipe key.
 */
class RunRefusalsTest {
    @TempDir
    Path dir;
    private Path runs;
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void data() throws IOException {
        runs = dir.resolve("runs");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            text.append("the cat sat on the mat ").append(i).append(".\n\n");
        }
        Files.writeString(dir.resolve("text.txt"), text);
    }

    @Test
    void missingDataIsRefusedAtItsKey() throws IOException {
        int exit = run("""
                name: r
                base_model: {preset: nano}
                corpus: {text: {path: missing.txt}}
                finetune: {tasks: [language_model]}
                """);
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("r.yaml:3:23: error: corpus.text.path: no such file: missing.txt"),
                err.toString());
        assertNothingWritten();
    }

    /** validate and plan check the same inputs as run (today's missing file was "ok" for validate). */
    @Test
    void validateAndPlanRefuseMissingDataAtItsKeyToo() throws IOException {
        Files.writeString(dir.resolve("r.yaml"), """
                name: r
                base_model: {preset: nano}
                corpus: {text: {path: missing.txt}}
                finetune: {tasks: [language_model]}
                """);
        for (String command : new String[] {"validate", "plan"}) {
            StringWriter out = new StringWriter();
            StringWriter errors = new StringWriter();
            picocli.CommandLine cli = new picocli.CommandLine(new Main());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(errors, true));
            cli.setExecutionExceptionHandler(new Failures());
            cli.setExitCodeExceptionMapper(Failures::exitCode);
            assertEquals(2, cli.execute(command, dir.resolve("r.yaml").toString(), "--runs", runs.toString()),
                    command + ": " + errors);
            assertTrue(errors.toString().contains("r.yaml:3:23: error: corpus.text.path: no such file: missing.txt"),
                    command + ": " + errors);
            assertFalse(out.toString().contains(": ok"), out.toString());
        }
        assertNothingWritten();
    }

    @Test
    void aRefusedPrecisionIsRefusedBeforeTheRunFolder() throws IOException {
        int exit = run("""
                name: r
                base_model: {preset: nano}
                corpus: {text: {path: text.txt}}
                training: {precision: fp16}
                finetune: {tasks: [language_model]}
                """);
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("r.yaml:4:23: error: training.precision: fp16 is not supported"),
                err.toString());
        assertNothingWritten();
    }

    @Test
    void aBadBaseCheckpointIsRefusedBeforeTheRunFolder() throws IOException {
        Files.createDirectories(dir.resolve("base"));
        Files.writeString(dir.resolve("base/config.json"), "{}");
        int exit = run("""
                name: r
                base_model: {checkpoint: base}
                corpus: {text: {path: text.txt}}
                finetune: {tasks: [language_model]}
                """);
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("r.yaml:2:26: error: base_model.checkpoint: base: incomplete checkpoint"),
                err.toString());
        assertNothingWritten();
    }

    @Test
    void aGpuThatIsNotThereIsRefusedBeforeTheRunFolderAsAnEnvironmentProblem() throws IOException {
        Assumptions.assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        int exit = run("""
                name: r
                base_model: {preset: nano}
                corpus: {text: {path: text.txt}}
                training: {devices: [gpu]}
                finetune: {tasks: [language_model]}
                """);
        assertEquals(3, exit, err.toString());
        assertTrue(err.toString().contains("r.yaml:4:21: error: training.devices: asks for gpu but "
                + "no GPU visible"), err.toString());
        assertNothingWritten();
    }

    private int run(String recipe) throws IOException {
        Files.writeString(dir.resolve("r.yaml"), recipe);
        picocli.CommandLine cli = new picocli.CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(new Failures());
        cli.setExitCodeExceptionMapper(Failures::exitCode);
        return cli.execute("run", dir.resolve("r.yaml").toString(), "--runs", runs.toString(), "--reports",
                dir.resolve("reports").toString());
    }

    private void assertNothingWritten() {
        assertFalse(Files.exists(runs), "no run folder for a run that cannot start");
        assertFalse(Files.exists(dir.resolve("reports")));
        assertFalse(err.toString().contains("--resume"), err.toString());
    }
}
