package dev.workbench.cli;

import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.RunManifest;
import dev.workbench.store.RunStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --resume}: the recorded {@code --set} overrides come back; a conflicting one is refused (exit 5). */
class ResumeOverridesTest {
    @TempDir
    Path dir;
    Path recipeFile;
    RunStore store;
    String failedRun;

    @BeforeEach
    void aRunStartedWithSeedSevenThatFailed() throws IOException {
        Files.writeString(dir.resolve("table.csv"), "a,b\n1,x\n2,y\n3,x\n4,y\n5,x\n6,y\n7,x\n8,y\n9,x\n10,y\n");
        recipeFile = dir.resolve("r.yaml");
        Files.writeString(recipeFile, """
                name: r
                seed: 42
                corpus: {table: {path: table.csv}}
                split: {method: random}
                synthesize: {methods: [independent]}
                report: {formats: [json]}
                """);
        store = new RunStore(dir.resolve("runs"));
        List<String> recorded = List.of("seed=7");
        Recipe recipe = RecipeReader.read(recipeFile, recorded);
        Stage failing = new Stage() {
            @Override
            public String name() {
                return "synthesize";
            }

            @Override
            public boolean enabled(Recipe r) {
                return true;
            }

            @Override
            public void run(RunContext context) {
                throw new IllegalStateException("killed");
            }
        };
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        assertThrows(IllegalStateException.class, () -> new Pipeline(store, dir.resolve("reports"), quiet,
                List.of(failing), Stages.report()).run(recipe, "name: r\n", recorded, Optional.empty()));
        failedRun = store.list().get(0).runId();
    }

    private int run(ByteArrayOutputStream err, String... extra) {
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> args = new java.util.ArrayList<>(List.of("run", recipeFile.toString(), "--runs",
                    store.root().toString(), "--reports", dir.resolve("reports").toString(), "--resume", failedRun));
            args.addAll(List.of(extra));
            return Main.execute(args.toArray(String[]::new));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void resumingReappliesTheRecordedOverrides() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(err), err.toString(StandardCharsets.UTF_8));
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("with its recorded overrides [seed=7]"), log);
        assertTrue(!log.contains("warning: resuming a run trained with seed"), log);
        RunManifest manifest = store.list().get(0).manifest().orElseThrow();
        assertEquals("completed", manifest.status());
        assertEquals(7, manifest.seed());
        assertEquals(List.of("seed=7"), manifest.overrides());
    }

    @Test
    void aConflictingSetIsRefusedWithTheRecordedValueAndExitFive() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(5, run(err, "--set", "seed=42"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("--set seed=42: run " + failedRun + " was trained with seed=7 (recorded --set "
                + "in its manifest)"), message);
        assertEquals("failed", store.list().get(0).status(), "the refused resume changed nothing");
    }

    @Test
    void aSetThatChangesAValueTheRecipeGaveIsRefusedToo() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> ResumeOverrides.merge(recipeFile,
                failedRun, List.of("seed=7"), List.of("synthesize.methods=[gaussian-copula]")));
        assertEquals(5, Failures.exitCode(e));
        assertTrue(e.getMessage().startsWith("--set synthesize.methods=[gaussian-copula]: run " + failedRun
                + " was trained with synthesize.methods=[\"independent\"] (from the recipe)"), e.getMessage());
    }

    @Test
    void aSetThatRepeatsTheRecordedValueIsAccepted() {
        assertEquals(List.of("seed=7"), ResumeOverrides.merge(recipeFile, failedRun, List.of("seed=7"),
                List.of("seed=7")));
        assertEquals(List.of("seed=7"), ResumeOverrides.merge(recipeFile, failedRun, List.of("seed=7"),
                List.of("split.method=random")), "the recipe's own value changes nothing");
    }
}
