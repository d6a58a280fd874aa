package dev.workbench.report;

import dev.workbench.eval.RunPairTests;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.workbench.report.MultiRunComparisonTest.row;
import static dev.workbench.report.MultiRunComparisonTest.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code compare} for a reader: significant differences first, unchanged rows folded, p-values never scores. */
class ComparisonReadabilityTest {

    @Test
    void unchangedRowsAndPValuesAreFoldedAndPValuesAreNeverScores() throws Exception {
        MultiRunComparison.Comparison c = MultiRunComparison.compareSources(List.of(
                source("A", List.of(row("accuracy", 0.7, true), row("loss", 1.0, false),
                        row("only_a", 3.0, true), row("p_value_mcnemar_vs_x", 0.01, false))),
                source("B", List.of(row("accuracy", 0.8, true), row("loss", 1.0, false),
                        row("p_value_mcnemar_vs_x", 0.5, false)))));
        String md = ComparisonReport.markdown(c);
        int metrics = md.indexOf("## Metrics");
        int folded = md.indexOf("<details><summary>2 metrics with no difference (the same value in every run that "
                + "has them)</summary>");
        int pValues = md.indexOf("<details><summary>p-values of each run's own paired tests (1; test results, "
                + "not metrics)</summary>");
        assertTrue(metrics >= 0 && folded > metrics && pValues > folded, md);
        assertTrue(md.indexOf("| accuracy ↑ |") > metrics && md.indexOf("| accuracy ↑ |") < folded, "changed row "
                + "leads");
        assertTrue(md.indexOf("| loss ↓ |") > folded, "the unchanged row is folded");
        assertTrue(md.indexOf("| only_a ↑ |") > folded, "a metric one run lacks is no difference in value");
        assertTrue(md.contains("| p_value_mcnemar_vs_x | 0.010 | 0.500 |"), "no arrow, no bold, printed as a p: "
                + md);
        assertFalse(md.contains("(+0)") || md.contains("| +0 |"), "no zero deltas");

        String html = ComparisonReport.html(c);
        int details = html.indexOf("<details><summary>2 metrics with no difference");
        assertTrue(details > html.indexOf("<td>accuracy ↑</td>"), "changed rows first");
        assertTrue(html.indexOf("<td>loss ↓</td>") > details);
        assertTrue(html.contains("<td>p_value_mcnemar_vs_x</td>"), "no direction on a p-value");
        assertTrue(html.indexOf("id=\"significant\"") < html.indexOf("id=\"metrics\""));
    }

    @Test
    void significantDifferencesAreHolmCorrectedAndLead(@TempDir Path dir) throws Exception {
        Path a = ReportTest.evaluatedRun(dir.resolve("a"), 0);
        Path b = ReportTest.evaluatedRun(dir.resolve("b"), 1);
        MultiRunComparison.Comparison c = MultiRunComparison.compare(List.of(a, b));
        List<RunPairTests.PairedTest> run = c.tests().stream().filter(t -> t.pValue() != null).toList();
        assertFalse(run.isEmpty());
        double[] expected = dev.workbench.eval.PairedTests.holm(run.stream()
                .mapToDouble(RunPairTests.PairedTest::pValue).toArray());
        for (int i = 0; i < run.size(); i++) {
            assertEquals(expected[i], run.get(i).pValueHolm(), 1e-12, "Holm over the comparison's tests");
            assertTrue(run.get(i).pValueHolm() >= run.get(i).pValue());
        }
        String md = ComparisonReport.markdown(c);
        assertTrue(md.indexOf("## What differs significantly") < md.indexOf("## Metrics"));
        List<RunPairTests.PairedTest> significant = ComparisonReport.significant(c);
        if (significant.isEmpty()) {
            assertTrue(md.contains("Nothing: none of the " + run.size() + " paired tests"), md);
        } else {
            assertTrue(md.contains(significant.size() + " of " + run.size() + " paired tests"), md);
            significant.forEach(t -> assertTrue(md.contains(ComparisonReport.cell(ComparisonReport.sentence(t))),
                    t.toString()));
        }
    }

    @Test
    void aPartialRunIsWarnedAboutNotSilentlyBlank(@TempDir Path dir) throws Exception {
        Path done = ReportTest.evaluatedRun(dir.resolve("done"), 0);
        Path partial = ReportTest.evaluatedRun(dir.resolve("later" + RunStore.PARTIAL_SUFFIX), 1);
        Files.delete(partial.resolve(RunFolder.MANIFEST));
        MultiRunComparison.Comparison c = MultiRunComparison.compare(List.of(done, partial));
        assertNull(c.runs().get(0).warning());
        String warning = c.runs().get(1).warning();
        assertNotNull(warning);
        assertTrue(warning.contains(".partial run") && warning.contains("missing results"), warning);
        assertTrue(ComparisonReport.markdown(c).contains("> **Warning:** " + ComparisonReport.cell(warning)));
        String html = ComparisonReport.html(c);
        assertTrue(html.contains("<p class=\"warning\" role=\"alert\"><strong>Warning:</strong>"), "visible");
        assertTrue(html.indexOf("class=\"warning\"") < html.indexOf("id=\"significant\""), "before any number");
        assertTrue(MultiRunComparison.json(c).contains("\"warning\""), "in compare.json too");
    }
}
