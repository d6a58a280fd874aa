package dev.workbench.finetune;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Where {@link TrainingLoop#run} stands between two steps: everything the loop decides with, replaced (not mutated)
 * by each step. A checkpoint stores a part of it ({@link #checkpointState}); a resume starts from that part
 * ({@link #resumed}).
 *
 * @param step optimizer steps completed, skipped ones included (the next step to run, 0-based)
 * @param learningRate of the last step run by this invocation; NaN before the first
 * @param trainLoss of the last step run by this invocation; NaN before the first
 * @param validationLoss measured at the last step, or null when that step was not evaluated
 * @param bestValidationLoss lowest validation loss so far, infinite before the first evaluation
 * @param bestStep the step of {@code bestValidationLoss}, -1 before the first evaluation
 * @param evaluationsWithoutImprovement the early-stopping counter (improvements smaller than {@code min_delta} do not
 *     reset it)
 * @param stoppedEarly patience ran out: no step follows
 * @param skippedSteps steps whose update the non-finite guard skipped
 * @param lastCheckpoint newest step folder written (or resumed from); null before the first
 * @param bestCheckpoint the complete {@code best/} folder; null while there is none
 * @param trainTokens training tokens of this invocation, for tokens/s
 * @param trainSeconds training time of this invocation (evaluation and checkpoints excluded), for tokens/s
 */
record LoopState(long step, double learningRate, double trainLoss, Double validationLoss, double bestValidationLoss,
                 long bestStep, int evaluationsWithoutImprovement, boolean stoppedEarly, long skippedSteps,
                 Path lastCheckpoint, Path bestCheckpoint, long trainTokens, double trainSeconds) {

    /** Step 0 of a new run. */
    static LoopState fresh() {
        return new LoopState(0, Double.NaN, Double.NaN, null, Double.POSITIVE_INFINITY, -1, 0, false, 0, null, null, 0,
                0);
    }

    /**
     * Exactly where {@code saved} (the state of checkpoint {@code folder}) left off.
     *
     * @param bestCheckpoint the task's complete {@code best/} folder, or null
     * @param stoppedEarly the checkpoint's run had already run out of patience: it stays stopped
     */
    static LoopState resumed(TrainingState saved, Path folder, Path bestCheckpoint, boolean stoppedEarly) {
        return new LoopState(saved.step(), Double.NaN, Double.NaN, null,
                saved.bestValidationLoss() == null ? Double.POSITIVE_INFINITY : saved.bestValidationLoss(),
                saved.bestStep(), saved.evaluationsWithoutImprovement(), stoppedEarly, saved.skippedSteps(), folder,
                bestCheckpoint, 0, 0);
    }

    /** After step {@code step} (1-based: steps completed) ran at {@code learningRate}, not yet evaluated. */
    LoopState trained(long step, double learningRate, double trainLoss, boolean skipped, long tokens, double seconds) {
        return new LoopState(step, learningRate, trainLoss, null, bestValidationLoss, bestStep,
                evaluationsWithoutImprovement, stoppedEarly, skippedSteps + (skipped ? 1 : 0), lastCheckpoint,
                bestCheckpoint, trainTokens + tokens, trainSeconds + seconds);
    }

    /** This step measured {@code validationLoss}; a new best when {@code improved}. */
    LoopState evaluated(double validationLoss, boolean improved, int evaluationsWithoutImprovement,
                        boolean stoppedEarly) {
        return new LoopState(step, learningRate, trainLoss, validationLoss,
                improved ? validationLoss : bestValidationLoss, improved ? step : bestStep,
                evaluationsWithoutImprovement, stoppedEarly, skippedSteps, lastCheckpoint, bestCheckpoint, trainTokens,
                trainSeconds);
    }

    LoopState withLastCheckpoint(Path folder) {
        return new LoopState(step, learningRate, trainLoss, validationLoss, bestValidationLoss, bestStep,
                evaluationsWithoutImprovement, stoppedEarly, skippedSteps, folder, bestCheckpoint, trainTokens,
                trainSeconds);
    }

    LoopState withBestCheckpoint(Path folder) {
        return new LoopState(step, learningRate, trainLoss, validationLoss, bestValidationLoss, bestStep,
                evaluationsWithoutImprovement, stoppedEarly, skippedSteps, lastCheckpoint, folder, trainTokens,
                trainSeconds);
    }

    /** Training tokens per second of training time in this invocation; 0 when it trained nothing. */
    double tokensPerSecond() {
        return trainTokens / Math.max(1e-9, trainSeconds);
    }

    /**
     * What a checkpoint written now stores ({@code training_state.json}): the one place where loop state becomes
     * checkpoint state.
     *
     * @param optimizerStep updates the optimizer took (steps minus skipped ones)
     */
    TrainingState checkpointState(String task, long seed, double epoch, long optimizerStep) {
        return new TrainingState(TrainingState.SCHEMA_VERSION, task, step, epoch, seed, optimizerStep, learningRate,
                Double.isFinite(trainLoss) ? trainLoss : null, validationLoss,
                Double.isFinite(bestValidationLoss) ? bestValidationLoss : null, bestStep,
                evaluationsWithoutImprovement, skippedSteps, Instant.now().toString());
    }
}
