package dev.workbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.TextHash;
import dev.workbench.eval.PredictionFiles;
import dev.workbench.eval.RunPairTests;
import dev.workbench.eval.Samples;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compare's macro-F1 paired bootstrap in a comparison, cross-domain matrix and text-hash pairing of LM documents. */
class MultiRunComparisonExtrasTest {
    @TempDir
    static Path dir;
    static Path medical;
    static Path medical1;
    static Path legal;

    /** Two fixture runs; the second relabelled as a run of the legal domain (its datasets legal/text, legal/...). */
    @BeforeAll
    static void runs() throws Exception {
        medical = ReportTest.evaluatedRun(dir.resolve("medical"), 0);
        medical1 = ReportTest.evaluatedRun(dir.resolve("medical-1"), 1);
        legal = copy(ReportTest.evaluatedRun(dir.resolve("legal-src"), 1), dir.resolve("legal"));
        Path metrics = legal.resolve("metrics.jsonl");
        Files.writeString(metrics, Files.readString(metrics).replace("\"medical/", "\"legal/"));
    }

    static Path copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
        return to;
    }

    @Test
    void compareRunsTheMacroF1BootstrapNextToMcNemar() throws Exception {
        MultiRunComparison.Comparison c = MultiRunComparison.compare(List.of(medical, medical1));
        RunPairTests.PairedTest f1 = c.tests().stream().filter(t -> t.area().equals("classifier")
                && t.subject().equals("finetuned") && t.metric().equals("macro_f1")).findFirst().orElseThrow();
        assertEquals(24L, f1.n());
        assertTrue(f1.ciLow() <= f1.difference() && f1.difference() <= f1.ciHigh(), f1.toString());
        assertTrue(f1.difference() > 0, "run 1 misses 3 items, run 0 misses 4: " + f1);
        assertTrue(c.tests().stream().anyMatch(t -> t.subject().equals("finetuned") && t.metric().equals("accuracy")
                && t.test().startsWith("mcnemar_")));
        assertTrue(ComparisonReport.markdown(c).contains("| classifier | finetuned | "), "rendered");
    }

    @Test
    void crossDomainMatrixInAllThreeFormats() throws Exception {
        MultiRunComparison.Comparison c = MultiRunComparison.compare(List.of(medical, legal));
        MultiRunComparison.DomainMatrix m = c.domainMatrix();
        assertNotNull(m);
        assertEquals(List.of("legal", "medical"), m.domains());
        List<MetricRow> rows0 = MetricsLog.read(medical.resolve("metrics.jsonl"));
        List<MetricRow> rows1 = MetricsLog.read(legal.resolve("metrics.jsonl"));
        MultiRunComparison.DomainModel tuned0 = model(m, c.runs().get(0).name(), "finetuned");
        MultiRunComparison.DomainModel tuned1 = model(m, c.runs().get(1).name(), "finetuned");
        assertNull(tuned0.bitsPerByte().get(0), "run 0 did not score legal text");
        assertEquals(bpb(rows0, "finetuned", "medical/text"), tuned0.bitsPerByte().get(1), 0);
        assertEquals(bpb(rows1, "finetuned", "legal/text"), tuned1.bitsPerByte().get(0), 0);
        assertEquals(bpb(rows1, "base", "legal/text"), model(m, c.runs().get(1).name(), "base").bitsPerByte().get(0),
                0);
        // per domain, the fine-tuned model beats the base model (fixture: about 0.3 bits per byte fewer)
        assertEquals(List.of(m.models().indexOf(tuned1)), m.best().get(0));
        assertEquals(List.of(m.models().indexOf(tuned0)), m.best().get(1));

        Path out = dir.resolve("cmp-domains");
        ComparisonReport.write(c, out);
        String md = Files.readString(out.resolve(ComparisonReport.MARKDOWN));
        assertTrue(md.contains("## Cross-domain matrix"), md);
        assertTrue(md.contains("| run | model | legal | medical |"), md);
        assertTrue(md.contains("| " + c.runs().get(0).name() + " | finetuned | – | **"
                + ReportBuilder.format(tuned0.bitsPerByte().get(1)) + "** |"), md);
        String html = Files.readString(out.resolve(ComparisonReport.HTML));
        assertTrue(html.contains("id=\"domain-matrix\""));
        JsonNode json = new ObjectMapper().readTree(out.resolve(ComparisonReport.JSON_FILE).toFile());
        assertEquals("legal", json.get("domain_matrix").get("domains").get(0).asText());
        assertEquals(4, json.get("domain_matrix").get("models").size());

        // one domain only: no matrix
        assertNull(MultiRunComparison.compare(List.of(medical, medical)).domainMatrix());
    }

    @Test
    void matrixPrefersTheEvaluateStagesFigureAndNeedsTwoDomains() {
        // a run logs test bits per byte twice: the fine-tune stage's own figure and the evaluate stage's (with CI)
        MetricRow tuned = new MetricRow("finetune", "finetuned", "legal/text", "test", "bits_per_byte", 9.0, 5L, null,
                null, false);
        MetricRow evaluated = new MetricRow("evaluate", "finetuned", "legal/text", "test", "bits_per_byte", 1.5, 5L,
                1.4, 1.6, false);
        MetricRow validation = new MetricRow("evaluate", "finetuned", "code/text", "validation", "bits_per_byte", 2.0,
                5L, null, null, false);
        MetricRow other = new MetricRow("evaluate", "finetuned", "medical/text", "test", "bits_per_byte", 2.5, 5L,
                null, null, false);
        List<MultiRunComparison.Source> sources = List.of(
                new MultiRunComparison.Source("A", "r", "A", null, List.of(evaluated, tuned, validation), List.of()),
                new MultiRunComparison.Source("B", "r", "B", null, List.of(other), List.of()));
        MultiRunComparison.DomainMatrix m = MultiRunComparison.domainMatrix(sources);
        assertEquals(List.of("legal", "medical"), m.domains(), "validation rows are not test figures");
        assertEquals(java.util.Arrays.asList(1.5, null), m.models().get(0).bitsPerByte());
        assertEquals(java.util.Arrays.asList(null, 2.5), m.models().get(1).bitsPerByte());
        assertEquals(List.of(List.of(), List.of()), m.best(), "one model per domain: nothing to mark");
        assertNull(MultiRunComparison.domainMatrix(List.of(sources.get(0), new MultiRunComparison.Source("C", "r",
                "C", null, List.of(evaluated), List.of()))), "legal only (the validation row does not count)");
    }

    private static MultiRunComparison.DomainModel model(MultiRunComparison.DomainMatrix m, String run,
                                                        String subject) {
        return m.models().stream().filter(x -> x.run().equals(run) && x.subject().equals(subject)).findFirst()
                .orElseThrow();
    }

    private static double bpb(List<MetricRow> rows, String subject, String dataset) {
        return rows.stream().filter(r -> r.metric().equals("bits_per_byte") && r.split().equals("test")
                && r.subject().equals(subject) && r.dataset().equals(dataset)).reduce((x, y) -> y).orElseThrow()
                .value();
    }

    /** Appends a text_sha256 column to a fixture lm_test.csv: the hash of "text of " + id (+ a tweak on one id). */
    private static void addTextHashes(Path run, String changedId) throws IOException {
        Path file = run.resolve(RunFolder.LM_PREDICTIONS);
        List<String> lines = Files.readAllLines(file);
        List<String> out = new ArrayList<>(List.of(lines.get(0) + "," + RunFolder.TEXT_SHA256));
        for (String line : lines.subList(1, lines.size())) {
            String id = line.substring(0, line.indexOf(','));
            out.add(line + "," + TextHash.sha256("text of " + id + (id.equals(changedId) ? " (edited)" : "")));
        }
        Files.write(file, out);
    }

    @Test
    void lmPairingChecksTextHashesAndToleratesOldFiles() throws Exception {
        Path a = copy(medical, dir.resolve("hash-a"));
        Path b = copy(medical1, dir.resolve("hash-b"));
        addTextHashes(a, null);
        addTextHashes(b, null);
        assertEquals(30, PredictionFiles.readLmPredictions(a.resolve(RunFolder.LM_PREDICTIONS)).stream()
                .filter(d -> d.textSha256() != null && d.textSha256().length() == 64).count());
        assertEquals("paired_bootstrap", lm(MultiRunComparison.compare(List.of(a, b))).test(), "same texts pair");

        // same ids and byte counts, one document's text differs: the byte check alone would have paired them
        Files.copy(medical.resolve(RunFolder.LM_PREDICTIONS), b.resolve(RunFolder.LM_PREDICTIONS),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        addTextHashes(b, "doc-07");
        RunPairTests.PairedTest refused = lm(MultiRunComparison.compare(List.of(a, b)));
        assertEquals("same ids but different texts on 1 of 30 documents", refused.refused());
        assertNull(refused.pValue());

        // one run written before the hash column: pairs on ids and byte counts as before
        Files.copy(medical.resolve(RunFolder.LM_PREDICTIONS), b.resolve(RunFolder.LM_PREDICTIONS),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertNull(PredictionFiles.readLmPredictions(b.resolve(RunFolder.LM_PREDICTIONS)).get(0).textSha256());
        assertEquals("paired_bootstrap", lm(MultiRunComparison.compare(List.of(a, b))).test());
    }

    @Test
    void compareHtmlRendersInHeadlessChromiumWithoutConsoleErrorsAndWithCharts() throws Exception {
        HeadlessChromium.assumeUsable(dir);
        Path out = dir.resolve("cmp-browser");
        ComparisonReport.write(MultiRunComparison.compare(List.of(medical, medical1, legal)), out);
        HeadlessChromium.Page page = HeadlessChromium.open(out.resolve(ComparisonReport.HTML), dir);
        assertEquals(List.of(), page.console(), "console messages of compare.html");
        assertTrue(page.dom().contains("<h1>Comparison of 3 runs</h1>"), "browser parsed the page");
        for (String id : List.of("significant", "metrics", "domain-matrix", "tests", "win-rate", "charts")) {
            assertTrue(page.dom().contains("id=\"" + id + "\""), id);
        }
        Map<String, int[]> charts = page.charts();
        assertEquals(List.of("loss_language_model", "win_rate"), List.copyOf(charts.keySet()));
        charts.forEach((name, size) -> assertTrue(size[0] > 100 && size[1] > 100, name));
    }

    private static RunPairTests.PairedTest lm(MultiRunComparison.Comparison c) {
        return c.tests().stream().filter(t -> t.area().equals("language_model")).findFirst().orElseThrow();
    }
}
