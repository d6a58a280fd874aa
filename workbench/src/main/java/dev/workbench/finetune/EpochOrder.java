package dev.workbench.finetune;

import dev.workbench.data.Permutation;

import java.util.Random;

/**
 * The order in which a training task visits its {@code n} examples: epoch after epoch, each a fresh permutation from
 * {@code Random(seed x 1,000,003 + epoch)}. Sample {@code g} of the run is a function of {@code g} alone, so a resumed
 * run draws what the uninterrupted one would have; the current epoch's permutation is kept.
 */
final class EpochOrder {
    private final int n;
    private final long seed;
    private int epoch = -1;
    private int[] order;

    EpochOrder(int n, long seed) {
        this.n = n;
        this.seed = seed;
    }

    /** The example that sample {@code sample} of the run (counted over steps, micro-batches and rows) draws. */
    int example(long sample) {
        int sampleEpoch = (int) (sample / n);
        if (sampleEpoch != epoch) {
            order = Permutation.of(n, new Random(seed * 1_000_003L + sampleEpoch));
            epoch = sampleEpoch;
        }
        return order[(int) (sample % n)];
    }
}
