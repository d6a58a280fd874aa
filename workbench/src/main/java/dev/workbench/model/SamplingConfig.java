package dev.workbench.model;

import dev.workbench.recipe.WorkbenchException;

/**
 * How {@link Generator} picks each next token.
 *
 * @param maxNewTokens upper bound on generated tokens (generation also stops at end-of-text)
 * @param temperature logits are divided by it; 0 means greedy (always the most likely token)
 * @param topK keep only the K most likely tokens; 0 keeps all
 * @param topP keep the smallest set of most likely tokens whose probability reaches P (nucleus); 1 keeps all
 * @param seed seeds the Java random generator that draws tokens, so the same seed gives the same text
 */
public record SamplingConfig(int maxNewTokens, double temperature, int topK, double topP, long seed) {

    public SamplingConfig {
        if (maxNewTokens < 0) {
            throw WorkbenchException.invalid("max new tokens must be >= 0, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw WorkbenchException.invalid("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) {
            throw WorkbenchException.invalid("top-k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw WorkbenchException.invalid("top-p must be in (0, 1], got " + topP);
        }
    }

    public static SamplingConfig greedy(int maxNewTokens) {
        return new SamplingConfig(maxNewTokens, 0, 0, 1, 0);
    }
}
