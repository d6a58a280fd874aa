package dev.workbench.recipe;

import java.util.List;

/**
 * What the evaluation stage measures. Every switch defaults to true when its inputs exist.
 *
 * @param prompts fixed prompts for side-by-side generations (seeded)
 * @param baselines classifier baselines: majority, tfidf-logreg
 */
public record Evaluate(
        boolean languageModel,
        boolean classifier,
        boolean synthetic,
        int bootstrapSamples,
        double confidence,
        List<String> prompts,
        int maxNewTokens,
        double temperature,
        List<String> baselines) {
}
