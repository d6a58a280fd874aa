package dev.workbench.synth;

import dev.workbench.recipe.Synthesize;

/**
 * The one recipe setting of the closed-form baselines ({@link IndependentSynthesizer},
 * {@link GaussianCopulaSynthesizer}).
 *
 * @param clipToRange clip generated numbers to the range seen in the real data
 */
public record BaselineConfig(boolean clipToRange) {

    /** The recipe's synthesize section. */
    public static BaselineConfig from(Synthesize s) {
        return new BaselineConfig(s.clipToRange());
    }
}
