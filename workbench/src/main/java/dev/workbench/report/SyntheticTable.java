package dev.workbench.report;

import dev.workbench.store.Metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic section's lead table: one row per synthesizer, then the reference rows (the real holdout, and the
 * model trained on real rows), one column per headline metric. Built from whatever metric rows the section has, so a
 * new metric appears as a new column without code here; only the order of the well-known ones and the few detail
 * metrics left to the folded long table are listed. The best value of a column is marked among the synthesizers only:
 * a reference row is a ceiling to read against, never "best".
 */
final class SyntheticTable {
    /** Headline metrics first, in this order; any metric not named here or in {@link #DETAIL} follows. */
    static final List<String> LEAD = Metric.keys(Metric.QUALITY_SCORE, Metric.COLUMN_SHAPES, Metric.COLUMN_PAIR_TRENDS,
            Metric.DETECTION_SCORE, Metric.DETECTION_TREE_SCORE, Metric.TSTR_ACCURACY, Metric.TSTR_MACRO_F1,
            Metric.TSTR_MACRO_F1_LOGISTIC, Metric.AUGMENTED_ACCURACY, Metric.DCR_OVERFITTING_PROTECTION,
            Metric.EXACT_COPY_RATE, Metric.NEW_ROW_SYNTHESIS);
    /** Components and raw figures behind the headline metrics: in the folded long table only. */
    static final List<String> DETAIL = Metric.keys(Metric.KS_COMPLEMENT, Metric.TV_COMPLEMENT,
            Metric.CORRELATION_SIMILARITY, Metric.CONTINGENCY_SIMILARITY, Metric.COLUMN_PAIR_TRENDS_THRESHOLDED,
            Metric.QUALITY_SCORE_THRESHOLDED, Metric.DETECTION_AUC, Metric.DCR_MEDIAN, Metric.DCR_RATIO,
            Metric.DCR_HOLDOUT_MEDIAN, Metric.AUGMENTED_ACCURACY_DELTA, Metric.AUGMENTED_MACRO_F1,
            Metric.DETECTION_TREE_AUC, Metric.TSTR_ACCURACY_LOGISTIC, Metric.AUGMENTED_ACCURACY_LOGISTIC,
            Metric.AUGMENTED_ACCURACY_DELTA_LOGISTIC, Metric.AUGMENTED_MACRO_F1_LOGISTIC);

    /** One row: {@code values[j]} is the subject's value of {@code columns[j]} (null when absent). */
    record Row(String subject, boolean reference, List<Double> values, List<Boolean> best) {
    }

    record Table(List<String> columns, List<Boolean> higherIsBetter, List<Row> rows) {
    }

    private SyntheticTable() {
    }

    /**
     * The wide table of a synthetic section. A reference's {@code trtr_X} (train on real, test on real) is shown
     * under the synthesizers' {@code tstr_X} column, which it bounds.
     */
    static Table of(Report.SyntheticSection s) {
        Map<String, Boolean> direction = new LinkedHashMap<>();
        for (String metric : LEAD) {
            s.values().stream().filter(v -> column(v.metric()).equals(metric)).findFirst()
                    .ifPresent(v -> direction.put(metric, v.higherIsBetter()));
        }
        s.values().stream().filter(v -> !DETAIL.contains(column(v.metric())) && !Metric.isPValue(v.metric()))
                .forEach(v -> direction.putIfAbsent(column(v.metric()), v.higherIsBetter()));
        List<String> columns = new ArrayList<>(direction.keySet());
        List<String> subjects = new ArrayList<>(s.methods());
        s.values().stream().map(Report.Value::subject).filter(x -> !subjects.contains(x)).distinct().toList()
                .forEach(subjects::add);
        List<Row> rows = new ArrayList<>();
        for (String subject : subjects) {
            List<Double> values = new ArrayList<>();
            for (String c : columns) {
                values.add(s.values().stream().filter(v -> v.subject().equals(subject) && column(v.metric()).equals(c))
                        .map(Report.Value::value).findFirst().orElse(null));
            }
            if (values.stream().anyMatch(v -> v != null)) {
                rows.add(new Row(subject, !s.methods().contains(subject), values, new ArrayList<>()));
            }
        }
        List<Boolean> higher = new ArrayList<>(direction.values());
        for (int j = 0; j < columns.size(); j++) {
            int column = j;
            List<Double> candidates = rows.stream().filter(r -> !r.reference()).map(r -> r.values().get(column))
                    .filter(v -> v != null && !v.isNaN()).toList();
            double best = candidates.stream().mapToDouble(Double::doubleValue)
                    .reduce(higher.get(j) ? Math::max : Math::min).orElse(Double.NaN);
            boolean decisive = candidates.size() >= 2 && candidates.stream().anyMatch(v -> v != best);
            for (Row r : rows) {
                Double v = r.values().get(j);
                r.best().add(decisive && !r.reference() && v != null && v == best);
            }
        }
        return new Table(columns, higher, rows);
    }

    private static String column(String metric) {
        return metric.startsWith("trtr_") ? "tstr_" + metric.substring("trtr_".length()) : metric;
    }
}
