package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.recipe.RecipeFields;
import dev.workbench.store.AtomicDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** validate, schema, runs list and completion through the same CommandLine set-up as {@link Main#execute}. */
class RecipeCommandsTest {
    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        cli.setExitCodeExceptionMapper(Failures::exitCode);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
    }

    @Test
    void commandsAreRegisteredInMain() {
        var names = new CommandLine(new Main()).getSubcommands().keySet();
        for (String name : new String[] {"validate", "schema", "doctor", "runs", "completion"}) {
            assertTrue(names.contains(name), name + " missing from Main: " + names);
        }
    }

    @Test
    void validateSummarisesAGoodRecipe() {
        Result r = run("validate", repoRoot().resolve("recipes/quickstart.yaml").toString(),
                "--set", "training.max_steps=30");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("quickstart.yaml: ok"), r.out());
        assertTrue(r.out().contains("30 steps"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void validatePrintsEveryProblemToStderrAndExits2() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\ncorpus: {text: {path: t.txt}}\nfinetune: {tasks: [language_model]}\n"
                + "base_model: {preset: nano}\ntraining:\n  learnig_rate: 1\n  batch_size: -4\n");
        Result r = run("validate", bad.toString(), "--set", "training.lr=0.1");
        assertEquals(2, r.exitCode());
        assertEquals("", r.out(), "nothing on stdout for a bad recipe");
        assertEquals(bad + ":6:3: error: training.learnig_rate: unknown key\n"
                + "  hint: did you mean 'learning_rate'?\n"
                + bad + ":7:15: error: training.batch_size: must be at least 1, got -4\n"
                + "--set training.lr=0.1: error: training.lr: unknown key\n"
                + "  hint: did you mean 'training.learning_rate' or 'training.lr_schedule'?\n"
                + "3 problems in " + bad + "\n", r.err());
        assertEquals(1, Files.list(dir).count(), "validate writes nothing");
    }

    @Test
    void schemaPrintsTheJsonSchema() throws IOException {
        Result r = run("schema");
        assertEquals(0, r.exitCode());
        JsonNode schema = new ObjectMapper().readTree(r.out());
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
        assertTrue(schema.at("/properties/training/properties/learning_rate/default").isNumber());
        assertTrue(RecipeFields.ALL.contains("training.learning_rate"));
    }

    @Test
    void runsListShowsCompleteAndIncompleteRuns() throws IOException {
        Path runs = dir.resolve("runs");
        Files.createDirectories(runs.resolve("quickstart/20261129-100000-aaaaaa.partial"));
        Path done = Files.createDirectories(runs.resolve("quickstart/20261129-090000-bbbbbb"));
        Files.writeString(done.resolve(AtomicDirectory.COMMIT_MARKER), "ok\n");
        Result empty = run("runs", "list", "--runs", dir.resolve("none").toString());
        assertEquals(0, empty.exitCode());
        assertTrue(empty.out().startsWith("no runs in "), empty.out());

        Result table = run("runs", "list", "--runs", runs.toString());
        assertEquals(0, table.exitCode(), table.err());
        String[] lines = table.out().split("\n");
        assertEquals(3, lines.length, table.out());
        assertTrue(lines[1].startsWith("20261129-100000-aaaaaa") && lines[1].contains("incomplete"), lines[1]);

        Result json = run("runs", "list", "--runs", runs.toString(), "--json");
        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertEquals(2, rows.size());
        assertEquals("20261129-100000-aaaaaa", rows.get(0).get("run_id").asText());
        assertEquals(false, rows.get(0).get("complete").asBoolean(), "a .partial run is never complete");
        assertEquals(true, rows.get(1).get("complete").asBoolean(), "the committed run is complete");
        assertEquals("completed", rows.get(1).get("status").asText());
    }

    @Test
    void completionScriptCoversTheCommands() {
        Result r = run("completion");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("complete -F"), "a bash completion script");
        assertTrue(r.out().contains("validate") && r.out().contains("runs"), "names the subcommands");
    }
}
