package dev.workbench.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Tests for two systems scored on the same items. Unpaired tests ignore the covariance between the two systems and
 * are wrong here (Dietterich 1998), so only paired ones exist.
 */
public final class PairedTests {
    private PairedTests() {
    }

    /**
     * McNemar's exact test: under H0 the discordant pairs split Binomial(b + c, 1/2); two-sided
     * {@code p = min(1, 2 · Σ_{i ≤ min(b,c)} C(b+c, i) / 2^(b+c))}. Exact for every n (no χ² switch), summed in log
     * space so large counts do not overflow.
     *
     * @param onlyFirstRight items the first system gets right and the second wrong (b)
     * @param onlySecondRight items the second system gets right and the first wrong (c)
     */
    public static double mcnemarExact(long onlyFirstRight, long onlySecondRight) {
        long n = onlyFirstRight + onlySecondRight;
        if (n == 0) {
            return 1.0;
        }
        long k = Math.min(onlyFirstRight, onlySecondRight);
        double logHalfPowN = -n * Math.log(2);
        double logBinomial = 0; // log C(n, 0)
        double tail = 0;
        for (long i = 0; i <= k; i++) {
            if (i > 0) {
                logBinomial += Math.log((double) (n - i + 1) / i);
            }
            tail += Math.exp(logBinomial + logHalfPowN);
        }
        return Math.min(1.0, 2 * tail);
    }

    /** A McNemar comparison with its discordant counts. */
    public record McNemar(long n, long onlyFirstRight, long onlySecondRight, double pValue) {
    }

    public static McNemar mcnemar(boolean[] firstRight, boolean[] secondRight) {
        if (firstRight.length != secondRight.length) {
            throw new IllegalArgumentException("paired test needs the same items for both systems");
        }
        long b = 0;
        long c = 0;
        for (int i = 0; i < firstRight.length; i++) {
            if (firstRight[i] && !secondRight[i]) {
                b++;
            } else if (!firstRight[i] && secondRight[i]) {
                c++;
            }
        }
        return new McNemar(firstRight.length, b, c, mcnemarExact(b, c));
    }

    /** Observed difference, its percentile interval and a two-sided bootstrap p-value. */
    public record PairedBootstrap(double observed, Bootstrap.Interval interval, double pValue, int samples) {
    }

    /**
     * Paired bootstrap of a difference statistic (documents resampled jointly for both systems). Two-sided p-value
     * {@code (1 + #{|d* − d| ≥ |d|}) / (1 + B)} (Davison & Hinkley 1997: the replicates centred on the observed value
     * approximate the null distribution).
     */
    public static PairedBootstrap pairedBootstrap(int n, int samples, double confidence, long seed,
                                                  Bootstrap.Statistic difference) {
        Bootstrap.Result result = Bootstrap.run(n, samples, confidence, seed, difference);
        return new PairedBootstrap(result.observed(), result.interval(),
                bootstrapPValue(result.observed(), result.replicates()), samples);
    }

    public static double bootstrapPValue(double observed, double[] replicates) {
        long extreme = Arrays.stream(replicates)
                .filter(r -> Math.abs(r - observed) >= Math.abs(observed)).count();
        return (1.0 + extreme) / (1.0 + replicates.length);
    }

    /**
     * Holm–Bonferroni step-down adjustment: sort p ascending, {@code p'_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j))};
     * returned in the input order. Controls the family-wise error rate without independence assumptions.
     */
    public static double[] holm(double[] pValues) {
        int m = pValues.length;
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
