package dev.workbench.report;

import dev.workbench.eval.EvaluateStage;
import dev.workbench.eval.PairedTestResult;
import dev.workbench.eval.task.TaskEvaluation;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The summary table: for each question the run answers (did fine-tuning help the language model, does the fine-tuned
 * classifier beat the best baseline, how good is the best synthesizer, does augmentation help), one row with the
 * numbers and a sentence. "Improved" needs the paired test (or the interval of the difference) to agree.
 */
final class Headlines {
    static final double ALPHA = 0.05;

    private Headlines() {
    }

    static List<Report.Headline> of(List<MetricRow> metrics, List<PairedTestResult> tests) {
        List<Report.Headline> out = new ArrayList<>();
        languageModel(metrics, tests).ifPresent(out::add);
        instruct(metrics, tests).ifPresent(out::add);
        classifier(metrics, tests).ifPresent(out::add);
        synthetic(metrics, tests).ifPresent(out::add);
        augmentation(metrics, tests).ifPresent(out::add);
        out.addAll(tasks(metrics, tests));
        return out;
    }

    /**
     * One row per evaluation task and metric scored on both models: the fine-tuned score against the base's on the
     * same items, with the paired test of that metric (McNemar for acc, acc_norm and exact_match, a paired bootstrap
     * for rouge_l and f1; Holm-adjusted within the task).
     */
    static List<Report.Headline> tasks(List<MetricRow> rows, List<PairedTestResult> tests) {
        List<Report.Headline> out = new ArrayList<>();
        for (MetricRow tuned : rows) {
            if (!tuned.stage().equals("evaluate") || !tuned.subject().equals("finetuned")
                    || !tuned.dataset().startsWith(TaskEvaluation.DATASET_PREFIX)) {
                continue;
            }
            Optional<MetricRow> base = rows.stream().filter(r -> r.stage().equals("evaluate")
                    && r.subject().equals("base") && r.dataset().equals(tuned.dataset())
                    && r.metric().equals(tuned.metric())).findFirst();
            if (base.isEmpty()) {
                continue;
            }
            String task = tuned.dataset().substring(TaskEvaluation.DATASET_PREFIX.length());
            Optional<PairedTestResult> test = tests.stream().filter(t -> t.family().equals(
                    PairedTestResult.TASK_FAMILY_PREFIX + task) && t.metric().equals(tuned.metric())).findFirst();
            double d = tuned.value() - base.get().value();
            Double p = test.map(PairedTestResult::pValueHolm).orElse(null);
            Double low = test.map(PairedTestResult::ciLow).orElse(null);
            Double high = test.map(PairedTestResult::ciHigh).orElse(null);
            String verdict = verdict(d, true, p, low, high);
            String testName = test.map(t -> t.test().startsWith("mcnemar") ? "McNemar" : "paired bootstrap")
                    .orElse("no paired test");
            String sentence = String.format("On task %s, fine-tuning moved %s from %s to %s on %d items (%s%s%s).",
                    task, tuned.metric(), ReportBuilder.format(base.get().value()), ReportBuilder.format(tuned.value()),
                    tuned.n(), signed(d), interval(low, high), p == null ? "" : "; " + testName + " p " + pWords(p)
                            + ", Holm-adjusted within the task")
                    + " " + sayVerdict(verdict, "higher is better");
            out.add(new Report.Headline("task " + task, tuned.metric(), "finetuned", "base", tuned.value(),
                    base.get().value(), d, low, high, p, verdict, sentence));
        }
        return out;
    }

    static Optional<MetricRow> find(List<MetricRow> rows, String subject, Metric metric, String datasetSuffix) {
        return rows.stream().filter(r -> r.stage().equals("evaluate") && r.subject().equals(subject)
                && r.is(metric) && r.dataset().endsWith(datasetSuffix)).findFirst();
    }

    static Optional<Report.Headline> languageModel(List<MetricRow> rows, List<PairedTestResult> tests) {
        return fineTunedVsBase(rows, tests, "language model", Metric.BITS_PER_BYTE,
                Metric.BITS_PER_BYTE_DELTA_VS_BASE, "/text", "bits per byte");
    }

    /** The instruct task's loss per trained token on the held-out conversations, read as bits per byte is. */
    static Optional<Report.Headline> instruct(List<MetricRow> rows, List<PairedTestResult> tests) {
        return fineTunedVsBase(rows, tests, "instruct", Metric.LOSS, Metric.LOSS_DELTA_VS_BASE, "/instructions",
                "the loss per trained (assistant) token");
    }

