package dev.workbench.finetune;

import dev.workbench.data.Permutation;

import java.util.Random;

/**
 * The order a classifier task reads its {@code n} training examples in: a fresh permutation per epoch from
 * {@code Random(seed * 1_000_003 + epoch)}, so the rows of an optimizer step are a function of the seed and the step
 * (a resumed run sees the same data). The fine-tune and the head-only baseline share it, so the baseline sees the
 * same examples at the same steps.
 */
final class EpochOrder {
    private final int n;
    private final long seed;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    EpochOrder(int n, long seed) {
        this.n = n;
        this.seed = seed;
    }

    /** The example indices of micro-batch {@code micro} of optimizer step {@code step}. */
    int[] rows(long step, int micro, int accumulationSteps, int batchSize) {
        int[] rows = new int[batchSize];
        for (int r = 0; r < batchSize; r++) {
            long sample = (step * accumulationSteps + micro) * (long) batchSize + r;
            int epoch = (int) (sample / n);
            if (epoch != cachedEpoch) {
                cachedOrder = Permutation.of(n, new Random(seed * 1_000_003L + epoch));
                cachedEpoch = epoch;
            }
            rows[r] = cachedOrder[(int) (sample % n)];
        }
        return rows;
    }
}
