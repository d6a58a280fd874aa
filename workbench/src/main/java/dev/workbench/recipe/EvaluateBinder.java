package dev.workbench.recipe;

import dev.workbench.recipe.NodeReader.Section;

import java.util.List;
import java.util.Optional;

/**
 * Binds {@code evaluate}: which evaluations run, their statistics, the prompts, the baselines and the out-of-scope
 * label.
 */
final class EvaluateBinder {
    private static final List<String> BASELINES = List.of("majority", "tfidf-logreg");

    private EvaluateBinder() {
    }

    static Evaluate bind(NodeReader read, Section s, Corpus corpus) {
        boolean languageModel = read.bool(s, "language_model", true);
        boolean classifier = read.bool(s, "classifier", true);
        boolean synthetic = read.bool(s, "synthetic", true);
        int bootstrap = read.integer(s, "bootstrap_samples", 1000, 1, 1_000_000);
        double confidence = read.number(s, "confidence", 0.95, 0, false, 1, false);
        List<String> prompts = read.stringList(s, "prompts", List.of(), null, false);
        if (!prompts.isEmpty() && corpus.text().isEmpty()) {
            read.problem(s.value("prompts"), "evaluate.prompts", "prompts need corpus.text (generations come from the"
                    + " language model)", Optional.empty());
        }
        int maxNewTokens = read.integer(s, "max_new_tokens", 64, 1, 1 << 16);
        double temperature = read.number(s, "temperature", 0.8, 0, true, 100, true);
        List<String> baselines = read.stringList(s, "baselines", BASELINES, BASELINES, false);
        List<String> outOfScope = read.stringList(s, "out_of_scope_label", Evaluate.DEFAULT_OUT_OF_SCOPE_LABELS,
                null, true);
        return new Evaluate(languageModel, classifier, synthetic, bootstrap, confidence, prompts, maxNewTokens,
                temperature, baselines, outOfScope);
    }
}
