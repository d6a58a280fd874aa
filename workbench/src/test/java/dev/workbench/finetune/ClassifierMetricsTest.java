package dev.workbench.finetune;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassifierMetricsTest {
    @Test
    void accuracyAndMacroF1Golden() {
        // By hand (matches sklearn f1_score(average="macro")): a: tp1 fp1 fn1 -> F1 0.5; b: tp2 fp1 fn0 -> 0.8;
        // c: tp0 -> 0; macro = 1.3 / 3 = 0.43333; accuracy 3/5
        List<String> truth = List.of("a", "a", "b", "b", "c");
        List<String> predicted = List.of("a", "b", "b", "b", "a");
        assertEquals(0.6, ClassifierMetrics.accuracy(truth, predicted), 1e-12);
        assertEquals(1.3 / 3, ClassifierMetrics.macroF1(truth, predicted), 1e-12);
    }

    @Test
    void aClassOnlyPredictedCountsToo() {
        // truth only "a", predictions include "z": a: tp1 fn1 -> 2/3; z: fp1 -> 0; macro 1/3
        assertEquals(1.0 / 3, ClassifierMetrics.macroF1(List.of("a", "a"), List.of("a", "z")), 1e-12);
    }
}
