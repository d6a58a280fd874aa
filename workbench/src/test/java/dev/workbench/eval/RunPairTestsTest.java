package dev.workbench.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statistics of {@code compare}: the macro-F1 paired bootstrap between two runs and the Holm family. */
class RunPairTestsTest {
    static Samples.Sample sample(String id, String gold, String predicted) {
        return new Samples.Sample("finetuned", id, "h" + id, gold, predicted, Map.of(), Double.NaN);
    }

    @Test
    void macroF1PairedBootstrapMatchesAnIndependentComputation() {
        // golden: src/test/resources/dev/workbench/report/macro_f1_bootstrap_golden.py (python3 stdlib; it ports
        // SplittableRandom, macro-F1, the type-7 quantile and the bootstrap p-value on its own). By hand, the observed
        // difference: other run F1 a 1, b 2/3, c 3/4 (mean 0.80556); first run a 4/7, b 4/7, c 2/3 (mean 0.60317).
        String gold = "aaabbbcccc";
        String first = "abababcacb";
        String other = "aaabbccbcc";
        List<Samples.Sample> a = new ArrayList<>();
        List<Samples.Sample> b = new ArrayList<>();
        for (int i = 0; i < gold.length(); i++) {
            a.add(sample("e" + i, gold.substring(i, i + 1), first.substring(i, i + 1)));
            b.add(0, sample("e" + i, gold.substring(i, i + 1), other.substring(i, i + 1))); // reverse order
        }
        RunPairTests.PairedTest t = RunPairTests.macroF1Bootstrap("finetuned", "B", "A", a, b, 2000, 42);
        assertEquals("paired_bootstrap", t.test());
        assertEquals("macro_f1", t.metric());
        assertEquals(10L, t.n());
        assertEquals(0.20238095238095222, t.difference(), 1e-12);
        assertEquals(-0.18080808080808075, t.ciLow(), 1e-12);
        assertEquals(0.5999999999999999, t.ciHigh(), 1e-12);
        assertEquals(0.35282358820589704, t.pValue(), 1e-12);
    }

    @Test
    void holmAdjustsEveryRunTestAndLeavesRefusedOnesOut() {
        // a hand-made family: 0.01 and 0.04 → Holm 0.02 and 0.04, both significant; 0.03 alone is
        RunPairTests.PairedTest t1 = test(0.01);
        RunPairTests.PairedTest t2 = test(0.04);
        List<RunPairTests.PairedTest> adjusted = RunPairTests.holm(List.of(t1, t2,
                RunPairTests.PairedTest.refused("classifier", "x", "B", "A", "accuracy", "why")));
        assertEquals(0.02, adjusted.get(0).pValueHolm(), 1e-12);
        assertEquals(0.04, adjusted.get(1).pValueHolm(), 1e-12);
        assertNull(adjusted.get(2).pValueHolm(), "a refused test is outside the family");
        assertTrue(adjusted.get(0).significant() && adjusted.get(1).significant());
    }

    private static RunPairTests.PairedTest test(double p) {
        return new RunPairTests.PairedTest("classifier", "finetuned", "B", "A", "accuracy", "mcnemar_exact", 50L,
                5L, 1L, 0.08, null, null, p, null);
    }
}
