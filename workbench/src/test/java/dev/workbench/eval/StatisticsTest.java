package dev.workbench.eval;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Goldens from python3: math.comb sums for McNemar, numpy.quantile for percentiles, Holm by hand. */
class StatisticsTest {

    @Test
    void mcnemarExactMatchesTheBinomialTail() {
        // 2 * (C(10,0) + C(10,1)) / 2^10 = 22 / 1024
        assertEquals(0.021484375, PairedTests.mcnemarExact(1, 9), 1e-15);
        assertEquals(0.021484375, PairedTests.mcnemarExact(9, 1), 1e-15);
        // 2 * sum_{i<=3} C(15, i) / 2^15 = 2 * 576 / 32768
        assertEquals(0.03515625, PairedTests.mcnemarExact(3, 12), 1e-15);
        // python: min(1, 2*sum(math.comb(100,i) for i in range(41))/2**100)
        assertEquals(0.05688793364098079, PairedTests.mcnemarExact(40, 60), 1e-12);
        assertEquals(1.0, PairedTests.mcnemarExact(5, 5), 0);
        assertEquals(1.0, PairedTests.mcnemarExact(0, 0), 0);
        // Large counts stay finite (log-space sum): balanced -> ~1, lopsided -> tiny.
        assertTrue(PairedTests.mcnemarExact(5000, 5000) > 0.99);
        assertTrue(PairedTests.mcnemarExact(100, 5000) < 1e-300 || PairedTests.mcnemarExact(100, 5000) == 0);
    }

    @Test
    void mcnemarCountsDiscordantPairs() {
        boolean[] a = {true, true, false, false, true, true};
        boolean[] b = {true, false, true, false, false, false};
        PairedTests.McNemar m = PairedTests.mcnemar(a, b);
        assertEquals(3, m.onlyFirstRight());
        assertEquals(1, m.onlySecondRight());
        assertEquals(PairedTests.mcnemarExact(3, 1), m.pValue(), 0); // = 2 * 5/16 = 0.625
        assertEquals(0.625, m.pValue(), 1e-15);
    }

    @Test
    void holmStepDown() {
        // sorted .01 .03 .04 -> .03, .06, max(.06, .04) = .06; back in input order
        assertArrayEquals(new double[]{0.03, 0.06, 0.06}, PairedTests.holm(new double[]{0.01, 0.04, 0.03}), 1e-12);
        assertArrayEquals(new double[]{0.04, 0.5}, PairedTests.holm(new double[]{0.02, 0.5}), 1e-12);
        assertArrayEquals(new double[]{1.0, 1.0}, PairedTests.holm(new double[]{0.7, 0.9}), 1e-12);
    }

    @Test
    void quantileMatchesNumpyDefault() {
        double[] sorted = {1, 2, 3, 4, 10};
        // numpy.quantile([1,2,3,4,10], [0.025, 0.975]) -> [1.1, 9.4]
        assertEquals(1.1, Bootstrap.quantile(sorted, 0.025), 1e-12);
        assertEquals(9.4, Bootstrap.quantile(sorted, 0.975), 1e-12);
        // numpy.quantile([5,1,4,2,3,9,7], [0.05, 0.5, 0.95]) -> [1.3, 4, 8.4]
        Bootstrap.Interval i = Bootstrap.percentileInterval(new double[]{5, 1, 4, 2, 3, 9, 7}, 0.9);
        assertEquals(1.3, i.low(), 1e-12);
        assertEquals(8.4, i.high(), 1e-12);
    }

    @Test
    void bootstrapIsSeededAndCoversTheMeanLikeTheNormalApproximation() {
        double[] x = new double[400];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() * 2 + 5;
        }
        Bootstrap.Statistic mean = idx -> Arrays.stream(idx).mapToDouble(i -> x[i]).average().orElseThrow();
        Bootstrap.Result a = Bootstrap.run(x.length, 2000, 0.95, 42, mean);
        Bootstrap.Result b = Bootstrap.run(x.length, 2000, 0.95, 42, mean);
        Bootstrap.Result c = Bootstrap.run(x.length, 2000, 0.95, 43, mean);
        assertEquals(a.interval(), b.interval());
        assertNotEquals(a.interval(), c.interval());
        // Normal approximation: half-width 1.96 * s / sqrt(n); the percentile interval agrees within ~10 %.
        double m = a.observed();
        double s = Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1));
        double halfWidth = 1.96 * s / Math.sqrt(x.length);
        assertEquals(halfWidth, (a.interval().high() - a.interval().low()) / 2, 0.1 * halfWidth);
        assertTrue(a.interval().low() < m && m < a.interval().high());
    }

    @Test
    void constantDataGivesAZeroWidthInterval() {
        Bootstrap.Result r = Bootstrap.run(10, 100, 0.95, 1, idx -> 3.0);
        assertEquals(3.0, r.interval().low(), 0);
        assertEquals(3.0, r.interval().high(), 0);
    }

    @Test
    void bootstrapPValueCountsReplicatesAsFarFromTheObservedValueAsZeroIs() {
        // |r - 1| >= 1 for 2.5 and -0.2 only -> (1 + 2) / (1 + 5)
        assertEquals(0.5, PairedTests.bootstrapPValue(1.0, new double[]{0.5, 1.5, 2.5, -0.2, 1.0}), 1e-15);
    }

    @Test
    void pairedBootstrapDetectsAConsistentImprovement() {
        // Model B is 0.1 bit/byte better on every document: the difference is -0.1 with a tight CI and p ~ 1/(B+1).
        double[] a = new double[50];
        double[] b = new double[50];
        long[] bytes = new long[50];
        for (int i = 0; i < 50; i++) {
            bytes[i] = 100 + i;
            a[i] = 2.0 * bytes[i] + (i % 7);
            b[i] = a[i] - 0.1 * bytes[i];
        }
        PairedTests.PairedBootstrap p = PairedTests.pairedBootstrap(50, 999, 0.95, 3,
                idx -> LanguageModelMetrics.bitsPerByte(b, bytes, idx) - LanguageModelMetrics.bitsPerByte(a, bytes, idx));
        assertEquals(-0.1, p.observed(), 1e-12);
        assertEquals(0.001, p.pValue(), 1e-12);
        assertTrue(p.interval().high() < 0);
    }
}
