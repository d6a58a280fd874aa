package dev.workbench.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.store.Metric;

/**
 * One paired comparison as written to {@code eval/tests.json}. {@code family} groups the comparisons one Holm
 * correction covers (e.g. the fine-tuned classifier against every baseline).
 *
 * @param test {@code mcnemar_exact} / {@code mcnemar_chi2_continuity} (0/1 outcomes; exact up to 25 discordant pairs) or {@code paired_bootstrap} (continuous, corpus-level)
 * @param onlySubjectRight McNemar b: items the subject gets right and {@code against} wrong
 * @param difference observed subject − against (accuracy difference for McNemar), with its paired-bootstrap interval
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PairedTestResult(
        @JsonProperty("family") String family,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("subject") String subject,
        @JsonProperty("against") String against,
        @JsonProperty("metric") String metric,
        @JsonProperty("test") String test,
        @JsonProperty("n") long n,
        @JsonProperty("only_subject_right") Long onlySubjectRight,
        @JsonProperty("only_against_right") Long onlyAgainstRight,
        @JsonProperty("difference") Double difference,
        @JsonProperty("ci_low") Double ciLow,
        @JsonProperty("ci_high") Double ciHigh,
        @JsonProperty("p_value") double pValue,
        @JsonProperty("p_value_holm") double pValueHolm) {

    /**
     * McNemar on per-item correctness, with a paired-bootstrap percentile interval of the accuracy difference
     * (subject − against) so the report can show the size of the effect next to its p-value.
     */
    public static PairedTestResult mcnemar(String family, String dataset, String subject, String against,
                                           String metric, boolean[] subjectRight, boolean[] againstRight,
                                           int samples, double confidence, long seed) {
        PairedTests.McNemar m = PairedTests.mcnemar(subjectRight, againstRight);
        Bootstrap.Result diff = Bootstrap.run(subjectRight.length, samples, confidence, seed, idx -> {
            double sum = 0;
            for (int i : idx) {
                sum += (subjectRight[i] ? 1 : 0) - (againstRight[i] ? 1 : 0);
            }
            return sum / idx.length;
        });
        return new PairedTestResult(family, dataset, subject, against, metric, "mcnemar_" + m.method(), m.n(),
                m.onlyFirstRight(), m.onlySecondRight(), diff.observed(), diff.interval().low(),
                diff.interval().high(), m.pValue(), m.pValue());
    }

    public static PairedTestResult bootstrap(String family, String dataset, String subject, String against,
                                             String metric, long n, PairedTests.PairedBootstrap b) {
        return new PairedTestResult(family, dataset, subject, against, metric, "paired_bootstrap", n, null, null,
                b.observed(), b.interval().low(), b.interval().high(), b.pValue(), b.pValue());
    }

    public PairedTestResult withHolm(double adjusted) {
        return new PairedTestResult(family, dataset, subject, against, metric, test, n, onlySubjectRight,
                onlyAgainstRight, difference, ciLow, ciHigh, pValue, adjusted);
    }

    /** {@link #family} of an evaluation task's tests: {@code task:<task>}. */
    public static final String TASK_FAMILY_PREFIX = "task:";

    /**
     * Metric name of the p-value row: {@code p_value_mcnemar_vs_<against>} or {@code p_value_bootstrap_vs_<against>};
     * an evaluation task tests several metrics on one dataset, so its rows name the metric too
     * ({@code p_value_mcnemar_acc_vs_base}).
     */
    public String metricName() {
        String kind = test.startsWith("mcnemar") ? "mcnemar" : "bootstrap";
        return Metric.pValue(family.startsWith(TASK_FAMILY_PREFIX) ? kind + "_" + metric : kind, against);
    }
}