    private static Optional<Report.Headline> fineTunedVsBase(List<MetricRow> rows, List<PairedTestResult> tests,
                                                             String area, Metric metric, Metric deltaMetric,
                                                             String datasetSuffix, String words) {
        Optional<MetricRow> base = find(rows, "base", metric, datasetSuffix);
        Optional<MetricRow> tuned = find(rows, "finetuned", metric, datasetSuffix);
        if (base.isEmpty() || tuned.isEmpty()) {
            return Optional.empty();
        }
        Optional<MetricRow> delta = find(rows, "finetuned", deltaMetric, datasetSuffix);
        Optional<PairedTestResult> test = tests.stream().filter(t -> t.family().equals("language_model")
                && t.metric().equals(metric.key()) && t.dataset().endsWith(datasetSuffix)).findFirst();
        double d = tuned.get().value() - base.get().value();
        Double low = delta.map(MetricRow::ciLow).orElse(null);
        Double high = delta.map(MetricRow::ciHigh).orElse(null);
        Double p = test.map(PairedTestResult::pValueHolm).orElse(null);
        String verdict = verdict(d, metric.higherIsBetter(), p, low, high);
        String sentence = String.format("Fine-tuning %s %s on %s from %s to %s (%s%s%s).",
                d < 0 ? "lowered" : "raised", words, base.get().dataset(), ReportBuilder.format(base.get().value()),
                ReportBuilder.format(tuned.get().value()), signed(d), interval(low, high),
                p == null ? "" : "; paired bootstrap p " + pWords(p))
                + " " + sayVerdict(verdict, "lower is better");
        return Optional.of(new Report.Headline(area, metric.key(), "finetuned", "base",
                tuned.get().value(), base.get().value(), d, low, high, p, verdict, sentence));
    }

    static Optional<Report.Headline> classifier(List<MetricRow> rows, List<PairedTestResult> tests) {
        Optional<MetricRow> tuned = find(rows, "finetuned", Metric.ACCURACY, "/labelled");
        if (tuned.isEmpty()) {
            return Optional.empty();
        }
        Optional<MetricRow> best = rows.stream().filter(r -> r.stage().equals("evaluate")
                        && r.is(Metric.ACCURACY) && r.dataset().endsWith("/labelled")
                        && !r.subject().equals("finetuned"))
                .max(Comparator.comparingDouble(MetricRow::value).thenComparing(MetricRow::subject));
        if (best.isEmpty()) {
            String sentence = String.format("The fine-tuned classifier reached accuracy %s%s on %d test items; no "
                            + "baseline was evaluated.", ReportBuilder.format(tuned.get().value()),
                    interval(tuned.get().ciLow(), tuned.get().ciHigh()), tuned.get().n());
            return Optional.of(new Report.Headline("classifier", Metric.ACCURACY.key(), "finetuned", null,
                    tuned.get().value(), null, null, tuned.get().ciLow(), tuned.get().ciHigh(), null, "no baseline",
                    sentence));
        }
        String against = best.get().subject();
        Optional<PairedTestResult> test = tests.stream().filter(t -> t.family().equals("classifier")
                && t.against().equals(against)).findFirst();
        double d = tuned.get().value() - best.get().value();
        Double p = test.map(PairedTestResult::pValueHolm).orElse(null);
        Double low = test.map(PairedTestResult::ciLow).orElse(null);
        Double high = test.map(PairedTestResult::ciHigh).orElse(null);
        String verdict = verdict(d, Metric.ACCURACY.higherIsBetter(), p, low, high);
        String sentence = String.format("The fine-tuned classifier scored accuracy %s against %s for the best "
                        + "baseline (%s) on %d test items (%s%s%s).", ReportBuilder.format(tuned.get().value()),
                ReportBuilder.format(best.get().value()), against, tuned.get().n(), signed(d), interval(low, high),
                p == null ? "; no paired test: different test items" : "; McNemar p " + pWords(p) + ", Holm-adjusted")
                + " " + sayVerdict(verdict, "higher is better");
        return Optional.of(new Report.Headline("classifier", Metric.ACCURACY.key(), "finetuned", against,
                tuned.get().value(), best.get().value(), d, low, high, p, verdict, sentence));
    }

