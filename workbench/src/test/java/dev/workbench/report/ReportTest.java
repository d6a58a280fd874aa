package dev.workbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.eval.EvaluateStage;
import dev.workbench.eval.FixtureRun;
import dev.workbench.store.MetricsLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    static final String GOLDEN = "dev/workbench/report/fixture-report.md";

    @TempDir
    static Path dir;
    static Path runFolder;

    /** A fixture run folder after the evaluate stage: what the report stage sees at the end of a run. */
    static Path evaluatedRun(Path where, int variant) throws Exception {
        FixtureRun run = FixtureRun.create(where, variant);
        EvaluateStage.Outcome out = EvaluateStage.evaluate(run.folder, run.settings(), run.data,
                new PrintStream(new ByteArrayOutputStream()));
        new MetricsLog(run.folder.resolve("metrics.jsonl")).appendAll(out.rows());
        return run.folder;
    }

    @BeforeAll
    static void evaluate() throws Exception {
        runFolder = evaluatedRun(dir.resolve("run"), 0);
    }

    @Test
    void rendersAllThreeFormats() throws Exception {
        Report report = ReportBuilder.build(runFolder);
        Path out = dir.resolve("reports");
        List<Path> files = ReportWriter.write(report, out, List.of("html", "markdown", "json"));
        String keep = System.getProperty("workbench.keepReport");
        if (keep != null) { // for eyeballing the rendered fixture report
            ReportWriter.write(report, Path.of(keep), List.of("html", "markdown", "json"));
        }
        assertTrue(files.contains(out.resolve("report.html")));
        assertTrue(Files.exists(out.resolve("report.md")));
        assertTrue(Files.exists(out.resolve("charts/bits_per_byte.svg")));
        assertTrue(Files.exists(out.resolve("charts/loss_language_model.svg")));
        try (var s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }

        String html = Files.readString(out.resolve("report.html"));
        for (String section : List.of("id=\"summary\"", "id=\"run\"", "id=\"data\"", "id=\"language-model\"",
                "id=\"classifier\"", "id=\"generations\"", "id=\"synthetic\"", "id=\"caveats\"")) {
            assertTrue(html.contains(section), section);
            assertTrue(html.contains("href=\"#" + section.substring(4)), "table of contents links " + section);
        }
        assertTrue(html.indexOf("id=\"caveats\"") > html.indexOf("id=\"summary\"")
                && html.indexOf("id=\"caveats\"") < html.indexOf("id=\"run\""), "caveats right after the summary");
        assertTrue(html.contains("<figure class=\"chart\" id=\"chart-bits_per_byte\"><svg "), "charts inline");
        assertFalse(html.contains("data:image/png"), "no raster charts");
        assertFalse(html.contains("src=\"http"), "self-contained: no external images");
        assertFalse(html.contains("<link"), "self-contained: no external stylesheet");
        assertFalse(html.contains("<script"), "no script");
        assertTrue(html.contains("chest pain since yesterday"), "generations side by side");

        assertEquals(4, report.summary().size(), "LM, classifier, synthetic, augmentation");
        Report.Headline lm = report.summary().get(0);
        assertEquals("improved", lm.verdict());
        assertTrue(lm.delta() < 0);
        assertTrue(report.caveats().stream().anyMatch(c -> c.contains("Only 24 test items")));
    }

    @Test
    void jsonIsValidAndStable() throws Exception {
        String first = JsonReport.render(ReportBuilder.build(runFolder));
        String second = JsonReport.render(ReportBuilder.build(runFolder));
        assertEquals(first, second, "two renders of the same run are byte-identical");
        JsonNode root = new ObjectMapper().readTree(first);
        assertEquals(1, root.get("schema_version").asInt());
        assertTrue(root.get("metrics").size() > 20);
        List<String> keys = new java.util.ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertEquals(keys.stream().sorted().toList(), keys, "keys sorted");
        assertEquals("20261129-090000-abc120", root.get("run").get("run_id").asText());
        assertTrue(root.get("classifier").get("confusion").has("finetuned"));
    }

    @Test
    void markdownMatchesTheReviewedGolden() throws Exception {
        String markdown = MarkdownReport.render(ReportBuilder.build(runFolder));
        Path source = Path.of(System.getProperty("workbench.repo.root", ".."))
                .resolve("workbench/src/test/resources").resolve(GOLDEN);
        if (Boolean.getBoolean("workbench.updateGoldens")) {
            Files.createDirectories(source.getParent());
            Files.writeString(source, markdown);
        }
        try (var in = ReportTest.class.getClassLoader().getResourceAsStream(GOLDEN)) {
            String golden = Files.exists(source) ? Files.readString(source)
                    : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(golden, markdown, "rerun with -Dworkbench.updateGoldens=true and review the diff");
        }
    }

    @Test
    void reportBuildsFromAPartialRunWithoutManifest(@TempDir Path partial) throws Exception {
        Files.writeString(partial.resolve("recipe.resolved.yaml"), "name: early\nseed: 7\n");
        Report report = ReportBuilder.build(partial);
        assertEquals("workbench report: early", report.title());
        assertEquals(7L, report.run().seed());
        assertTrue(report.summary().isEmpty());
        assertTrue(report.caveats().stream().anyMatch(c -> c.contains("No manifest.json")));
        // All three renderers cope with the empty sections.
        assertTrue(MarkdownReport.render(report).contains("## Caveats"));
        assertTrue(HtmlReport.render(report).html().contains("id=\"caveats\""));
        new ObjectMapper().readTree(JsonReport.render(report));
    }

    @Test
    void htmlOpensInAHeadlessBrowser() throws Exception {
        HeadlessChromium.assumeUsable(dir);
        Path out = dir.resolve("browser");
        ReportWriter.write(ReportBuilder.build(runFolder), out, List.of("html"));
        HeadlessChromium.Page page = HeadlessChromium.open(out.resolve("report.html"), dir);
        assertEquals(List.of(), page.console(), "console messages of report.html");
        assertTrue(page.dom().contains("Confusion matrix: finetuned"), "browser parsed the page");
        assertFalse(page.charts().isEmpty(), "charts present");
        page.charts().forEach((name, size) -> assertTrue(size[0] > 100 && size[1] > 100, name));
    }
}
