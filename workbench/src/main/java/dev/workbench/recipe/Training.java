package dev.workbench.recipe;

import java.util.List;
import java.util.Optional;

/**
 * Optimisation settings shared by the fine-tuning tasks.
 *
 * @param devices {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}, or several {@code gpu:N} (data parallel)
 * @param epochs used when {@code maxSteps} is empty
 * @param warmupSteps linear warmup in optimizer steps; 0 when {@code warmupRatio} is set (the two exclude each other)
 * @param warmupRatio warmup as a share of the planned optimizer steps: {@code ceil(ratio * total steps)}, as Hugging
 *     Face's {@code warmup_ratio}; empty = {@code warmupSteps} decides
 * @param evalEverySteps validation every N steps; empty = once per epoch (only with an {@code epochs} budget and no
 *     {@code eval_every_steps} in the recipe; with {@code max_steps} the default is 100)
 * @param maxNonFiniteSteps consecutive NaN/inf steps after which the run stops as diverged (exit code 4)
 */
public record Training(
        List<String> devices,
        Precision precision,
        int batchSize,
        int gradientAccumulationSteps,
        Optional<Integer> epochs,
        Optional<Integer> maxSteps,
        double learningRate,
        LrSchedule lrSchedule,
        int warmupSteps,
        Optional<Double> warmupRatio,
        double weightDecay,
        double maxGradNorm,
        Optional<Integer> evalEverySteps,
        Optional<EarlyStopping> earlyStopping,
        int checkpointEverySteps,
        int keepCheckpoints,
        int maxNonFiniteSteps,
        int logEverySteps) {
    /** training.max_non_finite_steps when the recipe leaves it out (also the synthesizers' without a training section). */
    public static final int DEFAULT_MAX_NON_FINITE_STEPS = 5;
    /** training.eval_every_steps when the recipe leaves it out and the budget is max_steps. */
    public static final int DEFAULT_EVAL_EVERY_STEPS = 100;

    public enum Precision { FP32, BF16, FP16 }

    public enum LrSchedule { COSINE, LINEAR, CONSTANT }

    /** Stop when the validation loss has not improved by {@code minDelta} for {@code patience} evaluations. */
    public record EarlyStopping(int patience, double minDelta) {
    }

    public int effectiveBatchSize() {
        return batchSize * gradientAccumulationSteps;
    }
}
