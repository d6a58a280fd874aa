package dev.workbench.report;

import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.store.Metric;

import static dev.workbench.report.ReportBuilder.format;

/** Plain-text (Markdown) rendering of one synthetic-vs-real evaluation, for {@code workbench evaluate-synthetic}. */
public final class SyntheticSummary {
    private SyntheticSummary() {
    }

    public static String markdown(String real, String synthetic, SyntheticEvaluation.Result r) {
        StringBuilder md = new StringBuilder("# ").append(synthetic).append(" vs ").append(real).append("\n\n");
        md.append(r.syntheticRows()).append(" synthetic rows compared with the whole real table (").append(r.realRows())
                .append(" rows) for shapes, pair trends, quality and new-row synthesis, as SDMetrics' QualityReport; ")
                .append("with ").append(r.holdoutRows()).append(" holdout rows (").append(r.holdout())
                .append(") for detection, TSTR/TRTR and DCR. Scores in [0, 1], 1 = indistinguishable; numeric x ")
                .append("categorical pairs binned by ").append(r.pairBinning()).append(".\n\n");
        typesAndBasis(md, r.columnTypes(), java.util.Map.of(), r.notes());
        md.append("| metric | score |\n|---|---|\n");
        row(md, Metric.KS_COMPLEMENT.key() + " (numeric columns)", r.ksComplement());
        row(md, Metric.TV_COMPLEMENT.key() + " (categorical columns)", r.tvComplement());
        row(md, Metric.COLUMN_SHAPES.key(), r.columnShapes());
        row(md, Metric.CORRELATION_SIMILARITY.key() + " (numeric pairs)", r.correlationSimilarity());
        row(md, Metric.CONTINGENCY_SIMILARITY.key() + " (other pairs)", r.contingencySimilarity());
        row(md, Metric.COLUMN_PAIR_TRENDS.key() + " (every pair)", r.columnPairTrends());
        row(md, Metric.QUALITY_SCORE.key() + " (every pair)", r.quality());
        row(md, Metric.COLUMN_PAIR_TRENDS_THRESHOLDED.key() + " (SDMetrics >= 0.27)", r.columnPairTrendsThresholded());
        row(md, Metric.QUALITY_SCORE_THRESHOLDED.key() + " (SDMetrics >= 0.27)", r.qualityThresholded());
        row(md, Metric.DETECTION_AUC.key() + ", logistic (0.5 ideal; holdout)", r.detectionAuc());
        row(md, Metric.DETECTION_SCORE.key() + ", logistic (holdout)", r.detectionScore());
        row(md, Metric.DETECTION_TREE_AUC.key() + ", boosted trees (0.5 ideal; holdout)", r.detectionTreeAuc());
        row(md, Metric.DETECTION_TREE_SCORE.key() + ", boosted trees (holdout)", r.detectionTreeScore());
        r.efficacyIfAny().ifPresent(e -> efficacy(md, e, ""));
        r.efficacyLogisticIfAny().ifPresent(e -> efficacy(md, e, "_logistic"));
        r.privacyIfAny().ifPresent(p -> {
            row(md, Metric.DCR_MEDIAN.key() + " (synthetic → train)", p.dcrMedian());
            row(md, Metric.DCR_HOLDOUT_MEDIAN.key() + " (holdout → train)", p.dcrHoldoutMedian());
            row(md, Metric.DCR_RATIO.key(), p.dcrRatio());
            row(md, Metric.DCR_OVERFITTING_PROTECTION.key(), p.overfittingProtection());
            row(md, Metric.NEW_ROW_SYNTHESIS.key() + " (whole real table)", p.newRowSynthesis());
            row(md, "exact copies of train rows", p.exactCopies());
        });
        md.append("\n| column | kind | metric | score |\n|---|---|---|---|\n");
        for (SyntheticEvaluation.ColumnScore c : r.columns()) {
            md.append("| ").append(MarkdownReport.cell(c.column())).append(" | ").append(c.kind()).append(" | ")
                    .append(c.metric()).append(" | ").append(format(c.score())).append(" |\n");
        }
        for (SyntheticEvaluation.UndefinedPair p : r.undefinedPairs()) {
            md.append("\nNo score for ").append(MarkdownReport.cell(p.columnA())).append(" x ")
                    .append(MarkdownReport.cell(p.columnB())).append(" (").append(p.metric()).append("): ")
                    .append(p.reason()).append(".");
        }
        if (!r.undefinedPairs().isEmpty()) {
            md.append('\n');
        }
        return md.toString();
    }

    private static void efficacy(StringBuilder md, SyntheticEvaluation.Efficacy e, String suffix) {
        String model = " (" + e.model() + ", " + e.target() + "; holdout)";
        row(md, Metric.TSTR_ACCURACY.key() + suffix + model, e.tstrAccuracy());
        row(md, Metric.TRTR_ACCURACY.key() + suffix + model, e.trtrAccuracy());
        row(md, Metric.TSTR_MACRO_F1.key() + suffix + model, e.tstrMacroF1());
        row(md, Metric.TRTR_MACRO_F1.key() + suffix + model, e.trtrMacroF1());
        row(md, "McNemar p, TSTR vs TRTR" + suffix, e.mcnemar().pValue());
    }

    /** The column types, what each figure group compares with, and the warnings: one paragraph each, when known. */
    static void typesAndBasis(StringBuilder md, java.util.Map<String, String> types, java.util.Map<String, String> basis,
                              java.util.List<String> notes) {
        if (types != null && !types.isEmpty()) {
            md.append("Column types (shared by the synthesizer's profiler and the evaluator): ");
            md.append(String.join(", ", types.entrySet().stream()
                    .map(e -> MarkdownReport.cell(e.getKey()) + " " + e.getValue()).toList())).append(".\n\n");
        }
        if (basis != null && !basis.isEmpty()) {
            md.append("Compared with: ").append(String.join(", ", basis.entrySet().stream()
                    .map(e -> e.getKey() + " → " + e.getValue()).toList())).append(".\n\n");
        }
        if (notes != null) {
            for (String n : notes) {
                md.append("Note: ").append(MarkdownReport.cell(n)).append(".\n\n");
            }
        }
    }

    private static void row(StringBuilder md, String name, double value) {
        md.append("| ").append(name).append(" | ").append(format(value)).append(" |\n");
    }
}
