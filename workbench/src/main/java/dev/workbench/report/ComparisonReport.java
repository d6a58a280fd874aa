package dev.workbench.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.eval.RunPairTests;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.RunFolder;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateNumberModel;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.workbench.report.ReportBuilder.format;
import static dev.workbench.report.ReportBuilder.formatP;

/**
 * Renders a {@link MultiRunComparison.Comparison} as {@code compare.json}, {@code compare.md} and a self-contained
 * {@code compare.html} (FreeMarker template {@code compare.ftlh} with HTML auto-escaping; charts as inline SVG) and
 * writes them so a reader never sees a partial report: a new folder is filled as a hidden sibling and renamed into
 * place; into an existing folder every file goes through a temporary file and an atomic rename.
 */
public final class ComparisonReport {
    public static final String HTML = "compare.html";
    public static final String MARKDOWN = "compare.md";
    public static final String JSON_FILE = "compare.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration FREEMARKER = Templates.configuration();

    private ComparisonReport() {
    }

    /** Writes the three files into {@code out}; returns their paths. */
    public static List<Path> write(MultiRunComparison.Comparison c, Path out) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(JSON_FILE, MultiRunComparison.json(c).getBytes(StandardCharsets.UTF_8));
        files.put(MARKDOWN, markdown(c).getBytes(StandardCharsets.UTF_8));
        files.put(HTML, html(c).getBytes(StandardCharsets.UTF_8));
        List<Path> written = new ArrayList<>();
        if (!Files.exists(out)) {
            Path staging = AtomicDirectory.staging(out);
            try {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    Files.write(staging.resolve(f.getKey()), f.getValue());
                }
                AtomicDirectory.commit(staging, out);
            } finally {
                AtomicDirectory.deleteRecursively(staging);
            }
        } else {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                RunFolder.writeAtomically(out.resolve(f.getKey()), f.getValue());
            }
        }
        files.keySet().forEach(name -> written.add(out.resolve(name)));
        return written;
    }

    // ---- markdown ----

    public static String markdown(MultiRunComparison.Comparison c) {
        StringBuilder md = new StringBuilder("# Comparison of ").append(c.runs().size()).append(" runs\n\n");
        md.append("| # | run | recipe | source |\n|---|---|---|---|\n");
        for (int i = 0; i < c.runs().size(); i++) {
            MultiRunComparison.RunRef r = c.runs().get(i);
            md.append("| ").append(i + 1).append(" | ").append(cell(r.name())).append(" | ").append(cell(r.recipe()))
                    .append(" | ").append(r.kind()).append(" |\n");
        }
        md.append('\n');
        for (MultiRunComparison.RunRef r : c.runs()) {
            if (r.warning() != null) {
                md.append("> **Warning:** ").append(cell(r.warning())).append("\n\n");
            }
        }
        md.append("## What differs significantly\n\n").append(significanceIntro(c)).append("\n\n");
        for (RunPairTests.PairedTest t : significant(c)) {
            md.append("- ").append(cell(sentence(t))).append('\n');
        }
        if (!significant(c).isEmpty()) {
            md.append('\n');
        }
        List<MultiRunComparison.Row> changed = c.rows().stream().filter(r -> !MultiRunComparison.isPValue(r)
                && !MultiRunComparison.unchanged(r)).toList();
        List<MultiRunComparison.Row> same = c.rows().stream().filter(r -> !MultiRunComparison.isPValue(r)
                && MultiRunComparison.unchanged(r)).toList();
        List<MultiRunComparison.Row> pValues = c.rows().stream().filter(MultiRunComparison::isPValue).toList();
        md.append("## Metrics\n\nMetrics whose value differs between the runs that have them (").append(changed.size())
                .append("); deltas are against run 1; **bold** marks the best value; ↑ higher is better, ↓ lower "
                        + "is better. A difference here is not a test: see the list above.\n\n");
        metricTable(md, c, changed, true);
        if (!same.isEmpty()) {
            md.append("\n<details><summary>").append(same.size()).append(" metrics with no difference (the same "
                    + "value in every run that has them)</summary>\n\n");
            metricTable(md, c, same, false);
            md.append("\n</details>\n");
        }
        if (!pValues.isEmpty()) {
            md.append("\n<details><summary>p-values of each run's own paired tests (").append(pValues.size())
                    .append("; test results, not metrics)</summary>\n\n");
            metricTable(md, c, pValues, false);
            md.append("\n</details>\n");
        }
        if (c.domainMatrix() != null) {
            md.append(domainMatrixMarkdown(c.domainMatrix()));
        }
        md.append("\n## Paired tests against run 1\n\n");
        if (c.tests().isEmpty()) {
            md.append("No per-example files in these runs; no paired test.\n");
        } else {
            md.append("| area | subject | run | metric | test | n | difference | 95% CI | p | p (Holm) |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (RunPairTests.PairedTest t : c.tests()) {
                md.append("| ").append(t.area()).append(" | ").append(cell(t.subject())).append(" | ")
                        .append(cell(t.run())).append(" | ").append(t.metric()).append(" | ");
                if (t.refused() != null) {
                    md.append("refused: ").append(cell(t.refused())).append(" | | | | | |\n");
                    continue;
                }
                md.append(t.test()).append(" | ").append(t.n()).append(" | ").append(Headlines.signed(t.difference()))
                        .append(t.onlyRunRight() == null ? "" : " (b " + t.onlyRunRight() + ", c "
                                + t.onlyAgainstRight() + ")").append(" | ")
                        .append(t.ciLow() == null ? "" : format(t.ciLow()) + " to " + format(t.ciHigh()))
                        .append(" | ").append(formatP(t.pValue())).append(" | ").append(formatP(t.pValueHolm()))
                        .append(" |\n");
            }
        }
        if (c.winRates() != null) {
            md.append("\n## Mean win rate\n\nFor each metric, the share of the other runs a run beats (ties count "
                    + "half), averaged over the metrics it has.\n\n| run | mean win rate | metrics |\n|---|---|---|\n");
            for (MultiRunComparison.WinRate w : c.winRates()) {
                md.append("| ").append(cell(w.run())).append(" | ").append(format(w.meanWinRate())).append(" | ")
                        .append(w.metrics()).append(" |\n");
            }
        }
        if (!c.curves().isEmpty()) {
            md.append("\n## Training curves\n\n| task | run | steps | first loss | last loss |\n|---|---|---|---|---|\n");
            c.curves().forEach((task, curves) -> curves.forEach(rc -> md.append("| ").append(task).append(" | ")
                    .append(cell(rc.run())).append(" | ").append(rc.curve().step().size()).append(" | ")
                    .append(format(rc.curve().loss().get(0))).append(" | ")
                    .append(format(rc.curve().loss().get(rc.curve().loss().size() - 1))).append(" |\n")));
        }
        return md.toString();
    }

    private static void metricTable(StringBuilder md, MultiRunComparison.Comparison c,
                                    List<MultiRunComparison.Row> rows, boolean deltas) {
        if (rows.isEmpty()) {
            md.append("None.\n");
            return;
        }
        md.append("| stage | dataset | split | subject | metric |");
        for (int i = 0; i < c.runs().size(); i++) {
            md.append(" ").append(i + 1).append(" |");
            if (i > 0 && deltas) {
                md.append(" Δ").append(i + 1).append(" |");
            }
        }
        int columns = deltas ? 2 * c.runs().size() - 1 : c.runs().size();
        md.append("\n|---|---|---|---|---|").append("---|".repeat(columns)).append('\n');
        for (MultiRunComparison.Row row : rows) {
            md.append("| ").append(cell(row.stage())).append(" | ").append(cell(row.dataset())).append(" | ")
                    .append(cell(row.split())).append(" | ").append(cell(row.subject())).append(" | ")
                    .append(cell(row.metric())).append(MultiRunComparison.isPValue(row) ? ""
                            : row.higherIsBetter() ? " ↑" : " ↓").append(" |");
            for (int i = 0; i < row.values().size(); i++) {
                Double v = row.values().get(i);
                String value = v == null ? "–" : MultiRunComparison.isPValue(row) ? formatP(v) : format(v);
                md.append(' ').append(row.best().contains(i) ? "**" + value + "**" : value).append(" |");
                if (i > 0 && deltas) {
                    Double d = row.deltas().get(i);
                    md.append(' ').append(d == null || d == 0 ? "" : Headlines.signed(d)).append(" |");
                }
            }
            md.append('\n');
        }
    }

    /** Tests significant after Holm's correction, smallest adjusted p first. */
    static List<RunPairTests.PairedTest> significant(MultiRunComparison.Comparison c) {
        return c.tests().stream().filter(RunPairTests.PairedTest::significant)
                .sorted(java.util.Comparator.comparingDouble(RunPairTests.PairedTest::pValueHolm)).toList();
    }

    static String significanceIntro(MultiRunComparison.Comparison c) {
        long run = c.tests().stream().filter(t -> t.pValue() != null).count();
        long refused = c.tests().size() - run;
        String refusedNote = refused == 0 ? "" : " " + refused + " test" + (refused == 1 ? " was" : "s were")
                + " refused (see the paired tests below).";
        if (run == 0) {
            return "No paired test could be run on these runs, so nothing can be called a significant difference."
                    + refusedNote;
        }
        List<RunPairTests.PairedTest> sig = significant(c);
        if (sig.isEmpty()) {
            return "Nothing: none of the " + run + " paired tests against run 1 is significant at 5 % after Holm's "
                    + "correction. Differences in the metric table may be noise." + refusedNote;
        }
        return sig.size() + " of " + run + " paired tests against run 1 " + (sig.size() == 1 ? "is" : "are")
                + " significant at 5 % after Holm's correction over all of them:" + refusedNote;
    }

    /** One significant test in words, e.g. "classifier accuracy of finetuned: run B − run A = +0.05 (...)". */
    static String sentence(RunPairTests.PairedTest t) {
        String counts = t.onlyRunRight() == null ? "" : ", " + t.onlyRunRight() + " items only " + t.run()
                + " got right, " + t.onlyAgainstRight() + " only " + t.against();
        String ci = t.ciLow() == null ? "" : ", 95% CI " + format(t.ciLow()) + " to " + format(t.ciHigh());
        return t.area().replace('_', ' ') + " " + t.metric() + " of " + t.subject() + ": " + t.run() + " − "
                + t.against() + " = " + Headlines.signed(t.difference()) + " (" + t.test() + ", n = "
                + ReportBuilder.count(t.n()) + counts + ci + "; p = " + formatP(t.pValue()) + ", Holm-adjusted "
                + formatP(t.pValueHolm()) + ")";
    }

    static String domainMatrixMarkdown(MultiRunComparison.DomainMatrix m) {
        StringBuilder md = new StringBuilder("\n## Cross-domain matrix\n\nTest bits per byte ↓ (lower is better) of "
                + "every model on every domain's test text; **bold** marks the best model of a domain; – where the "
                + "run did not score that domain.\n\n| run | model |");
        m.domains().forEach(d -> md.append(' ').append(cell(d)).append(" |"));
        md.append("\n|---|---|").append("---|".repeat(m.domains().size())).append('\n');
        for (int i = 0; i < m.models().size(); i++) {
            MultiRunComparison.DomainModel model = m.models().get(i);
            md.append("| ").append(cell(model.run())).append(" | ").append(cell(model.subject())).append(" |");
            for (int j = 0; j < m.domains().size(); j++) {
                Double v = model.bitsPerByte().get(j);
                String value = v == null ? "–" : format(v);
                md.append(' ').append(m.best().get(j).contains(i) ? "**" + value + "**" : value).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** A Markdown table cell: pipes and newlines would break the row, and raw HTML would be rendered by viewers. */
    static String cell(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
                .replace("\n", " ");
    }

    // ---- html ----

    public static String html(MultiRunComparison.Comparison c) {
        Map<String, String> charts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> colours = Svg.colours(c.runs().stream().map(MultiRunComparison.RunRef::name).toList());
        c.curves().forEach((task, curves) -> chart(charts, problems, "loss_" + task,
                () -> curvesChart(task, curves, colours)));
        if (c.winRates() != null) {
            chart(charts, problems, "win_rate", () -> winRateChart(c.winRates(), colours));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("c", JSON.convertValue(c, new TypeReference<Map<String, Object>>() { }));
        List<Integer> changed = new ArrayList<>();
        List<Integer> same = new ArrayList<>();
        List<Integer> pValues = new ArrayList<>();
        for (int i = 0; i < c.rows().size(); i++) {
            MultiRunComparison.Row row = c.rows().get(i);
            (MultiRunComparison.isPValue(row) ? pValues : MultiRunComparison.unchanged(row) ? same : changed).add(i);
        }
        model.put("changedRows", changed);
        model.put("sameRows", same);
        model.put("pValueRows", pValues);
        model.put("significanceIntro", significanceIntro(c));
        model.put("significant", significant(c).stream().map(ComparisonReport::sentence).toList());
        model.put("charts", charts);
        model.put("chartProblems", problems);
        model.put("fmt", (TemplateMethodModelEx) args -> format(number(args.get(0))));
        model.put("fmtP", (TemplateMethodModelEx) args -> formatP(number(args.get(0))));
        model.put("count", (TemplateMethodModelEx) args -> ReportBuilder.count((long) number(args.get(0))));
        model.put("signed", (TemplateMethodModelEx) args -> Headlines.signed(number(args.get(0))));
        try {
            Template template = FREEMARKER.getTemplate("compare.ftlh");
            StringWriter out = new StringWriter();
            template.process(model, out);
            return out.toString();
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("cannot render compare.ftlh: " + e.getMessage(), e);
        }
    }

    private static double number(Object arg) throws TemplateModelException {
        if (arg instanceof TemplateNumberModel n) {
            return n.getAsNumber().doubleValue();
        }
        if (arg == null || "NaN".equals(arg.toString())) {
            return Double.NaN;
        }
        throw new TemplateModelException("not a number: " + arg);
    }

    /** A chart that cannot be drawn leaves the page without it, saying why. */
    private static void chart(Map<String, String> charts, List<String> problems, String name,
                              java.util.function.Supplier<String> make) {
        try {
            String svg = make.get();
            if (svg != null) {
                charts.put(name, svg);
            }
        } catch (RuntimeException e) {
            problems.add(name + ": " + e);
        }
    }

    static String curvesChart(String task, List<MultiRunComparison.RunCurve> curves, Map<String, String> colours) {
        List<Svg.Line> lines = new ArrayList<>();
        int i = 1;
        for (MultiRunComparison.RunCurve rc : curves) {
            lines.add(new Svg.Line(i++ + ": " + rc.run(), colours.get(rc.run()), rc.curve().step(),
                    rc.curve().loss(), false));
        }
        return Svg.lines("Training loss (" + task + "), every run", lines, "step", "loss");
    }

    static String winRateChart(List<MultiRunComparison.WinRate> rates, Map<String, String> colours) {
        List<String> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<String> fill = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            x.add((i + 1) + ": " + rates.get(i).run());
            y.add(Double.isNaN(rates.get(i).meanWinRate()) ? 0 : rates.get(i).meanWinRate());
            fill.add(colours.get(rates.get(i).run()));
        }
        return Svg.bars("Mean win rate (higher is better)", x, List.of(Svg.Series.of("mean win rate", fill.get(0), y)),
                fill, null, 1.0);
    }
}
