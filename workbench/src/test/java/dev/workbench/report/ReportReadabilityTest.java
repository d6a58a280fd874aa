package dev.workbench.report;

import dev.workbench.data.ConfusionMatrix;
import dev.workbench.plan.Durations;
import dev.workbench.store.MetricRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Numbers, data tables, the synthetic lead table and many-class reports, as a reader sees them (no browser). */
class ReportReadabilityTest {

    @Test
    void numbersAreFormattedForPeople() {
        assertEquals("1,651", ReportBuilder.format(1651.1094));
        assertEquals("0.7083", ReportBuilder.format(0.708333333));
        assertEquals("18.38", ReportBuilder.format(18.3771));
        assertEquals("-2.332", ReportBuilder.format(-2.33189));
        assertEquals("0.08847", ReportBuilder.format(0.0884733));
        assertEquals("4.2", ReportBuilder.format(4.19981));
        assertEquals("0", ReportBuilder.format(0.0));
        assertEquals("4.96e+07", ReportBuilder.format(4.9623e7));
        assertEquals("n/a", ReportBuilder.format(Double.NaN));
        assertEquals("1,234,567", ReportBuilder.count(1_234_567));
        // one duration format for the report and the console (plan.Durations)
        assertEquals("27 min 31 s", Durations.format(1651.1094));
        assertEquals("58 s", Durations.format(58.3975));
        assertEquals("4.2 s", Durations.format(4.19));
        assertEquals("2 h 02 min", Durations.format(7322));
    }

    @Test
    void stageTimesPrintAsDurations(@TempDir Path dir) throws Exception {
        Path run = ReportTest.evaluatedRun(dir.resolve("run"), 0);
        Report report = ReportBuilder.build(run);
        String md = MarkdownReport.render(report);
        String html = HtmlReport.render(report).html();
        for (Report.StageTiming s : report.run().stages()) {
            String shown = Durations.format(s.seconds());
            assertTrue(md.contains("| " + shown + " |"), shown);
            assertTrue(html.contains(">" + shown + "<"), shown);
        }
    }

    @Test
    void dataSectionIsTablesNotMapText() {
        Map<String, Object> labelled = new LinkedHashMap<>();
        labelled.put("file", "/data/labelled.csv");
        labelled.put("rows_read", 12345);
        labelled.put("skipped_rows", List.of());
        labelled.put("duplicates", Map.of("test_in_train", 0));
        labelled.put("label_counts", Map.of("train", Map.of("a", 3)));
        Map<String, Object> notes = new TreeMap<>(Map.of("labelled", labelled, "seed", 1234567));
        Report report = report(new Report.DataSection(Map.of("labelled", Map.of("train", 12000, "validation", 300,
                "test", 45)), notes, Map.of("labelled", List.of(new Report.ClassCount("a", 3)))), null);
        Map<String, String> facts = ReportBuilder.facts(labelled);
        assertEquals("12,345", facts.get("rows_read"));
        assertEquals("0", facts.get("duplicates.test_in_train"));
        assertEquals("none", facts.get("skipped_rows"));
        assertFalse(facts.containsKey("label_counts"), "class counts have their own chart");
        String md = MarkdownReport.render(report);
        String html = HtmlReport.render(report).html();
        for (String page : List.of(md, html)) {
            assertFalse(page.contains("{file="), "no Java map text");
            assertTrue(page.contains("12,000"), "split sizes with separators");
            assertTrue(page.contains("12,345"));
            assertTrue(page.contains("1234567"), "a seed is an identifier: no separators");
        }
        assertTrue(html.contains("id=\"chart-counts_labelled\""), "label counts as a chart");
    }

    @Test
    void syntheticLeadTableMarksBestAmongSynthesizersOnly() {
        List<Report.Value> values = new ArrayList<>();
        values.add(value("ctgan", "quality_score", 0.80, true));
        values.add(value("copula", "quality_score", 0.85, true));
        values.add(value("real-holdout", "quality_score", 0.95, true));
        values.add(value("ctgan", "exact_copy_rate", 0.10, false));
        values.add(value("copula", "exact_copy_rate", 0.00, false));
        values.add(value("ctgan", "tstr_accuracy", 0.70, true));
        values.add(value("copula", "tstr_accuracy", 0.75, true));
        values.add(value("real", "trtr_accuracy", 0.84, true));
        values.add(value("ctgan", "ks_complement", 0.9, true));
        // a metric this class has never heard of (another branch adds such rows): it must appear as a column
        values.add(value("ctgan", "tree_detection_score", 0.40, true));
        values.add(value("copula", "tree_detection_score", 0.60, true));
        Report.SyntheticSection s = new Report.SyntheticSection(List.of("copula", "ctgan"), values, Map.of(),
                List.of(), List.of(), Map.of(), Map.of(), Map.of(), List.of());
        SyntheticTable.Table t = SyntheticTable.of(s);
        assertEquals(List.of("quality_score", "tstr_accuracy", "exact_copy_rate", "tree_detection_score"),
                t.columns(), "headline order, new metrics follow, components (ks_complement) stay in the details");
        assertEquals(List.of("copula", "ctgan", "real-holdout", "real"),
                t.rows().stream().map(SyntheticTable.Row::subject).toList());
        SyntheticTable.Row copula = t.rows().get(0);
        SyntheticTable.Row holdout = t.rows().get(2);
        SyntheticTable.Row real = t.rows().get(3);
        assertEquals(List.of(true, true, true, true), copula.best(), "lower copy rate is better");
        assertTrue(holdout.reference() && real.reference());
        assertFalse(holdout.best().contains(true), "0.95 is the highest quality but the holdout is a reference");
        assertEquals(0.84, real.values().get(1), "TRTR sits under the TSTR column it bounds");

        Report report = report(null, s);
        String html = HtmlReport.render(report).html();
        assertTrue(html.contains("<table class=\"wide\">"));
        assertTrue(html.indexOf("<table class=\"wide\">") < html.indexOf("<details>"), "the lead table comes first");
        assertFalse(HtmlReport.bestKeys(report).stream().anyMatch(k -> k.endsWith("|real-holdout")),
                "the long table marks no reference as best either");
        String md = MarkdownReport.render(report);
        assertTrue(md.contains("| method | quality_score ↑ | tstr_accuracy ↑ | exact_copy_rate ↓ | "
                + "tree_detection_score ↑ |"), md);
        assertTrue(md.contains("| _real-holdout_ | 0.95 |"), md);
    }

