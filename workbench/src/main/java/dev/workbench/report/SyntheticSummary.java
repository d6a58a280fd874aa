package dev.workbench.report;

import dev.workbench.eval.SyntheticEvaluation;

import static dev.workbench.report.ReportBuilder.format;

/** Plain-text (Markdown) rendering of one synthetic-vs-real evaluation, for {@code workbench evaluate-synthetic}. */
public final class SyntheticSummary {
    private SyntheticSummary() {
    }

    public static String markdown(String real, String synthetic, SyntheticEvaluation.Result r) {
        StringBuilder md = new StringBuilder("# ").append(synthetic).append(" vs ").append(real).append("\n\n");
        md.append(r.syntheticRows()).append(" synthetic rows compared with ").append(r.realRows())
                .append(" real holdout rows (scores in [0, 1], 1 = indistinguishable).\n\n");
        md.append("| metric | score |\n|---|---|\n");
        row(md, "ks_complement (numeric columns)", r.ksComplement());
        row(md, "tv_complement (categorical columns)", r.tvComplement());
        row(md, "column_shapes", r.columnShapes());
        row(md, "correlation_similarity (numeric pairs)", r.correlationSimilarity());
        row(md, "contingency_similarity (other pairs)", r.contingencySimilarity());
        row(md, "column_pair_trends", r.columnPairTrends());
        row(md, "quality_score", r.quality());
        row(md, "detection_auc (0.5 ideal)", r.detectionAuc());
        row(md, "detection_score", r.detectionScore());
        r.efficacyIfAny().ifPresent(e -> {
            row(md, "tstr_accuracy (" + e.target() + ")", e.tstrAccuracy());
            row(md, "trtr_accuracy (" + e.target() + ")", e.trtrAccuracy());
            row(md, "tstr_macro_f1", e.tstrMacroF1());
            row(md, "trtr_macro_f1", e.trtrMacroF1());
            row(md, "McNemar p, TSTR vs TRTR", e.mcnemar().pValue());
        });
        r.privacyIfAny().ifPresent(p -> {
            row(md, "dcr_median (synthetic → train)", p.dcrMedian());
            row(md, "dcr_holdout_median (holdout → train)", p.dcrHoldoutMedian());
            row(md, "dcr_ratio", p.dcrRatio());
            row(md, "dcr_overfitting_protection", p.overfittingProtection());
            row(md, "exact copies of train rows", p.exactCopies());
        });
        md.append("\n| column | kind | metric | score |\n|---|---|---|---|\n");
        for (SyntheticEvaluation.ColumnScore c : r.columns()) {
            md.append("| ").append(MarkdownReport.cell(c.column())).append(" | ").append(c.kind()).append(" | ")
                    .append(c.metric()).append(" | ").append(format(c.score())).append(" |\n");
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, double value) {
        md.append("| ").append(name).append(" | ").append(format(value)).append(" |\n");
    }
}
