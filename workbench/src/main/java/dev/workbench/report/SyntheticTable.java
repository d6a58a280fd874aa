package dev.workbench.report;

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
    static final List<String> LEAD = List.of("quality_score", "column_shapes", "column_pair_trends",
            "detection_score", "detection_tree_score", "tstr_accuracy", "tstr_macro_f1", "tstr_macro_f1_logistic",
            "augmented_accuracy", "dcr_overfitting_protection",
            "exact_copy_rate", "new_row_synthesis");
    /** Components and raw figures behind the headline metrics: in the folded long table only. */
    static final List<String> DETAIL = List.of("ks_complement", "tv_complement", "correlation_similarity",
            "contingency_similarity", "column_pair_trends_thresholded", "quality_score_thresholded", "detection_auc",
            "dcr_median", "dcr_ratio", "dcr_holdout_median", "augmented_accuracy_delta", "augmented_macro_f1",
            "detection_tree_auc", "tstr_accuracy_logistic", "augmented_accuracy_logistic",
            "augmented_accuracy_delta_logistic", "augmented_macro_f1_logistic");

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
        s.values().stream().filter(v -> !DETAIL.contains(column(v.metric())) && !v.metric().startsWith("p_value_"))
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
