package dev.workbench.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Goldens computed independently with python3 (plain loops over the same lists: confusion counts, precision = tp /
 * predicted, recall = tp / support, F1 = 2pr/(p+r), ECE with numpy floor(conf*10) bins).
 */
class ClassificationMetricsTest {
    static final List<String> GOLD = List.of("a", "a", "a", "b", "b", "c", "c", "c", "c", "a");
    static final List<String> PRED = List.of("a", "b", "a", "b", "c", "c", "c", "a", "c", "a");

    @Test
    void accuracyConfusionPerClassAndMacroF1() {
        assertEquals(0.7, ClassificationMetrics.accuracy(GOLD, PRED), 1e-12);
        ConfusionMatrix cm = ConfusionMatrix.of(GOLD, PRED);
        assertEquals(List.of("a", "b", "c"), cm.labels());
        // python: [[3, 1, 0], [0, 1, 1], [1, 0, 3]]
        assertEquals(List.of(List.of(3L, 1L, 0L), List.of(0L, 1L, 1L), List.of(1L, 0L, 3L)), cm.counts());
        assertEquals(0.75, cm.precision(0), 1e-12);
        assertEquals(0.75, cm.recall(0), 1e-12);
        assertEquals(0.5, cm.precision(1), 1e-12);
        assertEquals(0.5, cm.recall(1), 1e-12);
        assertEquals(0.75, cm.f1(2), 1e-12);
        assertEquals(4, cm.support(2));
        assertEquals(0.6666666666666666, ClassificationMetrics.macroF1(GOLD, PRED), 1e-12);
    }

    @Test
    void macroF1CountsAClassOnlyPredictedAsZero() {
        // gold {x, x}, pred {x, y}: F1(x) = 2·1·0.5/1.5 = 2/3, F1(y) = 0 (never in gold) -> macro 1/3 (sklearn too).
        assertEquals(1.0 / 3, ClassificationMetrics.macroF1(List.of("x", "x"), List.of("x", "y")), 1e-12);
    }

    @Test
    void expectedCalibrationError() {
        double[] conf = {0.95, 0.85, 0.72, 0.66, 0.55, 0.99, 0.31, 0.45, 0.88, 1.0};
        boolean[] correct = {true, false, true, true, false, true, false, true, true, true};
        // python/numpy: 0.28200000000000003
        assertEquals(0.282, ClassificationMetrics.expectedCalibrationError(correct, conf, 10), 1e-12);
        // A perfectly calibrated bin: two items at confidence 0.5, one right -> 0.
        assertEquals(0.0, ClassificationMetrics.expectedCalibrationError(new boolean[]{true, false},
                new double[]{0.5, 0.5}, 10), 1e-12);
    }

    @Test
    void accuracyAndMacroF1Golden() {
        // By hand (matches sklearn f1_score(average="macro")): a: tp1 fp1 fn1 -> F1 0.5; b: tp2 fp1 fn0 -> 0.8;
        // c: tp0 -> 0; macro = 1.3 / 3 = 0.43333; accuracy 3/5
        List<String> truth = List.of("a", "a", "b", "b", "c");
        List<String> predicted = List.of("a", "b", "b", "b", "a");
        assertEquals(0.6, ClassificationMetrics.accuracy(truth, predicted), 1e-12);
        assertEquals(1.3 / 3, ClassificationMetrics.macroF1(truth, predicted), 1e-12);
    }

    @Test
    void aClassOnlyPredictedCountsToo() {
        // truth only "a", predictions include "z": a: tp1 fn1 -> 2/3; z: fp1 -> 0; macro 1/3
        assertEquals(1.0 / 3, ClassificationMetrics.macroF1(List.of("a", "a"), List.of("a", "z")), 1e-12);
    }
}
