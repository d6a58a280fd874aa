package dev.workbench.finetune;

/**
 * What one optimizer step measured, as {@link TrainingListener}s see it (and {@code metrics.csv} stores it).
 *
 * @param step steps completed with this one (1-based)
 * @param epoch epochs of training data consumed after this step
 * @param gradNorm global gradient norm before clipping
 * @param tokens input tokens this step processed
 * @param seconds this step's training time (forward, backward, update; evaluation excluded)
 * @param validationLoss measured after this step, or null when it was not evaluated
 * @param diverged the non-finite guard ends training with this step (DIVERGED): no evaluation, no checkpoint follow
 */
record StepRecord(long step, double epoch, double trainLoss, double learningRate, double gradNorm, long tokens,
                  double seconds, Double validationLoss, boolean diverged) {

    double tokensPerSecond() {
        return tokens / seconds;
    }
}
