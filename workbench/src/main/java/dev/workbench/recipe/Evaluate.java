package dev.workbench.recipe;

import java.util.List;

/**
 * What the evaluation stage measures. Every switch defaults to true when its inputs exist.
 *
 * @param prompts fixed prompts for side-by-side generations (seeded)
 * @param baselines classifier baselines: majority, tfidf-logreg
 * @param outOfScopeLabels labels that mark out-of-scope examples (CLINC150's {@code oos}); when one occurs in the
 *     labelled data, every scored classifier also gets in-scope accuracy and out-of-scope recall and precision
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
        List<String> baselines,
        List<String> outOfScopeLabels) {
    /** evaluate.out_of_scope_label when the recipe leaves it out: CLINC150's name for its out-of-scope class. */
    public static final List<String> DEFAULT_OUT_OF_SCOPE_LABELS = List.of("oos");

}