    static Optional<Report.Headline> synthetic(List<MetricRow> rows, List<PairedTestResult> tests) {
        Optional<MetricRow> best = rows.stream().filter(r -> r.stage().equals("evaluate")
                        && r.is(Metric.QUALITY_SCORE) && r.dataset().endsWith("/table")
                        && !r.subject().equals(EvaluateStage.REAL_HOLDOUT))
                .max(Comparator.comparingDouble(MetricRow::value).thenComparing(MetricRow::subject));
        if (best.isEmpty()) {
            return Optional.empty();
        }
        String method = best.get().subject();
        Optional<MetricRow> tstr = find(rows, method, Metric.TSTR_ACCURACY, "/table");
        Optional<MetricRow> trtr = find(rows, "real", Metric.TRTR_ACCURACY, "/table");
        Optional<MetricRow> detection = find(rows, method, Metric.DETECTION_SCORE, "/table");
        Optional<MetricRow> dcr = find(rows, method, Metric.DCR_OVERFITTING_PROTECTION, "/table");
        Optional<PairedTestResult> test = tests.stream().filter(t -> t.family().equals("synthetic_efficacy")
                && t.subject().equals(method)).findFirst();
        StringBuilder s = new StringBuilder(String.format("Best synthetic table: %s, quality %s (1 = same shapes "
                + "and pair trends as the real table)", method, ReportBuilder.format(best.get().value())));
        detection.ifPresent(r -> s.append(", detection score ").append(ReportBuilder.format(r.value())));
        dcr.ifPresent(r -> s.append(", DCR overfitting protection ").append(ReportBuilder.format(r.value())));
        s.append('.');
        if (tstr.isEmpty() || trtr.isEmpty()) {
            return Optional.of(new Report.Headline("synthetic data", Metric.QUALITY_SCORE.key(), method, null,
                    best.get().value(), null, null, null, null, null, "measured", s.toString()));
        }
        double delta = tstr.get().value() - trtr.get().value();
        Double p = test.map(PairedTestResult::pValueHolm).orElse(null);
        Double low = test.map(PairedTestResult::ciLow).orElse(null);
        Double high = test.map(PairedTestResult::ciHigh).orElse(null);
        String verdict = verdict(delta, Metric.TSTR_ACCURACY.higherIsBetter(), p, low, high);
        s.append(String.format(" A model trained on it scores accuracy %s on real test rows vs %s when trained "
                        + "on real rows (%s%s%s).", ReportBuilder.format(tstr.get().value()),
                ReportBuilder.format(trtr.get().value()), signed(delta), interval(low, high),
                p == null ? "" : "; McNemar p " + pWords(p)));
        return Optional.of(new Report.Headline("synthetic data", Metric.TSTR_ACCURACY.key(), method, "real",
                tstr.get().value(), trtr.get().value(), delta, low, high, p, verdict, s.toString()));
    }

    static Optional<Report.Headline> augmentation(List<MetricRow> rows, List<PairedTestResult> tests) {
        Optional<MetricRow> aug = rows.stream().filter(r -> r.stage().equals("evaluate")
                && r.is(Metric.AUGMENTED_ACCURACY)).findFirst();
        Optional<MetricRow> real = find(rows, "real", Metric.TRTR_ACCURACY, "/table");
        if (aug.isEmpty() || real.isEmpty()) {
            return Optional.empty();
        }
        String method = aug.get().subject();
        Optional<PairedTestResult> test = tests.stream().filter(t -> t.family().equals("synthetic_augmentation")
                && t.subject().equals("real+" + method)).findFirst();
        double d = aug.get().value() - real.get().value();
        Double p = test.map(PairedTestResult::pValueHolm).orElse(null);
        Double low = test.map(PairedTestResult::ciLow).orElse(null);
        Double high = test.map(PairedTestResult::ciHigh).orElse(null);
        String verdict = verdict(d, Metric.AUGMENTED_ACCURACY.higherIsBetter(), p, low, high);
        String sentence = String.format("Adding %s rows to the real training split changed downstream accuracy from "
                        + "%s to %s (%s%s%s).", method, ReportBuilder.format(real.get().value()),
                ReportBuilder.format(aug.get().value()), signed(d), interval(low, high),
                p == null ? "" : "; McNemar p " + pWords(p))
                + " " + sayVerdict(verdict, "higher is better");
        return Optional.of(new Report.Headline("augmentation", Metric.ACCURACY.key(), "real+" + method, "real",
                aug.get().value(), real.get().value(), d, low, high, p, verdict, sentence));
    }

    /** Improved/worse only when the paired test (p < 0.05) or the interval of the difference says so. */
    static String verdict(double delta, boolean higherIsBetter, Double p, Double low, Double high) {
        boolean significant;
        if (p != null) {
            significant = p < ALPHA;
        } else if (low != null && high != null) {
            significant = low > 0 || high < 0;
        } else {
            significant = false;
        }
        if (!significant || delta == 0) {
            return "no clear difference";
        }
        return (delta > 0) == higherIsBetter ? "improved" : "worse";
    }

    private static String sayVerdict(String verdict, String direction) {
        return switch (verdict) {
            case "improved" -> "That is a real improvement (" + direction + ").";
            case "worse" -> "That is a real step back (" + direction + ").";
            default -> "The difference is within what chance on this test set allows.";
        };
    }

    static String signed(double d) {
        return (d >= 0 ? "+" : "-") + ReportBuilder.format(Math.abs(d));
    }

    static String interval(Double low, Double high) {
        if (low == null || high == null) {
            return "";
        }
        return ", 95% CI " + ReportBuilder.format(low) + " to " + ReportBuilder.format(high);
    }

    private static String pWords(double p) {
        String f = ReportBuilder.formatP(p);
        return f.startsWith("<") ? f : "= " + f;
    }
}
