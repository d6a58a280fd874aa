package dev.workbench.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.store.RunManifest;
import dev.workbench.store.RunStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code workbench sweep} on embedded Spark (local[2]): trials are real runs, ranked, compared, resumable. */
@Tag("slow") // real runs, 100k-1M rows and several Spark sessions: 25-65 s on 2 cores
class SweepTest {

    @TempDir
    static Path work;

    static Path recipe;

    @BeforeAll
    static void writeRecipe() throws IOException {
        recipe = TinyRecipe.write(work.resolve("recipe"));
    }

    @Test
    void fourTrialsRunAsSparkTasksAndAreRankedIntoOneCompareReport() throws IOException {
        Path runs = work.resolve("runs");
        Path sweeps = work.resolve("sweeps");
        int exit = SparkMain.execute("sweep", recipe.toString(), "--grid", "training.learning_rate=[1.0e-3, 3.0e-3]",
                "--grid", "training.max_steps=[3, 6]", "--metric", "finetuned/accuracy", "--master", "local[2]",
                "--runs", runs.toString(), "--reports", work.resolve("reports").toString(),
                "--sweeps", sweeps.toString());
        assertEquals(0, exit);

        Path folder = onlySweep(sweeps.resolve("tiny"));
        Sweep.Plan plan = Sweep.readPlan(folder);
        assertEquals(4, plan.trials().size());
        Map<Integer, Sweep.TrialResult> results = Sweep.results(folder);
        assertEquals(4, results.size());
        assertTrue(results.values().stream().allMatch(r -> r.status().equals(Sweep.COMPLETED)), results.toString());

        // each trial is an ordinary committed run whose manifest records its overrides
        List<RunStore.RunEntry> entries = new RunStore(runs).list();
        assertEquals(4, entries.size());
        Set<List<String>> recorded = entries.stream().map(e -> e.manifest().orElseThrow())
                .peek(m -> assertEquals("completed", m.status())).map(RunManifest::overrides)
                .collect(Collectors.toSet());
        assertEquals(Set.of(List.of("training.learning_rate=1.0e-3", "training.max_steps=3"),
                List.of("training.learning_rate=1.0e-3", "training.max_steps=6"),
                List.of("training.learning_rate=3.0e-3", "training.max_steps=3"),
                List.of("training.learning_rate=3.0e-3", "training.max_steps=6")), recorded);

        // the compare report lists the runs best first, with the paired tests against the best
        JsonNode compare = new ObjectMapper().readTree(folder.resolve("compare/compare.json").toFile());
        assertEquals(4, compare.path("runs").size());
        List<Double> accuracies = new ArrayList<>();
        for (JsonNode run : compare.path("runs")) {
            Path runFolder = Path.of(run.path("path").asText());
            accuracies.add(Sweep.metricRow(runFolder, "finetuned/accuracy").orElseThrow().value());
        }
        for (int i = 1; i < accuracies.size(); i++) {
            assertTrue(accuracies.get(i - 1) >= accuracies.get(i), "ranked best first: " + accuracies);
        }
        assertTrue(compare.path("tests").isArray(), "paired tests computed");
        String summary = Files.readString(folder.resolve(Sweep.SUMMARY));
        assertTrue(summary.contains("4 of 4 trials completed"), summary);
    }

    @Test
    void aFailedTrialIsReportedWithItsErrorAndResumeRerunsOnlyIt() throws IOException {
        Path runs = work.resolve("runs-resume");
        Path sweeps = work.resolve("sweeps-resume");
        Path missing = recipe.resolveSibling("later.csv");
        // the second file appears only later: its trial passes the sweep's checks and fails in its run
        int exit = SparkMain.execute("sweep", recipe.toString(), "--grid",
                "corpus.labelled.path=[" + recipe.resolveSibling("labelled.csv") + ", " + missing + "]",
                "--set", "training.max_steps=3",
                "--master", "local[2]", "--runs", runs.toString(), "--reports", work.resolve("reports").toString(),
                "--sweeps", sweeps.toString());
        assertEquals(1, exit, "a failed trial fails the sweep");
        Path folder = onlySweep(sweeps.resolve("tiny"));
        Map<Integer, Sweep.TrialResult> first = Sweep.results(folder);
        assertEquals(Sweep.COMPLETED, first.get(0).status());
        assertEquals(Sweep.FAILED, first.get(1).status());
        assertTrue(first.get(1).error().contains("later.csv"), first.get(1).error());
        assertNull(first.get(1).runId());
        assertTrue(Files.readString(folder.resolve(Sweep.SUMMARY)).contains("later.csv"), "error in sweep.md");

        Files.copy(recipe.resolveSibling("labelled.csv"), missing);
        assertEquals(0, SparkMain.execute("sweep", "--resume", folder.toString(), "--master", "local[2]"));
        Map<Integer, Sweep.TrialResult> second = Sweep.results(folder);
        assertEquals(first.get(0).runId(), second.get(0).runId(), "the completed trial was not run again");
        assertEquals(Sweep.COMPLETED, second.get(1).status());
        assertNotNull(second.get(1).runId());
        assertEquals(2, new RunStore(runs).list().stream().filter(RunStore.RunEntry::complete).count());
        assertTrue(Files.isRegularFile(folder.resolve("compare/compare.json")));
    }

    @Test
    void aBadGridOrTrialRecipeIsRefusedBeforeAnythingIsWritten() {
        Path sweeps = work.resolve("sweeps-bad");
        assertEquals(2, SparkMain.execute("sweep", recipe.toString(), "--grid", "training.batch_size=4",
                "--sweeps", sweeps.toString()), "not a list");
        assertEquals(2, SparkMain.execute("sweep", recipe.toString(), "--grid", "training.batch_size=[4, -1]",
                "--sweeps", sweeps.toString()), "trial 1's recipe is invalid");
        assertEquals(2, SparkMain.execute("sweep", recipe.toString(), "--grid", "training.batch_size=[4, 8]",
                "--search", "random", "--trials", "3", "--sweeps", sweeps.toString()), "more trials than points");
        assertFalse(Files.exists(sweeps));
    }

    @Test
    void randomSearchDrawsDistinctPointsReproduciblyBySeed() {
        Map<String, List<String>> axes = SweepGrid.parse(List.of("a=[1,2,3]", "b=[x, y]", "c=[{k: 1}]"));
        assertEquals(List.of("c={\"k\":1}"), axes.get("c").stream().map(v -> "c=" + v).toList());
        List<SweepGrid.Trial> grid = SweepGrid.trials(axes, SweepGrid.Search.GRID, null, 0);
        assertEquals(6, grid.size());
        assertEquals(List.of("a=1", "b=y", "c={\"k\":1}"), grid.get(1).overrides(), "last key fastest");
        List<SweepGrid.Trial> drawn = SweepGrid.trials(axes, SweepGrid.Search.RANDOM, 4, 9);
        assertEquals(4, drawn.stream().map(SweepGrid.Trial::overrides).distinct().count());
        assertEquals(drawn, SweepGrid.trials(axes, SweepGrid.Search.RANDOM, 4, 9));
    }

    private static Path onlySweep(Path recipeSweeps) throws IOException {
        try (Stream<Path> folders = Files.list(recipeSweeps)) {
            List<Path> all = folders.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }
}
