package dev.workbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.eval.RunPairTests;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiRunComparisonTest {
    @TempDir
    static Path dir;
    static Path run0;
    static Path run1;
    static Path run2;

    @BeforeAll
    static void runs() throws Exception {
        run0 = ReportTest.evaluatedRun(dir.resolve("r0"), 0);
        run1 = ReportTest.evaluatedRun(dir.resolve("r1"), 1);
        run2 = ReportTest.evaluatedRun(dir.resolve("r2"), 2);
    }

    static MetricRow row(String metric, double v, boolean higher) {
        return new MetricRow("evaluate", "finetuned", "d", "test", metric, v, 10L, null, null, higher);
    }

    static MultiRunComparison.Source source(String name, List<MetricRow> rows) {
        return new MultiRunComparison.Source(name, "r", name, null, rows, List.of());
    }

    @Test
    void alignsDeltasBestAndMeanWinRate() throws Exception {
        MultiRunComparison.Comparison c = MultiRunComparison.compareSources(List.of(
                source("A", List.of(row("accuracy", 0.7, true), row("bits_per_byte", 2.0, false),
                        row("loss", 1.0, false), row("p_value_mcnemar_vs_x", 0.01, false))),
                source("B", List.of(row("accuracy", 0.8, true), row("bits_per_byte", 1.5, false),
                        row("loss", 2.0, false), row("p_value_mcnemar_vs_x", 0.5, false))),
                source("C", List.of(row("accuracy", 0.8, true), row("bits_per_byte", 3.0, false)))));
        MultiRunComparison.Row bpb = c.rows().stream().filter(r -> r.metric().equals("bits_per_byte")).findFirst()
                .orElseThrow();
        assertEquals(-0.5, bpb.deltas().get(1), 1e-12);
        assertEquals(1.0, bpb.deltas().get(2), 1e-12);
        assertEquals(List.of(1), bpb.best());
        MultiRunComparison.Row acc = c.rows().stream().filter(r -> r.metric().equals("accuracy")).findFirst()
                .orElseThrow();
        assertEquals(List.of(1, 2), acc.best(), "a tie for best marks both");
        MultiRunComparison.Row loss = c.rows().stream().filter(r -> r.metric().equals("loss")).findFirst()
                .orElseThrow();
        assertNull(loss.values().get(2));
        assertNull(loss.deltas().get(2));
        // hand: accuracy A 0, B (1 + 1/2)/2, C 0.75; bpb A 1/2, B 1, C 0; loss (A, B only) A 1, B 0;
        // p-values excluded. Means: A (0 + .5 + 1)/3 = .5, B (.75 + 1 + 0)/3 = .58333, C (.75 + 0)/2 = .375
        assertEquals(0.5, c.winRates().get(0).meanWinRate(), 1e-12);
        assertEquals(1.75 / 3, c.winRates().get(1).meanWinRate(), 1e-12);
        assertEquals(0.375, c.winRates().get(2).meanWinRate(), 1e-12);
        assertEquals(2, c.winRates().get(2).metrics());
        // two runs: no win rate
        assertNull(MultiRunComparison.compareSources(List.of(source("A", List.of(row("accuracy", 0.7, true))),
                source("B", List.of(row("accuracy", 0.6, true))))).winRates());
    }

    @Test
    void pairedTestsOnMatchingItemsAndTheFilesOnDisk() throws Exception {
        MultiRunComparison.Comparison c = MultiRunComparison.compare(List.of(run0, run1, run2));
        assertEquals(3, c.runs().size());
        // fixture: run 0 wrong on items i % 6 == 3 (3, 9, 15, 21), run 1 on i % 7 == 3 (3, 10, 17):
        // only run 1 right on 9, 15, 21 (b = 3), only run 0 right on 10, 17 (c = 2); exact p = 2 * 16/32 = 1
        RunPairTests.PairedTest t = c.tests().stream().filter(x -> x.area().equals("classifier")
                && x.subject().equals("finetuned") && x.run().endsWith("1")).findFirst().orElseThrow();
        assertNull(t.refused());
        assertEquals("mcnemar_exact", t.test());
        assertEquals(24L, t.n());
        assertEquals(3L, t.onlyRunRight());
        assertEquals(2L, t.onlyAgainstRight());
        assertEquals(1.0 / 24, t.difference(), 1e-12);
        assertEquals(1.0, t.pValue(), 1e-12);
        RunPairTests.PairedTest lm = c.tests().stream().filter(x -> x.area().equals("language_model")
                && x.run().endsWith("1")).findFirst().orElseThrow();
        assertEquals("paired_bootstrap", lm.test());
        assertEquals(30L, lm.n());
        // fixture: variant 1 lowers every document's fine-tuned bits by 0.02 bits per byte (to 3 decimals)
        assertEquals(-0.02, lm.difference(), 1e-4);
        assertTrue(lm.pValue() < 0.05);
        assertEquals(3, c.winRates().size());
        assertEquals(3, c.curves().get("language_model").size(), "one curve per run");

        Path out = dir.resolve("cmp");
        ComparisonReport.write(c, out);
        assertTrue(AtomicDirectory.isCommitted(out));
        String html = Files.readString(out.resolve(ComparisonReport.HTML));
        assertTrue(html.contains("<figure class=\"chart\" id=\"chart-win_rate\"><svg "), "charts inline");
        assertTrue(html.contains("id=\"win-rate\""));
        assertTrue(html.contains("class=\"num best\""));
        assertFalse(html.contains("<script"));
        assertTrue(Files.readString(out.resolve(ComparisonReport.MARKDOWN)).contains("## Mean win rate"));
        JsonNode json = new ObjectMapper().readTree(out.resolve(ComparisonReport.JSON_FILE).toFile());
        assertEquals(3, json.get("runs").size());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".cmp")), "no staging left");
        }
        // into an existing folder: overwritten file by file
        ComparisonReport.write(c, out);
        assertTrue(Files.isRegularFile(out.resolve(ComparisonReport.JSON_FILE)));
    }

    @Test
    void refusesPairedTestsWhereItemsDoNotMatch() throws Exception {
        // a report holds no per-example predictions
        Path report = dir.resolve("report0");
        ReportWriter.write(ReportBuilder.build(run1), report, List.of("json"));
        MultiRunComparison.Comparison fromReport = MultiRunComparison.compare(List.of(run0, report));
        assertEquals("report", fromReport.runs().get(1).kind());
        assertTrue(fromReport.tests().stream().allMatch(t -> t.refused() != null
                && t.refused().contains("a report holds no per-"
                + (t.area().equals("classifier") ? "example" : "document"))), fromReport.tests().toString());
        assertFalse(fromReport.rows().isEmpty(), "metrics come from report.json");

        // another run whose test items differ: drop one sample line of every subject, rename another item
        Path other = dir.resolve("r-other");
        try (var walk = Files.walk(run1)) {
            for (Path p : walk.toList()) {
                Files.copy(p, other.resolve(run1.relativize(p).toString()));
            }
        }
        Path samples = other.resolve(RunFolder.EVAL_SAMPLES);
        List<String> lines = Files.readAllLines(samples);
        Files.write(samples, lines.stream().map(l -> l.replace("\"id\":\"", "\"id\":\"other-")).toList());
        MultiRunComparison.Comparison c = MultiRunComparison.compare(List.of(run0, other));
        RunPairTests.PairedTest t = c.tests().stream().filter(x -> x.area().equals("classifier")
                && x.subject().equals("finetuned")).findFirst().orElseThrow();
        assertEquals("different test items: 0 shared ids of 24 and 24", t.refused());
        assertNull(t.pValue());

        // same ids, different texts
        Files.write(samples, lines.stream().map(l -> l.replaceFirst("\"text_sha256\":\"[0-9a-f]", "\"text_sha256\":\"x"))
                .toList());
        t = MultiRunComparison.compare(List.of(run0, other)).tests().stream()
                .filter(x -> x.area().equals("classifier") && x.subject().equals("finetuned")).findFirst()
                .orElseThrow();
        assertEquals("same ids but different texts on 24 of 24 items", t.refused());

        // a run of another recipe: other datasets, so neither test may pair the items
        Path metrics = other.resolve("metrics.jsonl");
        Files.writeString(metrics, Files.readString(metrics).replace("\"medical/", "\"legal/"));
        List<RunPairTests.PairedTest> crossRecipe = MultiRunComparison.compare(List.of(run0, other)).tests();
        assertTrue(crossRecipe.stream().anyMatch(x -> x.area().equals("language_model")
                && "different datasets: medical/text vs legal/text".equals(x.refused())), crossRecipe.toString());
        assertTrue(crossRecipe.stream().filter(x -> x.area().equals("classifier")).allMatch(x ->
                "different datasets: medical/labelled vs legal/labelled".equals(x.refused())), crossRecipe.toString());

        assertThrows(WorkbenchException.class, () -> MultiRunComparison.compare(List.of(run0)));
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> MultiRunComparison.compare(List.of(run0, dir.resolve("nothing"))));
        assertTrue(e.getMessage().contains("nothing"), e.getMessage());
    }
}
