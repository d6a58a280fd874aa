package dev.workbench.recipe;

import java.util.List;
import java.util.Optional;

/**
 * Optimisation settings shared by the fine-tuning tasks.
 *
 * @param devices {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}, or several {@code gpu:N} (data parallel)
 * @param epochs used when {@code maxSteps} is empty
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
        double weightDecay,
        double maxGradNorm,
        int evalEverySteps,
        Optional<EarlyStopping> earlyStopping,
        int checkpointEverySteps,
        int keepCheckpoints,
        int maxNonFiniteSteps,
        int logEverySteps) {
    /** training.max_non_finite_steps when the recipe leaves it out (also the synthesizers' without a training section). */
    public static final int DEFAULT_MAX_NON_FINITE_STEPS = 5;


    public enum Precision { FP32, BF16, FP16 }

    public enum LrSchedule { COSINE, LINEAR, CONSTANT }

    /** Stop when the validation loss has not improved by {@code minDelta} for {@code patience} evaluations. */
    public record EarlyStopping(int patience, double minDelta) {
    }

    public int effectiveBatchSize() {
        return batchSize * gradientAccumulationSteps;
    }
}
