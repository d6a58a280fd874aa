package dev.workbench.eval;

import org.apache.commons.math3.special.Erf;

import java.util.Arrays;
import java.util.List;
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
     * {@code p = min(1, 2 · Σ_{i ≤ min(b,c)} C(b+c, i) / 2^(b+c))}. Summed in log
     * space so large counts do not overflow. {@link #mcnemar} uses it up to 25 discordant pairs.
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

    /** At most this many discordant pairs: exact binomial test; more: χ² with continuity correction. */
    public static final long MCNEMAR_EXACT_MAX_DISCORDANT = 25;
    public static final String MCNEMAR_EXACT = "exact";
    public static final String MCNEMAR_CHI2 = "chi2_continuity";

    /**
     * McNemar's χ² test with Edwards' continuity correction: {@code χ² = max(0, |b − c| − 1)² / (b + c)} on one
     * degree of freedom, {@code p = P(χ²₁ ≥ χ²) = erfc(√(χ²/2))}. (statsmodels' {@code mcnemar(exact=False)} does
     * not clamp at 0, which only matters when b = c, where the clamp gives the correct p = 1.)
     */
    public static double mcnemarChiSquare(long onlyFirstRight, long onlySecondRight) {
        long n = onlyFirstRight + onlySecondRight;
        if (n == 0) {
            return 1.0;
        }
        double corrected = Math.max(0, Math.abs(onlyFirstRight - onlySecondRight) - 1.0);
        return chiSquareOneDofSurvival(corrected * corrected / n);
    }

    /** {@code P(χ²₁ ≥ x) = erfc(√(x/2))}, accurate in the far tail where {@code 1 − cdf} would round to 0. */
    static double chiSquareOneDofSurvival(double x) {
        return x > 0 ? Erf.erfc(Math.sqrt(x / 2)) : 1.0;
    }

    /**
     * McNemar's test as the issue specifies it: exact binomial when {@code b + c ≤ 25}, else χ² with continuity
     * correction (the normal approximation is good there and the exact sum is not needed).
     */
    public static McNemar mcnemar(long onlyFirstRight, long onlySecondRight, long n) {
        boolean exact = onlyFirstRight + onlySecondRight <= MCNEMAR_EXACT_MAX_DISCORDANT;
        return new McNemar(n, onlyFirstRight, onlySecondRight,
                exact ? mcnemarExact(onlyFirstRight, onlySecondRight)
                        : mcnemarChiSquare(onlyFirstRight, onlySecondRight),
                exact ? MCNEMAR_EXACT : MCNEMAR_CHI2);
    }

    /**
     * A McNemar comparison with its discordant counts.
     *
     * @param method {@link #MCNEMAR_EXACT} or {@link #MCNEMAR_CHI2}
     */
    public record McNemar(long n, long onlyFirstRight, long onlySecondRight, double pValue, String method) {
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
        return mcnemar(b, c, firstRight.length);
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

    /**
     * Paired bootstrap of macro-F1(first) − macro-F1(second) on the same items (aligned lists): macro-F1 is not a
     * per-item score, so each replicate recomputes both on the same resampled items (from {@link LabelCodes}: counts,
     * not a confusion matrix per replicate).
     */
    public static PairedBootstrap macroF1Difference(List<String> gold, List<String> first, List<String> second,
                                                    int samples, double confidence, long seed) {
        LabelCodes codes = LabelCodes.of(gold, List.of(first, second));
        return pairedBootstrap(gold.size(), samples, confidence, seed,
                idx -> codes.macroF1(0, idx) - codes.macroF1(1, idx));
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
