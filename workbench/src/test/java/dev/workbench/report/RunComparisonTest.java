package dev.workbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.store.MetricRow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunComparisonTest {
    static MetricRow row(String subject, String metric, double v, boolean higher, Double lo, Double hi) {
        return new MetricRow("evaluate", subject, "medical/text", "test", metric, v, 30L, lo, hi, higher);
    }

    @Test
    void deltasDirectionsAndIntervalOverlap() throws Exception {
        List<MetricRow> a = List.of(
                row("finetuned", "bits_per_byte", 2.50, false, 2.45, 2.55),
                row("finetuned", "accuracy", 0.70, true, 0.60, 0.80),
                row("majority", "accuracy", 0.33, true, null, null),
                row("ctgan", "ks_complement", 0.8, true, null, null));
        List<MetricRow> b = List.of(
                row("finetuned", "bits_per_byte", 2.30, false, 2.25, 2.35),
                row("finetuned", "accuracy", 0.75, true, 0.65, 0.85),
                row("majority", "accuracy", 0.33, true, null, null),
                row("tfidf-logreg", "accuracy", 0.9, true, null, null));
        RunComparison.Comparison c = RunComparison.compare("A", a, "B", b);
        assertEquals(5, c.entries().size());
        RunComparison.Entry bpb = find(c, "finetuned", "bits_per_byte");
        assertEquals(-0.2, bpb.delta(), 1e-12);
        assertEquals("b", bpb.better(), "lower bits per byte is better");
        assertEquals(false, bpb.intervalsOverlap(), "[2.45, 2.55] and [2.25, 2.35] are disjoint");
        RunComparison.Entry acc = find(c, "finetuned", "accuracy");
        assertEquals("b", acc.better());
        assertEquals(true, acc.intervalsOverlap());
        assertEquals("same", find(c, "majority", "accuracy").better());
        assertNull(find(c, "majority", "accuracy").intervalsOverlap());
        assertEquals("only a", find(c, "ctgan", "ks_complement").better());
        assertEquals("only b", find(c, "tfidf-logreg", "accuracy").better());

        String md = RunComparison.markdown(c);
        assertTrue(md.contains("| evaluate | medical/text | test | finetuned | bits_per_byte ↓ | 2.5 | 2.3 | -0.2 | b | no |"),
                md);
        assertTrue(md.contains("A is better on 0 metrics, B on 2"));
        JsonNode json = new ObjectMapper().readTree(RunComparison.json(c));
        assertEquals(5, json.get("entries").size());
    }

    private static RunComparison.Entry find(RunComparison.Comparison c, String subject, String metric) {
        return c.entries().stream().filter(e -> e.subject().equals(subject) && e.metric().equals(metric))
                .findFirst().orElseThrow();
    }
}
