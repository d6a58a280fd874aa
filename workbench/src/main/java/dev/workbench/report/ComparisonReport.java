package dev.workbench.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.eval.RunFiles;
import dev.workbench.store.AtomicDirectory;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateNumberModel;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.AWTError;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.workbench.report.ReportBuilder.format;
import static dev.workbench.report.ReportBuilder.formatP;

/**
 * Renders a {@link MultiRunComparison.Comparison} as {@code compare.json}, {@code compare.md} and a self-contained
 * {@code compare.html} (FreeMarker template {@code compare.ftlh} with HTML auto-escaping; charts as PNG data URIs) and
 * writes them so a reader never sees a partial report: a new folder is filled as a hidden sibling and renamed into
 * place; into an existing folder every file goes through a temporary file and an atomic rename.
 */
public final class ComparisonReport {
    public static final String HTML = "compare.html";
    public static final String MARKDOWN = "compare.md";
    public static final String JSON_FILE = "compare.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration FREEMARKER = configuration();

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ComparisonReport() {
    }

    private static Configuration configuration() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setClassForTemplateLoading(ComparisonReport.class, "/dev/workbench/report");
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        return cfg;
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
                RunFiles.writeAtomically(out.resolve(f.getKey()), f.getValue());
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
        md.append("\n## Metrics\n\nDeltas are against run 1; **bold** marks the best value; ↑ higher is better, "
                + "↓ lower is better.\n\n| stage | dataset | split | subject | metric |");
        for (int i = 0; i < c.runs().size(); i++) {
            md.append(" ").append(i + 1).append(" |");
            if (i > 0) {
                md.append(" Δ").append(i + 1).append(" |");
            }
        }
        md.append("\n|---|---|---|---|---|").append("---|".repeat(2 * c.runs().size() - 1)).append('\n');
        for (MultiRunComparison.Row row : c.rows()) {
            md.append("| ").append(cell(row.stage())).append(" | ").append(cell(row.dataset())).append(" | ")
                    .append(cell(row.split())).append(" | ").append(cell(row.subject())).append(" | ")
                    .append(cell(row.metric())).append(row.higherIsBetter() ? " ↑" : " ↓").append(" |");
            for (int i = 0; i < row.values().size(); i++) {
                Double v = row.values().get(i);
                String value = v == null ? "" : format(v);
                md.append(' ').append(row.best().contains(i) ? "**" + value + "**" : value).append(" |");
                if (i > 0) {
                    Double d = row.deltas().get(i);
                    md.append(' ').append(d == null ? "" : Headlines.signed(d)).append(" |");
                }
            }
            md.append('\n');
        }
        if (c.domainMatrix() != null) {
            md.append(domainMatrixMarkdown(c.domainMatrix()));
        }
        md.append("\n## Paired tests against run 1\n\n");
        if (c.tests().isEmpty()) {
            md.append("No per-example files in these runs; no paired test.\n");
        } else {
            md.append("| area | subject | run | metric | test | n | difference | 95% CI | p |\n")
                    .append("|---|---|---|---|---|---|---|---|---|\n");
            for (MultiRunComparison.PairedTest t : c.tests()) {
                md.append("| ").append(t.area()).append(" | ").append(cell(t.subject())).append(" | ")
                        .append(cell(t.run())).append(" | ").append(t.metric()).append(" | ");
                if (t.refused() != null) {
                    md.append("refused: ").append(cell(t.refused())).append(" | | | | |\n");
                    continue;
                }
                md.append(t.test()).append(" | ").append(t.n()).append(" | ").append(Headlines.signed(t.difference()))
                        .append(t.onlyRunRight() == null ? "" : " (b " + t.onlyRunRight() + ", c "
                                + t.onlyAgainstRight() + ")").append(" | ")
                        .append(t.ciLow() == null ? "" : format(t.ciLow()) + " to " + format(t.ciHigh()))
                        .append(" | ").append(formatP(t.pValue())).append(" |\n");
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
        c.curves().forEach((task, curves) -> chart(charts, problems, "loss_" + task,
                () -> curvesChart(task, curves)));
        if (c.winRates() != null) {
            chart(charts, problems, "win_rate", () -> winRateChart(c.winRates()));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("c", JSON.convertValue(c, new TypeReference<Map<String, Object>>() { }));
        model.put("charts", charts);
        model.put("chartProblems", problems);
        model.put("fmt", (TemplateMethodModelEx) args -> format(number(args.get(0))));
        model.put("fmtP", (TemplateMethodModelEx) args -> formatP(number(args.get(0))));
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

    /** A chart that cannot be drawn (no fonts on a headless host) leaves the page without it, saying why. */
    private static void chart(Map<String, String> charts, List<String> problems, String name,
                              java.util.function.Supplier<IChart> make) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(make.get(), BitmapEncoder.BitmapFormat.PNG);
            charts.put(name, "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        } catch (IOException | RuntimeException | LinkageError | InternalError | AWTError e) {
            problems.add(name + ": " + e);
        }
    }

    static XYChart curvesChart(String task, List<MultiRunComparison.RunCurve> curves) {
        XYChart chart = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("Training loss (" + task + "), every run").xAxisTitle("step").yAxisTitle("loss").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        int i = 1;
        for (MultiRunComparison.RunCurve rc : curves) {
            chart.addSeries(i++ + ": " + rc.run(), rc.curve().step(), rc.curve().loss())
                    .setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    static CategoryChart winRateChart(List<MultiRunComparison.WinRate> rates) {
        CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("Mean win rate (higher is better)").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        List<String> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            x.add((i + 1) + ": " + rates.get(i).run());
            y.add(Double.isNaN(rates.get(i).meanWinRate()) ? 0 : rates.get(i).meanWinRate());
        }
        chart.addSeries("mean win rate", x, y);
        return chart;
    }
}
