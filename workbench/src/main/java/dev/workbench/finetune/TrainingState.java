package dev.workbench.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code training_state.json} of a checkpoint: where the loop was, so that a resume continues exactly. The data
 * position and the dropout RNG are both functions of (seed, step), so the step is all the data state there is.
 *
 * @param step optimizer steps completed (the next step to run is {@code step}, 0-based)
 * @param optimizerStep AdamW updates taken (step minus skipped non-finite steps)
 * @param validationLoss validation loss measured at this step, or null when not evaluated here
 * @param evaluationsWithoutImprovement early-stopping counter
 */
public record TrainingState(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("task") String task,
        @JsonProperty("step") long step,
        @JsonProperty("epoch") double epoch,
        @JsonProperty("seed") long seed,
        @JsonProperty("optimizer_step") long optimizerStep,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("train_loss") Double trainLoss,
        @JsonProperty("validation_loss") Double validationLoss,
        @JsonProperty("best_validation_loss") Double bestValidationLoss,
        @JsonProperty("best_step") long bestStep,
        @JsonProperty("evaluations_without_improvement") int evaluationsWithoutImprovement,
        @JsonProperty("skipped_steps") long skippedSteps,
        @JsonProperty("created_at") String createdAt) {

    public static final int SCHEMA_VERSION = 1;
}
