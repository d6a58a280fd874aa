package dev.workbench.synth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.recipe.Synthesize;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * CTGAN settings. Defaults are the CTGAN library's (v0.12.1): batch 500, pac 10, noise 128, generator and critic
 * (256, 256), Adam 2e-4 with betas (0.5, 0.9) and L2 weight decay 1e-6, Gumbel tau 0.2, gradient-penalty weight 10,
 * critic dropout 0.5, log-frequency training conditions.
 *
 * @param epochs passes over the training rows; the budget is max(epochs x steps per epoch, steps) generator steps
 * @param steps minimum number of generator steps (small tables get too few steps from epochs alone)
 * @param empiricalSamplingFrequencies at unconditional sampling, draw the conditioning category from the empirical
 *     frequencies (true) or from the log-frequency PMF as the CTGAN library does (false; it over-samples rare
 *     categories, CTGAN issue #16)
 */
// eval_mode_sampling: a retired switch that generator folders written before 2026-11-29 still carry; such generators
// now sample with BatchNorm's running statistics like every other
@JsonIgnoreProperties({"eval_mode_sampling"})
public record CtganConfig(
        @JsonProperty("epochs") int epochs,
        @JsonProperty("steps") int steps,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("pac") int pac,
        @JsonProperty("noise_dim") int noiseDim,
        @JsonProperty("generator_dims") List<Integer> generatorDims,
        @JsonProperty("critic_dims") List<Integer> criticDims,
        @JsonProperty("generator_learning_rate") double generatorLearningRate,
        @JsonProperty("critic_learning_rate") double criticLearningRate,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("log_frequency") boolean logFrequency,
        @JsonProperty("gumbel_tau") double gumbelTau,
        @JsonProperty("gradient_penalty_weight") double gradientPenaltyWeight,
        @JsonProperty("critic_dropout") double criticDropout,
        @JsonProperty("clip_to_range") boolean clipToRange,
        @JsonProperty("empirical_sampling_frequencies") boolean empiricalSamplingFrequencies) {

    public CtganConfig {
        if (batchSize <= 0 || pac <= 0 || noiseDim <= 0) {
            throw new IllegalArgumentException("batch_size, pac and noise_dim must be positive");
        }
        generatorDims = List.copyOf(generatorDims);
        criticDims = List.copyOf(criticDims);
    }

    public static CtganConfig defaults() {
        return new CtganConfig(300, 0, 500, 10, 128, List.of(256, 256), List.of(256, 256), 2e-4, 2e-4, 1e-6, true,
                0.2, 10, 0.5, true, true);
    }

    /** The recipe's synthesize section; the settings a recipe cannot name keep the library defaults. */
    public static CtganConfig from(Synthesize s) {
        CtganConfig d = defaults();
        return new CtganConfig(s.epochs(), s.steps(), s.batchSize(), s.pac(), s.noiseDim(), s.generatorDims(),
                s.criticDims(), s.generatorLearningRate(), s.criticLearningRate(), d.weightDecay(), s.logFrequency(),
                d.gumbelTau(), d.gradientPenaltyWeight(), d.criticDropout(), s.clipToRange(),
                d.empiricalSamplingFrequencies());
    }

    public CtganConfig withBudget(int newEpochs, int newSteps) {
        return new CtganConfig(newEpochs, newSteps, batchSize, pac, noiseDim, generatorDims, criticDims,
                generatorLearningRate, criticLearningRate, weightDecay, logFrequency, gumbelTau, gradientPenaltyWeight,
                criticDropout, clipToRange, empiricalSamplingFrequencies);
    }

    public CtganConfig withNetworks(int newBatchSize, int newPac, int newNoiseDim, List<Integer> newGeneratorDims,
                                    List<Integer> newCriticDims) {
        return new CtganConfig(epochs, steps, newBatchSize, newPac, newNoiseDim, newGeneratorDims, newCriticDims,
                generatorLearningRate, criticLearningRate, weightDecay, logFrequency, gumbelTau, gradientPenaltyWeight,
                criticDropout, clipToRange, empiricalSamplingFrequencies);
    }

    public CtganConfig withLearningRates(double generator, double critic) {
        return new CtganConfig(epochs, steps, batchSize, pac, noiseDim, generatorDims, criticDims, generator, critic,
                weightDecay, logFrequency, gumbelTau, gradientPenaltyWeight, criticDropout, clipToRange,
                empiricalSamplingFrequencies);
    }

    /** Training batch for {@code rows} training rows: at most batch_size, a multiple of pac, at least pac. */
    public int effectiveBatchSize(int rows) {
        int batch = Math.min(batchSize, Math.max(rows, pac));
        return Math.max(pac, batch / pac * pac);
    }

    /** CTGAN's steps per epoch: max(rows / batch, 1). */
    public int stepsPerEpoch(int rows) {
        return Math.max(rows / effectiveBatchSize(rows), 1);
    }

    /** Generator steps to train on {@code rows} rows: max(epochs x steps per epoch, steps), batch and pac. */
    public StepBudget budget(int rows) {
        int batch = effectiveBatchSize(rows);
        return new StepBudget("generator step", epochs, stepsPerEpoch(rows), steps, batch,
                OptionalInt.of(Math.min(pac, batch)));
    }

    /**
     * A recipe section with these settings (no augmentation), for benchmarks and tests that start from CTGAN's
     * settings and create methods by name. Settings a recipe cannot name (weight_decay, gumbel_tau, ...) are not
     * carried: {@link #from} gives them their defaults again.
     */
    public Synthesize asSection(List<String> methods) {
        return new Synthesize(methods, Optional.empty(), epochs, steps, batchSize, pac, noiseDim, generatorDims,
                criticDims, generatorLearningRate, criticLearningRate, logFrequency, false, 0, clipToRange);
    }
}
