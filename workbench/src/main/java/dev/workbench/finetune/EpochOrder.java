package dev.workbench.finetune;

import dev.workbench.data.Permutation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Which of a task's {@code n} training examples each micro-batch draws: epoch after epoch, each a fresh permutation
 * from {@code Random(seed x 1,000,003 + epoch)}, and sample {@code g} of the run (counted over steps, micro-batches and
 * rows) is {@code permutation(g / n)[g % n]}. The draw is a function of the step alone, so a resumed run draws what
 * the uninterrupted one would have; the current epoch's permutation is kept. The fine-tune and the head-only
 * baseline share it, so the baseline sees the same examples at the same steps.
 */
final class EpochOrder {
    private final int n;
    private final long seed;
    private final int batchSize;
    private final int accumulationSteps;
    private int epoch = -1;
    private int[] order;

    EpochOrder(int n, long seed, int batchSize, int accumulationSteps) {
        this.n = n;
        this.seed = seed;
        this.batchSize = batchSize;
        this.accumulationSteps = accumulationSteps;
    }

    /** The micro-batches of optimizer step {@code step}, each built by {@code batchOf} from its examples. */
    List<MicroBatch> microBatches(long step, Function<int[], MicroBatch> batchOf) {
        List<MicroBatch> batches = new ArrayList<>(accumulationSteps);
        for (int micro = 0; micro < accumulationSteps; micro++) {
            batches.add(batchOf.apply(microBatch(step, micro)));
        }
        return batches;
    }

    /** The examples of micro-batch {@code micro} of optimizer step {@code step}. */
    int[] microBatch(long step, int micro) {
        int[] examples = new int[batchSize];
        for (int row = 0; row < batchSize; row++) {
            examples[row] = example((step * accumulationSteps + micro) * (long) batchSize + row);
        }
        return examples;
    }

    /** Passes over the examples after {@code steps} optimizer steps. */
    double epochAt(long steps) {
        return steps * (double) batchSize * accumulationSteps / n;
    }

    private int example(long sample) {
        int sampleEpoch = (int) (sample / n);
        if (sampleEpoch != epoch) {
            order = Permutation.of(n, new Random(seed * 1_000_003L + sampleEpoch));
            epoch = sampleEpoch;
        }
        return order[(int) (sample % n)];
    }
}
