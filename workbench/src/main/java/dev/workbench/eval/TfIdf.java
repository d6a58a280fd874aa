package dev.workbench.eval;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bag-of-words TF-IDF fitted on the training texts: lower-cased letter/digit runs, unigrams and bigrams, raw term
 * counts times scikit-learn's smoothed {@code idf = ln((1 + N) / (1 + df)) + 1}, each vector L2-normalised. Terms
 * unseen in training are dropped.
 */
public final class TfIdf {
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");

    private final Map<String, Double> idf;

    private TfIdf(Map<String, Double> idf) {
        this.idf = idf;
    }

    public static TfIdf fit(List<String> texts) {
        Map<String, Integer> df = new HashMap<>();
        for (String text : texts) {
            for (String term : new HashSet<>(terms(text))) {
                df.merge(term, 1, Integer::sum);
            }
        }
        Map<String, Double> idf = new HashMap<>();
        int n = texts.size();
        df.forEach((term, d) -> idf.put(term, Math.log((1.0 + n) / (1.0 + d)) + 1));
        return new TfIdf(idf);
    }

    public int vocabularySize() {
        return idf.size();
    }

    public Map<String, Double> transform(String text) {
        Map<String, Double> tf = new TreeMap<>();
        for (String term : terms(text)) {
            if (idf.containsKey(term)) {
                tf.merge(term, 1.0, Double::sum);
            }
        }
        double norm = 0;
        for (Map.Entry<String, Double> e : tf.entrySet()) {
            double w = e.getValue() * idf.get(e.getKey());
            e.setValue(w);
            norm += w * w;
        }
        double length = Math.sqrt(norm);
        if (length > 0) {
            tf.replaceAll((k, v) -> v / length);
        }
        return tf;
    }

    static List<String> terms(String text) {
        List<String> tokens = new java.util.ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            tokens.add(m.group());
        }
        List<String> terms = new java.util.ArrayList<>(tokens);
        for (int i = 0; i + 1 < tokens.size(); i++) {
            terms.add(tokens.get(i) + " " + tokens.get(i + 1));
        }
        return terms;
    }

    Set<String> vocabulary() {
        return idf.keySet();
    }
}