    /** CLINC150-sized: 151 classes with long intent names, plus a 12-class subject drawn as a heat map. */
    static Report manyClasses() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 151; i++) {
            labels.add(i == 150 ? "oos" : "intent_" + "what_is_the_exchange_rate".substring(0, 5 + i % 20) + "_" + i);
        }
        List<String> gold = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            for (int k = 0; k < 4; k++) {
                gold.add(labels.get(i));
                predicted.add(labels.get(k == 3 ? (i * 7 + 3) % labels.size() : i));
            }
        }
        ConfusionMatrix big = ConfusionMatrix.of(gold, predicted);
        List<String> twelve = labels.subList(0, 12).stream().map(l -> l + "_with_a_long_suffix").toList();
        List<String> g12 = new ArrayList<>();
        List<String> p12 = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            for (int k = 0; k < 5; k++) {
                g12.add(twelve.get(i));
                p12.add(twelve.get(k == 4 ? (i + 1) % 12 : i));
            }
        }
        ConfusionMatrix small = ConfusionMatrix.of(g12, p12);
        Map<String, ConfusionMatrix> confusion = new TreeMap<>(Map.of("finetuned", big, "twelve", small));
        Map<String, List<ConfusionMatrix.PerClass>> perClass = new TreeMap<>();
        confusion.forEach((k, cm) -> perClass.put(k, cm.perClass()));
        List<Report.Value> values = new ArrayList<>();
        for (String subject : List.of("finetuned", "majority", "tfidf-logreg", "base+head")) {
            values.add(new Report.Value(subject, "accuracy", "clinc/labelled", 0.5 + subject.length() / 40.0, 0.4,
                    0.8, 604L, true));
        }
        Report.ClassifierSection classifier = new Report.ClassifierSection(values, confusion, perClass, List.of(),
                List.of(), List.of());
        List<Report.ClassCount> counts = labels.stream().map(l -> new Report.ClassCount(l, 100 + l.length()))
                .sorted(java.util.Comparator.comparingLong(Report.ClassCount::count).reversed()
                        .thenComparing(Report.ClassCount::label)).toList();
        Report.DataSection data = new Report.DataSection(Map.of("labelled", Map.of("train", 15100, "validation",
                3100, "test", 604)), Map.of(), Map.of("labelled", counts));
        return new Report(Report.SCHEMA_VERSION, "many classes", List.of(), run(), data, null, classifier, null, null,
                List.of(), List.of());
    }

    @Test
    void manyClassesGiveTablesAndAnAbbreviatedCountChart(@TempDir Path dir) throws Exception {
        Report report = manyClasses();
        HtmlReport.Rendered rendered = HtmlReport.render(report);
        String html = rendered.html();
        assertFalse(rendered.charts().containsKey("confusion_finetuned.svg"), "no 151 x 151 heat map");
        assertTrue(rendered.charts().containsKey("confusion_twelve.svg"), "12 classes: heat map");
        assertTrue(html.contains("151 classes are too many for a readable heat map"));
        String counts = rendered.charts().get("counts_labelled.svg");
        assertEquals(Charts.TOP_LABELS + 1, counts.split("class=\"y-label\"", -1).length - 1, "top 30 + others");
        assertTrue(counts.contains("others (121 classes)"));
        assertTrue(html.length() < 400_000, "a 151-class report stays light: " + html.length());

        String md = MarkdownReport.render(report);
        List<String> labels = report.classifier().confusion().get("finetuned").labels();
        for (String line : md.split("\n")) {
            long named = labels.stream().filter(l -> line.contains("| " + l + " |")).count();
            assertTrue(named <= 2, "one class (or one confusion pair) per line: " + line);
        }
        assertTrue(md.contains("| others (121 classes) | "), md);
    }

    static Report report(Report.DataSection data, Report.SyntheticSection synthetic) {
        return new Report(Report.SCHEMA_VERSION, "t", List.of(), run(), data, null, null, null, synthetic, List.of(),
                List.<MetricRow>of());
    }

    static Report.RunInfo run() {
        return new Report.RunInfo("run-1", "recipe", null, null, 42L, "completed", null, null, null, List.of(),
                Map.of(), Map.of(), List.of(), null);
    }

    private static Report.Value value(String subject, String metric, double v, boolean higher) {
        return new Report.Value(subject, metric, "d/table", v, null, null, 100L, higher);
    }
}
