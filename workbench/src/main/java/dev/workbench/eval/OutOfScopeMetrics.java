package dev.workbench.eval;

import dev.workbench.data.LabelledExample;
import dev.workbench.data.Splits;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * CLINC150's metrics for intent sets with an out-of-scope class ({@code evaluate.out_of_scope_label}): a classifier
 * that puts everything in scope can have a fine accuracy and catch no out-of-scope query at all. Over a classifier's
 * test predictions, with O the out-of-scope labels:
 * <ul>
 *   <li>{@code in_scope_accuracy}: accuracy over the rows whose true label is not in O (predicting out-of-scope for
 *   them is wrong);</li>
 *   <li>{@code oos_recall}: share of the rows whose true label is in O that are predicted with a label in O;</li>
 *   <li>{@code oos_precision}: share of the rows predicted with a label in O whose true label is in O (0 when none is
 *   predicted out-of-scope, as scikit-learn's {@code precision_score} with {@code zero_division=0}).</li>
 * </ul>
 * With several labels in O, any of them counts as out-of-scope, for the truth and for the prediction. Intervals are
 * percentile bootstraps over the test rows, as for accuracy (same resampling: same samples, confidence and seed); a
 * resample without a row of a metric's denominator gives no replicate. A metric row's {@code n} is its denominator.
 */
public final class OutOfScopeMetrics {
    private OutOfScopeMetrics() {
    }

    /** One metric's value, interval and denominator. */
    public record Value(Metric metric, double value, Bootstrap.Interval interval, long n) {
        MetricRow row(String stage, String subject, String dataset, String split) {
            return MetricRow.of(stage, subject, dataset, split, metric, value, n)
                    .withInterval(interval.low(), interval.high());
        }
    }

    /**
     * The labels of {@code outOfScopeLabels} that occur in the labelled data (any split) or as the true label of a
     * prediction; empty when none does, and then no out-of-scope metric is written.
     */
    public static Set<String> present(List<String> outOfScopeLabels, Optional<Splits<LabelledExample>> labelled,
                                      Collection<List<PredictionFiles.ClassifierPrediction>> predictions) {
        Set<String> seen = new TreeSet<>();
        labelled.ifPresent(s -> List.of(s.train(), s.validation(), s.test())
                .forEach(part -> part.forEach(e -> seen.add(e.label()))));
        predictions.forEach(list -> list.forEach(p -> seen.add(p.label())));
        Set<String> present = new TreeSet<>(outOfScopeLabels);
        present.retainAll(seen);
        return present;
    }

    /**
     * The three metrics of one classifier's predictions; a metric whose denominator is empty on the test rows (no
     * in-scope row, no out-of-scope row) is left out. {@code oos_precision} is always there when out-of-scope rows or
     * predictions exist.
     */
    public static List<Value> score(List<PredictionFiles.ClassifierPrediction> predictions, Set<String> outOfScope,
                                    int samples, double confidence, long seed) {
        int n = predictions.size();
        boolean[] trulyOut = new boolean[n];
        boolean[] predictedOut = new boolean[n];
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            PredictionFiles.ClassifierPrediction p = predictions.get(i);
            trulyOut[i] = outOfScope.contains(p.label());
            predictedOut[i] = outOfScope.contains(p.predicted());
            correct[i] = p.label().equals(p.predicted());
        }
        List<Value> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        // in-scope accuracy: correct among the truly in-scope rows
        long inScope = count(trulyOut, false);
        if (inScope > 0) {
            out.add(value(Metric.IN_SCOPE_ACCURACY, inScope, n, samples, confidence, seed,
                    idx -> share(idx, i -> !trulyOut[i], i -> correct[i], Double.NaN)));
        }
        long oos = count(trulyOut, true);
        if (oos > 0) {
            out.add(value(Metric.OOS_RECALL, oos, n, samples, confidence, seed,
                    idx -> share(idx, i -> trulyOut[i], i -> predictedOut[i], Double.NaN)));
        }
        long flagged = count(predictedOut, true);
        if (oos > 0 || flagged > 0) {
            out.add(value(Metric.OOS_PRECISION, flagged, n, samples, confidence, seed,
                    idx -> share(idx, i -> predictedOut[i], i -> trulyOut[i], 0.0)));
        }
        return out;
    }

    /** The metric rows of {@link #score}. */
    public static List<MetricRow> rows(List<Value> values, String stage, String subject, String dataset,
                                       String split) {
        return values.stream().map(v -> v.row(stage, subject, dataset, split)).toList();
    }

    private static Value value(Metric metric, long denominator, int n, int samples, double confidence, long seed,
                               Bootstrap.Statistic statistic) {
        Bootstrap.Result result = Bootstrap.run(n, samples, confidence, seed, statistic);
        return new Value(metric, result.observed(), result.interval(), denominator);
    }

    /** Among the picked rows that are {@code in} the denominator, the share that are {@code hit}; else {@code empty}. */
    private static double share(int[] indices, IntPredicate in, IntPredicate hit, double empty) {
        long denominator = 0;
        long hits = 0;
        for (int i : indices) {
            if (in.test(i)) {
                denominator++;
                if (hit.test(i)) {
                    hits++;
                }
            }
        }
        return denominator == 0 ? empty : (double) hits / denominator;
    }

    private static long count(boolean[] values, boolean which) {
        long count = 0;
        for (boolean v : values) {
            if (v == which) {
                count++;
            }
        }
        return count;
    }
}
