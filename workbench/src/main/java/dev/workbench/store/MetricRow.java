package dev.workbench.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One tidy result row of {@code metrics.jsonl}. Reports and comparisons are built only from these rows.
 *
 * @param stage finetune, synthesize, evaluate, ...
 * @param subject which model or synthesizer (e.g. {@code base}, {@code finetuned-lora}, {@code ctgan}, {@code majority})
 * @param dataset which data (e.g. {@code medical/text}, {@code customer-service/labelled})
 * @param split train, validation or test (or holdout)
 * @param n number of items the value was computed on; null when not meaningful
 * @param ciLow lower end of the confidence interval; null when not computed
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MetricRow(
        @JsonProperty("stage") String stage,
        @JsonProperty("subject") String subject,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("split") String split,
        @JsonProperty("metric") String metric,
        @JsonProperty("value") double value,
        @JsonProperty("n") Long n,
        @JsonProperty("ci_low") Double ciLow,
        @JsonProperty("ci_high") Double ciHigh,
        @JsonProperty("higher_is_better") boolean higherIsBetter) {

    /** A row of a metric of the vocabulary, read in its own direction. */
    public static MetricRow of(String stage, String subject, String dataset, String split, Metric metric, double value,
                               long n) {
        return of(stage, subject, dataset, split, metric.key(), value, n, metric.higherIsBetter());
    }

    /** A paired test's p-value row ({@link Metric#pValue}); p-values are test results, so never "higher is better". */
    public static MetricRow pValue(String stage, String subject, String dataset, String split, String name,
                                   double value, long n) {
        if (!Metric.isPValue(name)) {
            throw new IllegalArgumentException("not a p-value name: " + name);
        }
        return of(stage, subject, dataset, split, name, value, n, false);
    }

    /** A row by name and direction, as read back from {@code metrics.jsonl}; stages write through {@link Metric}. */
    public static MetricRow of(String stage, String subject, String dataset, String split, String metric, double value,
                               long n, boolean higherIsBetter) {
        return new MetricRow(stage, subject, dataset, split, metric, value, n, null, null, higherIsBetter);
    }

    /** Whether this row holds {@code m}. */
    public boolean is(Metric m) {
        return metric.equals(m.key());
    }

    public MetricRow withInterval(double low, double high) {
        return new MetricRow(stage, subject, dataset, split, metric, value, n, low, high, higherIsBetter);
    }
}
