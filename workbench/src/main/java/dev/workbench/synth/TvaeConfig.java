package dev.workbench.synth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.recipe.Synthesize;

import java.util.OptionalInt;

/**
 * TVAE's recipe settings: the budget, the batch and clipping. The network sizes
 * ({@link TvaeSynthesizer.Architecture}) and the optimiser are the library's fixed defaults.
 *
 * @param epochs passes over the training rows; the budget is max(epochs x steps per epoch, steps) steps
 * @param steps minimum number of steps
 */
// generator folders written before TvaeConfig existed hold the whole CtganConfig under "config": its other keys are
// ignored
@JsonIgnoreProperties(ignoreUnknown = true)
public record TvaeConfig(
        @JsonProperty("epochs") int epochs,
        @JsonProperty("steps") int steps,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("clip_to_range") boolean clipToRange) {

    public TvaeConfig {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size must be positive");
        }
    }

    /** The library's TVAESynthesizer defaults (v0.12.1): 300 epochs, batch 500; numbers clipped to the seen range. */
    public static TvaeConfig defaults() {
        return new TvaeConfig(300, 0, 500, true);
    }

    /** The recipe's synthesize section. */
    public static TvaeConfig from(Synthesize s) {
        return new TvaeConfig(s.epochs(), s.steps(), s.batchSize(), s.clipToRange());
    }

    public TvaeConfig withBudget(int newEpochs, int newSteps) {
        return new TvaeConfig(newEpochs, newSteps, batchSize, clipToRange);
    }

    /** Training batch for {@code rows} rows: batch_size, at most the number of rows (TVAE has no pac). */
    public int effectiveBatchSize(int rows) {
        return Math.max(1, Math.min(batchSize, rows));
    }

    /** The library's DataLoader (drop_last=False): ceil(rows / batch) steps per epoch, the last one shorter. */
    public StepBudget budget(int rows) {
        int batch = effectiveBatchSize(rows);
        return new StepBudget("step", epochs, Math.max(1, (rows + batch - 1) / batch), steps, batch,
                OptionalInt.empty());
    }
}
