package dev.workbench.report;

import dev.workbench.eval.ColumnDistribution;
import dev.workbench.eval.EvaluateStage;
import dev.workbench.eval.FixtureRun;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportChartsTest {
    private static final String HOSTILE = "<script>alert(1)</script>";
    private static final String ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";

    /** A fixture run whose run id, recipe name, description, title and prompts all carry a script tag. */
    private static Path hostileRun(Path where) throws Exception {
        FixtureRun run = FixtureRun.create(where, 0);
        Path manifest = run.folder.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest)
                .replace("\"run_id\" : \"20261129-090000-abc120\"", "\"run_id\" : \"run " + HOSTILE + "\"")
                .replace("\"recipe_name\" : \"fixture\"", "\"recipe_name\" : \"recipe " + HOSTILE + "\""));
        Files.writeString(run.folder.resolve("recipe.resolved.yaml"), """
                name: "fixture %1$s"
                description: "description %1$s"
                seed: 42
                evaluate:
                  prompts: ["prompt %1$s"]
                report:
                  title: "title %1$s"
                """.formatted(HOSTILE));
        Files.writeString(run.folder.resolve(RunFolder.GENERATIONS), ("{\"prompt\":\"prompt %1$s\",\"base\":\"b %1$s\","
                + "\"finetuned\":\"f %1$s\",\"seed\":1,\"max_new_tokens\":4,\"temperature\":0.8}\n")
                .formatted(HOSTILE.replace("/", "\\/")));
        EvaluateStage.Outcome out = EvaluateStage.evaluate(run.folder, run.settings(), run.data,
                new PrintStream(new ByteArrayOutputStream()));
        new MetricsLog(run.folder.resolve("metrics.jsonl")).appendAll(out.rows());
        return run.folder;
    }

    @Test
    void hostileNamesAreEscapedAndEveryChartIsPresent(@TempDir Path dir) throws Exception {
        Path run = hostileRun(dir.resolve("run"));
        Report report = ReportBuilder.build(run);
        Path out = dir.resolve("report");
        ReportWriter.write(report, out, List.of("html"));
        String html = Files.readString(out.resolve(ReportWriter.HTML));
        assertFalse(html.contains(HOSTILE), "a raw script tag reached report.html");
        assertFalse(html.contains("<script"), "no script element at all");
        for (String where : List.of("run ", "recipe ", "description ", "title ", "prompt ", "f ")) {
            assertTrue(html.contains(where + ESCAPED), where + " must appear escaped");
        }

        // confusion-matrix heat map per classifier subject, pair-trend heat map per method,
        // a distribution for EVERY table column, all inline
        for (String subject : List.of("finetuned", "majority", "tfidf-logreg")) {
            assertTrue(Files.exists(out.resolve("charts/confusion_" + Charts.safe(subject) + ".svg")), subject);
            assertTrue(html.contains("id=\"chart-confusion_" + Charts.safe(subject) + "\""), subject);
        }
        for (String method : List.of("ctgan", "independent")) {
            assertTrue(Files.exists(out.resolve("charts/pair_trends_" + method + ".svg")), method);
        }
        List<ColumnDistribution> distributions = report.synthetic().distributions();
        assertEquals(FixtureRun.TABLE_COLUMNS.stream().sorted().toList(),
                distributions.stream().map(ColumnDistribution::column).toList());
        for (String column : FixtureRun.TABLE_COLUMNS) {
            assertTrue(Files.exists(out.resolve("charts/distribution_" + column + ".svg")), column);
        }
        assertTrue(html.contains("&uarr;") && html.contains("&darr;"));
        assertTrue(report.synthetic().pairs().get("ctgan").size() >= 6, "4 columns -> 6 pairs");
    }

    @Test
    void bestValuesAreMarkedByDirection(@TempDir Path dir) throws Exception {
        Path run = ReportTest.evaluatedRun(dir.resolve("run"), 0);
        Report report = ReportBuilder.build(run);
        List<String> best = HtmlReport.bestKeys(report);
        // fixture: fine-tuned has the lower bits per byte (lower is better); tf-idf the best accuracy (> 0.8,
        // fine-tuned 20/24); p-values are never marked
        assertTrue(best.contains("medical/text|bits_per_byte|finetuned"), best.toString());
        assertFalse(best.contains("medical/text|bits_per_byte|base"), best.toString());
        assertTrue(best.stream().anyMatch(k -> k.endsWith("|accuracy|tfidf-logreg")), best.toString());
        assertFalse(best.stream().anyMatch(k -> k.endsWith("|accuracy|majority")), best.toString());
        assertTrue(best.stream().noneMatch(k -> k.contains("|p_value_")), best.toString());
        String html = HtmlReport.render(report).html();
        assertTrue(html.contains("class=\"num best\""));
    }

    @Test
    void compareEscapesHostileRunNames(@TempDir Path dir) throws Exception {
        Path a = hostileRun(dir.resolve("a"));
        Path b = ReportTest.evaluatedRun(dir.resolve("b"), 1);
        String html = ComparisonReport.html(MultiRunComparison.compare(List.of(a, b)));
        assertFalse(html.contains(HOSTILE));
        assertTrue(html.contains("run " + ESCAPED));
        String md = ComparisonReport.markdown(MultiRunComparison.compare(List.of(a, b)));
        assertFalse(md.contains(HOSTILE), "markdown viewers render raw HTML");
    }
}
