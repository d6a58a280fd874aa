package dev.workbench.report;

import dev.workbench.eval.SyntheticEvaluation;

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
        row(md, "ks_complement (numeric columns)", r.ksComplement());
        row(md, "tv_complement (categorical columns)", r.tvComplement());
        row(md, "column_shapes", r.columnShapes());
        row(md, "correlation_similarity (numeric pairs)", r.correlationSimilarity());
        row(md, "contingency_similarity (other pairs)", r.contingencySimilarity());
        row(md, "column_pair_trends (every pair)", r.columnPairTrends());
        row(md, "quality_score (every pair)", r.quality());
        row(md, "column_pair_trends_thresholded (SDMetrics >= 0.27)", r.columnPairTrendsThresholded());
        row(md, "quality_score_thresholded (SDMetrics >= 0.27)", r.qualityThresholded());
        row(md, "detection_auc, logistic (0.5 ideal; holdout)", r.detectionAuc());
        row(md, "detection_score, logistic (holdout)", r.detectionScore());
        row(md, "detection_tree_auc, boosted trees (0.5 ideal; holdout)", r.detectionTreeAuc());
        row(md, "detection_tree_score, boosted trees (holdout)", r.detectionTreeScore());
        r.efficacyIfAny().ifPresent(e -> efficacy(md, e, ""));
        r.efficacyLogisticIfAny().ifPresent(e -> efficacy(md, e, "_logistic"));
        r.privacyIfAny().ifPresent(p -> {
            row(md, "dcr_median (synthetic → train)", p.dcrMedian());
            row(md, "dcr_holdout_median (holdout → train)", p.dcrHoldoutMedian());
            row(md, "dcr_ratio", p.dcrRatio());
            row(md, "dcr_overfitting_protection", p.overfittingProtection());
            row(md, "new_row_synthesis (whole real table)", p.newRowSynthesis());
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
        row(md, "tstr_accuracy" + suffix + model, e.tstrAccuracy());
        row(md, "trtr_accuracy" + suffix + model, e.trtrAccuracy());
        row(md, "tstr_macro_f1" + suffix + model, e.tstrMacroF1());
        row(md, "trtr_macro_f1" + suffix + model, e.trtrMacroF1());
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
