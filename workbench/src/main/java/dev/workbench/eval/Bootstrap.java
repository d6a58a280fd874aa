package dev.workbench.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded percentile bootstrap. A statistic is a function of item indices, so one resample serves corpus-level ratios
 * (bits per byte), paired differences (the same indices for both models) and label metrics alike.
 */
public final class Bootstrap {

    /** A statistic computed on the items picked by {@code indices} (with repeats). */
    @FunctionalInterface
    public interface Statistic {
        double compute(int[] indices);
    }

    /** @param low lower percentile bound; @param high upper bound */
    public record Interval(double low, double high) {
    }

    /** Replicates and the interval they give. */
    public record Result(double observed, Interval interval, double[] replicates) {
    }

    private Bootstrap() {
    }

    public static int[] identity(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    /**
     * Resamples {@code n} items with replacement {@code samples} times (one {@link SplittableRandom} from {@code seed}),
     * computes the statistic on each, and returns the equal-tailed percentile interval at {@code confidence}.
     */
    public static Result run(int n, int samples, double confidence, long seed, Statistic statistic) {
        if (n <= 0) {
            throw new IllegalArgumentException("bootstrap needs at least one item");
        }
        if (samples <= 0 || !(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("bootstrap needs samples > 0 and 0 < confidence < 1");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicates = new double[samples];
        int[] indices = new int[n];
        for (int b = 0; b < samples; b++) {
            for (int i = 0; i < n; i++) {
                indices[i] = random.nextInt(n);
            }
            replicates[b] = statistic.compute(indices);
        }
        return new Result(statistic.compute(identity(n)), percentileInterval(replicates, confidence), replicates);
    }

    /** Equal-tailed interval of the replicates; NaN replicates (e.g. a resample without positives) are dropped. */
    public static Interval percentileInterval(double[] replicates, double confidence) {
        double[] finite = Arrays.stream(replicates).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (finite.length == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double tail = (1 - confidence) / 2;
        return new Interval(quantile(finite, tail), quantile(finite, 1 - tail));
    }

    /** Quantile of sorted values with linear interpolation between order statistics (numpy's default, type 7). */
    public static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }
}
