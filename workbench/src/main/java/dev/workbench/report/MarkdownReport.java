package dev.workbench.report;

import dev.workbench.data.ConfusionMatrix;
import dev.workbench.eval.PairedTestResult;
import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.plan.Durations;

import java.util.List;
import java.util.Map;

import static dev.workbench.report.ReportBuilder.format;
import static dev.workbench.report.ReportBuilder.formatP;

/** {@code report.md}: the report as GitHub-flavoured Markdown tables, in the section order of the HTML report. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(Report r) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(r.title()).append("\n\n");
        summary(md, r.summary());
        caveats(md, r.caveats());
        runInfo(md, r.run());
        data(md, r.data());
        if (r.languageModel() != null) {
            md.append("## Language model\n\n");
            values(md, r.languageModel().values());
            tests(md, r.languageModel().tests());
            curves(md, r.languageModel().curves());
        }
        if (r.classifier() != null) {
            md.append("## Classifier\n\n");
            values(md, r.classifier().values());
            r.classifier().notes().forEach(note -> md.append(note).append("\n\n"));
            tests(md, r.classifier().tests());
            for (Map.Entry<String, ConfusionMatrix> e : r.classifier().confusion().entrySet()) {
                confusion(md, e.getKey(), e.getValue());
            }
            curves(md, r.classifier().curves());
        }
        if (r.generations() != null) {
            md.append("## Generations\n\n| prompt | base | fine-tuned |\n|---|---|---|\n");
            for (Report.Generation g : r.generations()) {
                md.append("| ").append(cell(g.prompt())).append(" | ").append(cell(g.base())).append(" | ")
                        .append(cell(g.finetuned())).append(" |\n");
            }
            md.append('\n');
        }
        if (r.synthetic() != null) {
            synthetic(md, r.synthetic());
        }
        return md.toString();
    }

    /** Right after the summary: what the numbers cannot tell. */
    private static void caveats(StringBuilder md, List<String> caveats) {
        md.append("## Caveats\n\n");
        if (caveats.isEmpty()) {
            md.append("None.\n\n");
            return;
        }
        for (String c : caveats) {
            md.append("- ").append(c).append('\n');
        }
        md.append('\n');
    }

    private static void summary(StringBuilder md, List<Report.Headline> summary) {
        md.append("## Summary\n\n");
        if (summary.isEmpty()) {
            md.append("No comparison could be made from this run folder.\n\n");
            return;
        }
        md.append("| area | metric | subject | value | against | delta | 95% CI | p | verdict |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (Report.Headline h : summary) {
            md.append("| ").append(h.area()).append(" | ").append(h.metric()).append(" | ").append(h.subject())
                    .append(" | ").append(format(h.value())).append(" | ")
                    .append(h.against() == null ? "" : h.against()
                            + (h.againstValue() == null ? "" : " " + format(h.againstValue())))
                    .append(" | ").append(h.delta() == null ? "" : Headlines.signed(h.delta()))
                    .append(" | ").append(ci(h.ciLow(), h.ciHigh()))
                    .append(" | ").append(h.pValue() == null ? "" : formatP(h.pValue()))
                    .append(" | ").append(h.verdict()).append(" |\n");
        }
        md.append('\n');
        for (Report.Headline h : summary) {
            md.append("- ").append(h.sentence()).append('\n');
        }
        md.append('\n');
    }

    private static void runInfo(StringBuilder md, Report.RunInfo run) {
        md.append("## Run\n\n| | |\n|---|---|\n");
        row(md, "run id", run.runId());
        row(md, "recipe", run.recipeName() + (run.recipeFile() == null ? "" : " (" + run.recipeFile() + ")"));
        row(md, "recipe sha256", run.recipeSha256());
        row(md, "seed", run.seed() == null ? null : run.seed().toString());
        row(md, "status", run.status());
        row(md, "device", run.device());
        row(md, "started", run.startedAt());
        row(md, "ended", run.endedAt());
        if (!run.overrides().isEmpty()) {
            row(md, "overrides", String.join(", ", run.overrides()));
        }
        run.versions().forEach((k, v) -> row(md, "version " + k, v));
        run.inputs().forEach((k, v) -> row(md, "input " + k, "sha256 " + v));
        md.append('\n');
        if (!run.stages().isEmpty()) {
            md.append("| stage | status | time |\n|---|---|---|\n");
            for (Report.StageTiming s : run.stages()) {
                md.append("| ").append(s.name()).append(" | ").append(s.status())
                        .append(s.message() == null ? "" : ": " + cell(s.message())).append(" | ")
                        .append(Durations.format(s.seconds())).append(" |\n");
            }
            md.append('\n');
        }
    }

    private static void data(StringBuilder md, Report.DataSection data) {
        if (data == null) {
            return;
        }
        md.append("## Data\n\n| corpus | train | validation | test |\n|---|---|---|---|\n");
        data.splits().forEach((corpus, s) -> md.append("| ").append(corpus).append(" | ").append(size(s.get("train")))
                .append(" | ").append(size(s.get("validation"))).append(" | ").append(size(s.get("test")))
                .append(" |\n"));
        md.append('\n');
        data.notes().forEach((k, v) -> {
            if (!(v instanceof Map<?, ?>)) {
                md.append("- ").append(k).append(": ").append(cell(String.valueOf(v))).append('\n');
            }
        });
        md.append('\n');
        data.notes().forEach((corpus, v) -> {
            if (v instanceof Map<?, ?>) {
                Map<String, String> facts = ReportBuilder.facts(v);
                md.append("<details><summary>").append(corpus).append(facts.containsKey("file")
                        ? ": file, hash, rows read and skipped, duplicates" : "")
                        .append("</summary>\n\n| | |\n|---|---|\n");
                facts.forEach((key, value) -> row(md, key, value));
                md.append("\n</details>\n\n");
            }
        });
        data.classCounts().forEach((corpus, counts) -> {
            md.append("Rows per class, ").append(corpus).append(" (").append(ReportBuilder.count(counts.size()))
                    .append(" classes, all splits):\n\n| class | rows |\n|---|---|\n");
            for (Report.ClassCount c : Charts.topCounts(counts)) {
                md.append("| ").append(cell(c.label())).append(" | ").append(ReportBuilder.count(c.count()))
                        .append(" |\n");
            }
            md.append('\n');
        });
    }

    private static String size(Integer n) {
        return n == null ? "" : ReportBuilder.count(n);
    }

    private static void values(StringBuilder md, List<Report.Value> values) {
        if (values.isEmpty()) {
            return;
        }
        boolean withCi = values.stream().anyMatch(v -> v.ciLow() != null);
        md.append(withCi ? "| subject | metric | value | 95% CI | n | better |\n|---|---|---|---|---|---|\n"
                : "| subject | metric | value | n | better |\n|---|---|---|---|---|\n");
        for (Report.Value v : values) {
            md.append("| ").append(v.subject()).append(" | ").append(v.metric()).append(" | ")
                    .append(format(v.value())).append(" | ").append(withCi ? ci(v.ciLow(), v.ciHigh()) + " | " : "")
                    .append(v.n() == null ? "" : ReportBuilder.count(v.n())).append(" | ")
                    .append(v.higherIsBetter() ? "↑" : "↓").append(" |\n");
        }
        md.append('\n');
    }

    private static void tests(StringBuilder md, List<PairedTestResult> tests) {
        if (tests.isEmpty()) {
            return;
        }
        md.append("| paired test | subject | against | n | detail | p | p (Holm) |\n|---|---|---|---|---|---|---|\n");
        for (PairedTestResult t : tests) {
            String detail = (t.onlySubjectRight() != null
                    ? "only subject right " + t.onlySubjectRight() + ", only against right " + t.onlyAgainstRight()
                    + "; " : "") + (t.difference() == null ? ""
                    : t.metric() + " difference " + format(t.difference()) + ", CI " + ci(t.ciLow(), t.ciHigh()));
            md.append("| ").append(t.test()).append(" | ").append(t.subject()).append(" | ").append(t.against())
                    .append(" | ").append(ReportBuilder.count(t.n())).append(" | ").append(detail).append(" | ")
                    .append(formatP(t.pValue())).append(" | ").append(formatP(t.pValueHolm())).append(" |\n");
        }
        md.append('\n');
    }

    private static void curves(StringBuilder md, List<Report.Curve> curves) {
        for (Report.Curve c : curves) {
            if (c.loss().isEmpty()) {
                continue;
            }
            md.append(String.format("Training (%s): loss %s at step %d → %s at step %d", c.task(),
                    format(c.loss().get(0)), c.step().get(0), format(c.loss().get(c.loss().size() - 1)),
                    c.step().get(c.step().size() - 1)));
            if (!c.valLoss().isEmpty()) {
                double best = c.valLoss().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                md.append(String.format("; best validation loss %s at step %d", format(best),
                        c.valStep().get(c.valLoss().indexOf(best))));
            }
            md.append(".\n\n");
        }
    }

    private static void confusion(StringBuilder md, String subject, ConfusionMatrix cm) {
        if (cm.labels().size() > Charts.HEAT_MAP_CLASSES) {
            md.append("Confusion matrix, ").append(subject).append(": ").append(ReportBuilder.count(cm.labels().size()))
                    .append(" classes; the most frequent confusions (the full matrix is in report.json):\n\n")
                    .append("| gold | predicted as | items |\n|---|---|---|\n");
            for (ReportBuilder.Confusion c : ReportBuilder.topConfusions(cm, HtmlReport.TOP_CONFUSIONS)) {
                md.append("| ").append(cell(c.gold())).append(" | ").append(cell(c.predicted())).append(" | ")
                        .append(ReportBuilder.count(c.count())).append(" |\n");
            }
            md.append("\n<details><summary>per-class precision, recall and F1: ").append(subject)
                    .append("</summary>\n");
        } else {
            md.append("Confusion matrix, ").append(subject).append(" (rows = gold, columns = predicted):\n\n| |");
            cm.labels().forEach(l -> md.append(' ').append(cell(l)).append(" |"));
            md.append("\n|---|");
            cm.labels().forEach(l -> md.append("---|"));
            md.append('\n');
            for (int i = 0; i < cm.labels().size(); i++) {
                md.append("| **").append(cell(cm.labels().get(i))).append("** |");
                for (int j = 0; j < cm.labels().size(); j++) {
                    md.append(' ').append(cm.count(i, j)).append(" |");
                }
                md.append('\n');
            }
        }
        md.append("\n| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
        for (ConfusionMatrix.PerClass p : cm.perClass()) {
            md.append("| ").append(cell(p.label())).append(" | ").append(format(p.precision())).append(" | ")
                    .append(format(p.recall())).append(" | ").append(format(p.f1())).append(" | ")
                    .append(ReportBuilder.count(p.support())).append(" |\n");
        }
        md.append(cm.labels().size() > Charts.HEAT_MAP_CLASSES ? "\n</details>\n\n" : "\n");
    }

    private static void synthetic(StringBuilder md, Report.SyntheticSection s) {
        md.append("## Synthetic data\n\nMethods: ").append(String.join(", ", s.methods())).append(". Column shapes, "
                + "pair trends, quality and new-row synthesis compare each synthetic table with the whole real table (as "
                + "SDMetrics' QualityReport); detection, TSTR/TRTR and DCR use the holdout. **bold** marks the best synthesizer of a column, rows "
                + "in _italics_ are references (never \"best\").\n\n");
        SyntheticTable.Table wide = SyntheticTable.of(s);
        if (!wide.rows().isEmpty()) {
            md.append("| method |");
            for (int j = 0; j < wide.columns().size(); j++) {
                md.append(' ').append(wide.columns().get(j)).append(wide.higherIsBetter().get(j) ? " ↑" : " ↓")
                        .append(" |");
            }
            md.append("\n|---|").append("---|".repeat(wide.columns().size())).append('\n');
            for (SyntheticTable.Row r : wide.rows()) {
                md.append("| ").append(r.reference() ? "_" + cell(r.subject()) + "_" : cell(r.subject())).append(" |");
                for (int j = 0; j < r.values().size(); j++) {
                    Double v = r.values().get(j);
                    String text = v == null ? "" : format(v);
                    md.append(' ').append(r.best().get(j) ? "**" + text + "**" : text).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        SyntheticSummary.typesAndBasis(md, s.columnTypes(), s.basis(), s.notes());
        md.append("<details><summary>every synthetic metric and paired test (long form)</summary>\n\n");
        values(md, s.values());
        tests(md, s.tests());
        md.append("</details>\n\n");
        for (Map.Entry<String, List<SyntheticEvaluation.ColumnScore>> e : s.columns().entrySet()) {
            md.append("<details><summary>per-column scores: ").append(e.getKey())
                    .append("</summary>\n\n| column | kind | metric | score |\n|---|---|---|---|\n");
            for (SyntheticEvaluation.ColumnScore c : e.getValue()) {
                md.append("| ").append(cell(c.column())).append(" | ").append(c.kind()).append(" | ")
                        .append(c.metric()).append(" | ").append(format(c.score())).append(" |\n");
            }
            md.append("\n</details>\n\n");
        }
    }

    private static void row(StringBuilder md, String key, String value) {
        if (value != null) {
            md.append("| ").append(key).append(" | ").append(cell(value)).append(" |\n");
        }
    }

    static String ci(Double low, Double high) {
        return low == null || high == null ? "" : format(low) + " to " + format(high);
    }

    static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
