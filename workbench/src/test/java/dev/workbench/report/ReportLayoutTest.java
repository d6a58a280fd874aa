package dev.workbench.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages as a reader sees them in a 1400-px-wide headless Chromium window: no two tick labels of a chart axis
 * overlap (boxes measured in the DOM with every folded section opened), and what a reader came for — the Summary of a
 * report, "what differs significantly" of a comparison — starts within the first 1,000 px. Skips, saying why, where
 * chromium is absent ({@code .ci/run} installs it).
 */
class ReportLayoutTest {
    @TempDir
    static Path dir;
    static Path run0;
    static Path run1;

    @BeforeAll
    static void runs() throws Exception {
        run0 = ReportTest.evaluatedRun(dir.resolve("r0"), 0);
        run1 = ReportTest.evaluatedRun(dir.resolve("r1"), 1);
    }

    private static void assertReadable(HeadlessChromium.Layout layout, int minLabels) {
        assertEquals(HeadlessChromium.WIDTH, layout.width(), 1, "laid out at 1400 px");
        assertTrue(layout.labels() >= minLabels, "tick labels measured: " + layout.labels());
        assertEquals(List.of(), layout.overlaps(), "overlapping axis labels");
        assertTrue(layout.topOf() >= 0 && layout.topOf() < HeadlessChromium.HEIGHT - 100,
                "the lead section starts in the first 1,000 px, with room for its first rows: " + layout.topOf());
    }

    @Test
    void theProbeSeesOverlappingLabels() throws Exception {
        HeadlessChromium.assumeUsable(dir);
        Path page = dir.resolve("overlap.html");
        // what xchart did to confusion-matrix labels: horizontal labels wider than their slots
        Files.writeString(page, "<!DOCTYPE html><html><body><h2 id=\"summary\">Summary</h2><figure id=\"chart-x\">"
                + "<svg class=\"chart\" width=\"200\" height=\"60\"><text class=\"x-label\" x=\"10\" y=\"40\">"
                + "cardiology</text><text class=\"x-label\" x=\"40\" y=\"40\">dermatology</text></svg></figure>"
                + "</body></html>");
        HeadlessChromium.Layout layout = HeadlessChromium.layout(page, "summary", dir);
        assertEquals(List.of("chart-x x-label: \"cardiology\" / \"dermatology\""), layout.overlaps());
    }

    @Test
    void quickstartReportHasNoOverlappingLabelsAndTheSummaryOnTop() throws Exception {
        HeadlessChromium.assumeUsable(dir);
        Path out = dir.resolve("report");
        ReportWriter.write(ReportBuilder.build(run0), out, List.of("html"));
        HeadlessChromium.Layout layout = HeadlessChromium.layout(out.resolve(ReportWriter.HTML), "summary", dir);
        assertReadable(layout, 100);
        assertTrue(layout.closedHeight() < layout.height(), "details are folded by default");
    }

    @Test
    void aHundredAndFiftyOneClassReportStaysReadable() throws Exception {
        HeadlessChromium.assumeUsable(dir);
        Path page = dir.resolve("many.html");
        Files.writeString(page, HtmlReport.render(ReportReadabilityTest.manyClasses()).html());
        // 31 count bars + a 12-class heat map's 24 labels + the accuracy chart
        assertReadable(HeadlessChromium.layout(page, "summary", dir), 31 + 24);
    }

    @Test
    void compareReportLeadsWithSignificantDifferencesAndHasNoOverlappingLabels() throws Exception {
        HeadlessChromium.assumeUsable(dir);
        Path out = dir.resolve("compare");
        ComparisonReport.write(MultiRunComparison.compare(List.of(run0, run1, run0)), out);
        assertReadable(HeadlessChromium.layout(out.resolve(ComparisonReport.HTML), "significant", dir), 5);
    }
}
