package dev.workbench.eval.task;

import java.util.List;

/**
 * What a task asks of a model, as lm-evaluation-harness's {@code LM} interface: the log-likelihood of continuations
 * after a context, and a greedy generation that stops at strings. {@link LanguageModelScoring} answers for any
 * {@link dev.workbench.model.LanguageModel}; tests answer with fixed numbers.
 */
public interface ScoringModel {

    /** Natural-log likelihood of each continuation after {@code context}. */
    double[] logLikelihoods(String context, List<String> continuations);

    /**
     * Greedy continuation of {@code context}, cut before the first of {@code until} (which is not returned), at most
     * {@code maxTokens} tokens.
     */
    String generateUntil(String context, List<String> until, int maxTokens);
}
