package dev.workbench.eval.task;

import dev.workbench.recipe.TaskFile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-item scores of evaluation tasks, each as its reference implementation defines it (golden values from those
 * implementations in {@code TaskMetricsTest}; written by hand because none of them has a Java port):
 * <ul>
 * <li>{@code acc}, {@code acc_norm}: lm-evaluation-harness's multiple-choice metrics; acc_norm divides each choice's
 *     log-likelihood by the choice's length in characters;</li>
 * <li>{@code exact_match}: Hugging Face evaluate's exact_match with lm-eval's options (regexes removed, then case,
 *     then punctuation);</li>
 * <li>{@code rouge_l}: the ROUGE-L F-measure of Google's rouge-score package with its default tokenizer;</li>
 * <li>{@code f1}: the SQuAD (v2 script) token F1.</li>
 * </ul>
 */
public final class TaskMetrics {
    /** Python's {@code string.punctuation}: what lm-eval's ignore_punctuation and SQuAD's normalisation remove. */
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private TaskMetrics() {
    }

    /** lm-eval's acc: 1 when the most likely choice (the first among equals, as numpy's argmax) is the gold one. */
    public static double acc(double[] logLikelihoods, int gold) {
        return argMax(logLikelihoods) == gold ? 1 : 0;
    }

    /** lm-eval's acc_norm: as {@link #acc} with each log-likelihood divided by its choice's length in characters. */
    public static double accNorm(double[] logLikelihoods, List<String> choices, int gold) {
        double[] normalised = new double[logLikelihoods.length];
        for (int i = 0; i < normalised.length; i++) {
            // Python's len() counts code points
            normalised[i] = logLikelihoods[i] / choices.get(i).codePointCount(0, choices.get(i).length());
        }
        return argMax(normalised) == gold ? 1 : 0;
    }

    static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Exact match with the metric's options applied to both sides, as Hugging Face evaluate's exact_match. */
    public static double exactMatch(String prediction, String reference, TaskFile.MetricSpec options) {
        return normaliseForMatch(prediction, options).equals(normaliseForMatch(reference, options)) ? 1 : 0;
    }

    private static String normaliseForMatch(String text, TaskFile.MetricSpec options) {
        String out = text;
        for (String regex : options.regexesToIgnore()) {
            out = Pattern.compile(regex).matcher(out).replaceAll("");
        }
        if (options.ignoreCase()) {
            out = out.toLowerCase(Locale.ROOT);
        }
        if (options.ignorePunctuation()) {
            out = removePunctuation(out);
        }
        return out;
    }

    private static String removePunctuation(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(c -> PUNCTUATION.indexOf(c) < 0).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** rouge-score's default tokenizer: lower case, every run of characters other than a-z and 0-9 splits. */
    static List<String> rougeTokens(String text) {
        String lower = NON_ALNUM.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
        List<String> tokens = new ArrayList<>();
        for (String t : WHITESPACE.split(lower)) {
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
        return tokens;
    }

    /** ROUGE-L F-measure of {@code prediction} against {@code reference} (rouge_scorer, use_stemmer=False). */
    public static double rougeL(String prediction, String reference) {
        List<String> target = rougeTokens(reference);
        List<String> predicted = rougeTokens(prediction);
        if (target.isEmpty() || predicted.isEmpty()) {
            return 0;
        }
        int lcs = lcsLength(target, predicted);
        double precision = (double) lcs / predicted.size();
        double recall = (double) lcs / target.size();
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    }

    static int lcsLength(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }

    /** SQuAD's normalize_answer: lower case, punctuation and articles removed, whitespace collapsed, then split. */
    static List<String> squadTokens(String text) {
        String out = removePunctuation(text.toLowerCase(Locale.ROOT));
        out = ARTICLES.matcher(out).replaceAll(" ");
        String trimmed = out.strip();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(WHITESPACE.split(trimmed));
    }

    /** SQuAD token F1 (the v2 script: an empty side scores 1 when both are empty, else 0). */
    public static double f1(String prediction, String reference) {
        List<String> predicted = squadTokens(prediction);
        List<String> gold = squadTokens(reference);
        if (predicted.isEmpty() || gold.isEmpty()) {
            return predicted.equals(gold) ? 1 : 0;
        }
        Map<String, Integer> counts = new HashMap<>();
        gold.forEach(t -> counts.merge(t, 1, Integer::sum));
        int same = 0;
        for (String t : predicted) {
            Integer left = counts.get(t);
            if (left != null && left > 0) {
                counts.put(t, left - 1);
                same++;
            }
        }
        if (same == 0) {
            return 0;
        }
        double precision = (double) same / predicted.size();
        double recall = (double) same / gold.size();
        return 2 * precision * recall / (precision + recall);
    }

    /**
     * lm-eval's regex filter: capture group {@code group} of match number {@code select} (negative counts from the
     * last), stripped of surrounding whitespace, or the fallback when there is no such match.
     */
    public static String filter(String output, TaskFile.AnswerFilter filter) {
        Matcher m = Pattern.compile(filter.regex()).matcher(output);
        List<String> matches = new ArrayList<>();
        while (m.find()) {
            matches.add(m.group(filter.group()) == null ? "" : m.group(filter.group()));
        }
        int index = filter.select() < 0 ? matches.size() + filter.select() : filter.select();
        return index >= 0 && index < matches.size() ? matches.get(index).strip() : filter.fallback();
    }
}
