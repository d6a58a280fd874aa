package dev.workbench.eval;

import dev.workbench.data.LabelledExample;
import dev.workbench.data.PreparedData;
import dev.workbench.data.Splits;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate.out_of_scope_label}: in-scope accuracy, out-of-scope recall and precision on a toy test set whose
 * values are counted by hand, for the fine-tuned classifier and a baseline alike.
 */
class OutOfScopeMetricsTest {
    /**
     * (gold, predicted), counted by hand: in-scope rows 1, 2, 3, 4, 8 of which 1, 3, 8 are right: 3/5; out-of-scope
     * rows 5, 6, 7 of which 5 and 7 are predicted oos: 2/3; predicted oos 4, 5, 7 of which 5 and 7 are: 2/3.
     */
    static final String[][] TOY = {
            {"a", "a"}, {"a", "b"}, {"b", "b"}, {"b", "oos"}, {"oos", "oos"}, {"oos", "a"}, {"oos", "oos"},
            {"a", "a"}};

    static List<PredictionFiles.ClassifierPrediction> toy() {
        List<PredictionFiles.ClassifierPrediction> out = new ArrayList<>();
        for (int i = 0; i < TOY.length; i++) {
            out.add(new PredictionFiles.ClassifierPrediction("t" + (i + 1), TOY[i][0], TOY[i][1], 0.9));
        }
        return out;
    }

    static Map<Metric, OutOfScopeMetrics.Value> byMetric(List<OutOfScopeMetrics.Value> values) {
        Map<Metric, OutOfScopeMetrics.Value> map = new java.util.EnumMap<>(Metric.class);
        values.forEach(v -> map.put(v.metric(), v));
        return map;
    }

    @Test
    void toySetCountedByHand() {
        Map<Metric, OutOfScopeMetrics.Value> scores = byMetric(OutOfScopeMetrics.score(toy(), Set.of("oos"), 200,
                0.95, 42));
        assertEquals(3, scores.size());
        assertValue(scores.get(Metric.IN_SCOPE_ACCURACY), 3.0 / 5, 5);
        assertValue(scores.get(Metric.OOS_RECALL), 2.0 / 3, 3);
        assertValue(scores.get(Metric.OOS_PRECISION), 2.0 / 3, 3);
    }

    private static void assertValue(OutOfScopeMetrics.Value v, double expected, long n) {
        assertEquals(expected, v.value(), 1e-12, v.metric().key());
        assertEquals(n, v.n(), v.metric().key() + " denominator");
        assertTrue(v.interval().low() <= v.value() && v.value() <= v.interval().high(), v.toString());
        assertTrue(v.interval().low() >= 0 && v.interval().high() <= 1, v.toString());
        assertTrue(v.interval().low() < v.interval().high(), "8 rows leave room for doubt: " + v);
    }

    @Test
    void severalOutOfScopeLabelsCountAsOneClass() {
        List<PredictionFiles.ClassifierPrediction> p = List.of(
                new PredictionFiles.ClassifierPrediction("1", "oos", "none", 0.5),
                new PredictionFiles.ClassifierPrediction("2", "none", "a", 0.5),
                new PredictionFiles.ClassifierPrediction("3", "a", "a", 0.5));
        Map<Metric, OutOfScopeMetrics.Value> scores = byMetric(OutOfScopeMetrics.score(p, Set.of("oos", "none"), 50,
                0.9, 1));
        assertEquals(1.0, scores.get(Metric.IN_SCOPE_ACCURACY).value());
        assertEquals(0.5, scores.get(Metric.OOS_RECALL).value(), "oos predicted as none is caught");
        assertEquals(1.0, scores.get(Metric.OOS_PRECISION).value());
    }

    @Test
    void nothingPredictedOutOfScopeHasPrecisionZeroAndNoOutOfScopeRowHasNoRecall() {
        List<PredictionFiles.ClassifierPrediction> allIn = List.of(
                new PredictionFiles.ClassifierPrediction("1", "oos", "a", 0.5),
                new PredictionFiles.ClassifierPrediction("2", "a", "a", 0.5));
        Map<Metric, OutOfScopeMetrics.Value> scores = byMetric(OutOfScopeMetrics.score(allIn, Set.of("oos"), 50, 0.9,
                1));
        assertEquals(0.0, scores.get(Metric.OOS_RECALL).value());
        assertEquals(0.0, scores.get(Metric.OOS_PRECISION).value(), "scikit-learn's zero_division=0");
        assertEquals(0, scores.get(Metric.OOS_PRECISION).n());
        List<PredictionFiles.ClassifierPrediction> noOos = List.of(
                new PredictionFiles.ClassifierPrediction("1", "b", "a", 0.5),
                new PredictionFiles.ClassifierPrediction("2", "a", "a", 0.5));
        assertEquals(Set.of(Metric.IN_SCOPE_ACCURACY),
                byMetric(OutOfScopeMetrics.score(noOos, Set.of("oos"), 50, 0.9, 1)).keySet());
    }

