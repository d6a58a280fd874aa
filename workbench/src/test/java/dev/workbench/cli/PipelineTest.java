package dev.workbench.cli;

import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.DiskFullException;
import dev.workbench.store.RunManifest;
import dev.workbench.store.RunStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run leaves behind when a stage fails, diverges, or the report cannot be written; and resuming. */
class PipelineTest {
    @TempDir
    Path dir;

    Recipe recipe;
    RunStore store;
    final PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());

    @BeforeEach
    void tinyRecipe() throws IOException {
        Files.writeString(dir.resolve("table.csv"), "a,b\n1,x\n2,y\n3,x\n4,y\n5,x\n6,y\n7,x\n8,y\n9,x\n10,y\n");
        Files.writeString(dir.resolve("r.yaml"), """
                name: r
                corpus: {table: {path: table.csv}}
                split: {method: random}
                synthesize: {methods: [independent]}
                """);
        recipe = RecipeReader.read(dir.resolve("r.yaml"), List.of());
        store = new RunStore(dir.resolve("runs"));
    }

    @Test
    void aDivergingStageLeavesAPartialRunMarkedDivergedAndExitsFour() throws IOException {
        Pipeline pipeline = pipeline(List.of(new Fixed("first", null), new Fixed("train",
                new WorkbenchException(WorkbenchException.Kind.DIVERGED, "loss became NaN at step 4"))));
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> pipeline.run(recipe, "name: r\n", List.of(), Optional.empty()));
        assertEquals(4, Failures.exitCode(e));
        RunStore.RunEntry run = store.list().get(0);
        assertFalse(run.complete());
        assertTrue(run.folder().getFileName().toString().endsWith(RunStore.PARTIAL_SUFFIX));
        assertEquals("diverged", run.status());
        List<RunManifest.StageRecord> stages = run.manifest().orElseThrow().stages();
        assertEquals(List.of("completed", "diverged"), stages.stream().map(RunManifest.StageRecord::status).toList());
        assertEquals("loss became NaN at step 4", stages.get(1).message());
        assertFalse(Files.exists(dir.resolve("reports")), "no report for a run that did not complete");
    }

    @Test
    void aFailedRunIsResumedInItsOwnFolderAndThenCommitted() throws Exception {
        Fixed flaky = new Fixed("train", new IllegalStateException("disk full"));
        Exception e = assertThrows(IllegalStateException.class,
                () -> pipeline(List.of(flaky)).run(recipe, "name: r\n", List.of(), Optional.empty()));
        assertEquals(1, Failures.exitCode(e));
        RunStore.RunEntry failed = store.list().get(0);
        assertEquals("failed", failed.status());

        flaky.failure = null;
        Pipeline.Outcome outcome = pipeline(List.of(flaky)).run(recipe, "name: r\n", List.of(),
                Optional.of(failed.runId()));
        assertEquals(failed.runId(), outcome.runId());
        assertEquals(failed.folder(), flaky.seenFolders.get(1), "the resumed stage works in the same folder");
        assertEquals(Optional.of(failed.folder()), flaky.seenResume.get(1));
        RunStore.RunEntry done = store.list().get(0);
        assertTrue(done.complete());
        assertEquals("completed", done.status());
        assertEquals(1, store.list().size());
        assertTrue(Files.isRegularFile(outcome.reportFolder().resolve("report.json")));

        WorkbenchException again = assertThrows(WorkbenchException.class, () -> pipeline(List.of(flaky))
                .run(recipe, "name: r\n", List.of(), Optional.of(failed.runId())));
        assertEquals(2, Failures.exitCode(again), "a completed run is not resumed: " + again.getMessage());
    }

    @Test
    void aReportThatCannotBeWrittenLeavesTheRunCommitted() throws IOException {
        Stage brokenReport = new Fixed("report", new IllegalStateException("template missing"));
        Pipeline pipeline = new Pipeline(store, dir.resolve("reports"), quiet, List.of(new Fixed("a", null)),
                brokenReport);
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> pipeline.run(recipe, "name: r\n", List.of(), Optional.empty()));
        assertEquals(1, Failures.exitCode(e));
        assertTrue(e.getMessage().contains("workbench report"), e.getMessage());
        assertTrue(store.list().get(0).complete());
    }

    @Test
    void aFullDiskNamesTheFileCleansTheStagingAndLeavesTheManifestSayingDiskFull() throws IOException {
        Stage fillsTheDisk = new Fixed("synthesize", null) {
            @Override
            public void run(RunContext context) throws IOException {
                Path staging = Files.createDirectories(context.runFolder().resolve("synthetic/.ctgan.tmp-1"));
                Path weights = Files.writeString(staging.resolve("model.safetensors"), "half a tensor");
                throw DiskFullException.naming(weights, new IOException("No space left on device"));
            }
        };
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> pipeline(List.of(fillsTheDisk)).run(recipe, "name: r\n", List.of(), Optional.empty()));
        assertEquals(7, Failures.exitCode(e));
        RunStore.RunEntry run = store.list().get(0);
        assertTrue(e.getMessage().startsWith("disk full: no space left on device while writing "
                + run.folder().resolve("synthetic/.ctgan.tmp-1/model.safetensors")), e.getMessage());
        assertTrue(e.getMessage().contains("--resume " + run.runId()), e.getMessage());
        assertFalse(Files.exists(run.folder().resolve("synthetic/.ctgan.tmp-1")), "staging folder removed");
        assertEquals("failed", run.status());
        RunManifest.StageRecord stage = run.manifest().orElseThrow().stages().get(0);
        assertEquals("failed", stage.status());
        assertTrue(stage.message().startsWith("disk full: "), stage.message());
    }

    @Test
    void aRunAnotherWriterHoldsIsRefusedWithExitSixAndTheHolder() throws Exception {
        Fixed flaky = new Fixed("train", new IllegalStateException("boom"));
        assertThrows(IllegalStateException.class,
                () -> pipeline(List.of(flaky)).run(recipe, "name: r\n", List.of(), Optional.empty()));
        RunStore.RunEntry failed = store.list().get(0);
        try (var held = store.lock("r", failed.runId())) {
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> pipeline(List.of(flaky))
                    .run(recipe, "name: r\n", List.of(), Optional.of(failed.runId())));
            assertEquals(6, Failures.exitCode(e));
            assertTrue(e.getMessage().contains("process " + ProcessHandle.current().pid()), e.getMessage());
        }
    }

    @Test
    void theClosingLineHasTheTotalEveryStageThatRanAndTheReport() {
        Pipeline.Outcome outcome = new Pipeline.Outcome("20260101-000000-abcdef", dir, dir.resolve("rep"), List.of(
                new RunManifest.StageRecord("finetune", "completed", 1651.1094, null),
                new RunManifest.StageRecord("synthesize", "skipped", 0, "not requested by the recipe"),
                new RunManifest.StageRecord("evaluate", "completed", 4.25, null)), 0.5, 1700);
        assertEquals("run 20260101-000000-abcdef done in 28 min 20 s (finetune 27 min 31 s, evaluate 4.3 s, "
                + "report 0.5 s); report: " + dir.resolve("rep/report.html"),
                RunCommand.summary(outcome, dir.resolve("rep/report.html")));
    }

    private Pipeline pipeline(List<Stage> stages) {
        return new Pipeline(store, dir.resolve("reports"), quiet, stages, Stages.report());
    }

    /** A stage that throws {@code failure} (when set) and remembers where it ran. */
    private static class Fixed implements Stage {
        final String name;
        Exception failure;
        final List<Path> seenFolders = new ArrayList<>();
        final List<Optional<Path>> seenResume = new ArrayList<>();

        Fixed(String name, Exception failure) {
            this.name = name;
            this.failure = failure;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean enabled(Recipe recipe) {
            return true;
        }

        @Override
        public void run(RunContext context) throws Exception {
            seenFolders.add(context.runFolder());
            seenResume.add(context.resumeFrom());
            if (failure != null) {
                throw failure;
            }
        }
    }
}