    @Test
    void onlyLabelsThatOccurCount() {
        Splits<LabelledExample> labelled = new Splits<>(List.of(new LabelledExample("1", "x", "oos")), List.of(),
                List.of(new LabelledExample("2", "y", "a")));
        assertEquals(Set.of("oos"), OutOfScopeMetrics.present(List.of("oos", "none"), Optional.of(labelled),
                List.of()));
        assertEquals(Set.of(), OutOfScopeMetrics.present(List.of("none"), Optional.of(labelled), List.of()));
        assertEquals(Set.of("none"), OutOfScopeMetrics.present(List.of("none"), Optional.empty(),
                List.of(List.of(new PredictionFiles.ClassifierPrediction("1", "none", "a", 0.5)))));
    }

    /** Through the evaluate stage: every scored classifier gets the rows, with intervals; none without an oos label. */
    @Test
    void evaluateStageWritesTheRowsForEveryClassifier(@TempDir Path dir) throws Exception {
        List<LabelledExample> train = new ArrayList<>();
        for (String label : List.of("a", "a", "a", "b", "b", "oos")) {
            train.add(new LabelledExample("r" + train.size(), "text " + label + " " + train.size(), label));
        }
        List<LabelledExample> test = new ArrayList<>();
        StringBuilder csv = new StringBuilder("id,label,predicted,confidence\n");
        for (int i = 0; i < TOY.length; i++) {
            test.add(new LabelledExample("t" + (i + 1), "query " + i, TOY[i][0]));
            csv.append("t").append(i + 1).append(',').append(TOY[i][0]).append(',').append(TOY[i][1])
                    .append(",0.9\n");
        }
        Files.createDirectories(dir.resolve("predictions"));
        Files.writeString(dir.resolve(RunFolder.CLASSIFIER_PREDICTIONS), csv);
        PreparedData data = new PreparedData(Optional.empty(), Optional.of(new Splits<>(train, List.of(), test)),
                Optional.empty(), Optional.empty(), Map.of(), Map.of());
        EvaluationSettings settings = new EvaluationSettings(42, "intents", false, true, false, 200, 0.95,
                List.of("majority"), Optional.empty(), Map.of(), Optional.empty(), 1.0, List.of("oos"));
        List<MetricRow> rows = EvaluateStage.evaluate(dir, settings, data, new PrintStream(new ByteArrayOutputStream()))
                .rows();
        assertEquals(3.0 / 5, find(rows, "finetuned", Metric.IN_SCOPE_ACCURACY).value(), 1e-12);
        assertEquals(2.0 / 3, find(rows, "finetuned", Metric.OOS_RECALL).value(), 1e-12);
        assertEquals(2.0 / 3, find(rows, "finetuned", Metric.OOS_PRECISION).value(), 1e-12);
        MetricRow recall = find(rows, "finetuned", Metric.OOS_RECALL);
        assertEquals(3L, recall.n());
        assertTrue(recall.ciLow() <= recall.value() && recall.value() <= recall.ciHigh());
        assertEquals("intents/labelled", recall.dataset());
        // the majority baseline says "a" to everything: right on 3 of 5 in scope, catches no out-of-scope row
        assertEquals(3.0 / 5, find(rows, "majority", Metric.IN_SCOPE_ACCURACY).value(), 1e-12);
        assertEquals(0.0, find(rows, "majority", Metric.OOS_RECALL).value());
        assertEquals(0.0, find(rows, "majority", Metric.OOS_PRECISION).value());

        EvaluationSettings otherLabel = new EvaluationSettings(42, "intents", false, true, false, 200, 0.95,
                List.of("majority"), Optional.empty(), Map.of(), Optional.empty(), 1.0, List.of("out_of_scope"));
        List<MetricRow> without = EvaluateStage.evaluate(dir, otherLabel, data,
                new PrintStream(new ByteArrayOutputStream())).rows();
        assertTrue(without.stream().noneMatch(r -> r.is(Metric.OOS_RECALL) || r.is(Metric.IN_SCOPE_ACCURACY)
                || r.is(Metric.OOS_PRECISION)), "no out-of-scope label in the data: no rows");
    }

    private static MetricRow find(List<MetricRow> rows, String subject, Metric metric) {
        return rows.stream().filter(r -> r.subject().equals(subject) && r.is(metric)).findFirst()
                .orElseThrow(() -> new AssertionError(subject + " " + metric.key()));
    }
}
