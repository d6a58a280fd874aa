package dev.workbench.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateNumberModel;
import freemarker.template.TemplateModelException;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code report.html}: one self-contained file (inline CSS, charts as PNG data URIs, no script, no external link),
 * rendered from the FreeMarker template {@code report.ftlh} with HTML auto-escaping. The same chart PNGs are returned
 * so the writer can also store them under {@code charts/}.
 */
public final class HtmlReport {
    private static final String TEMPLATE = "report.ftlh";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration FREEMARKER = configuration();

    /** The page and its charts (file name → PNG bytes). */
    public record Rendered(String html, Map<String, byte[]> charts) {
    }

    private HtmlReport() {
    }

    private static Configuration configuration() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setClassForTemplateLoading(HtmlReport.class, "/dev/workbench/report");
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        return cfg;
    }

    public static Rendered render(Report report) {
        Charts.Rendered rendered = Charts.render(report);
        Map<String, byte[]> charts = rendered.charts();
        Map<String, String> uris = new LinkedHashMap<>();
        charts.forEach((name, png) -> uris.put(name, "data:image/png;base64," + Base64.getEncoder().encodeToString(png)));
        Map<String, Object> model = new HashMap<>();
        model.put("report", JSON.convertValue(report, new TypeReference<Map<String, Object>>() { }));
        model.put("charts", uris);
        model.put("chartProblems", rendered.problems());
        model.put("bestKeys", bestKeys(report));
        model.put("fmt", (TemplateMethodModelEx) args -> ReportBuilder.format(number(args.get(0))));
        model.put("fmtP", (TemplateMethodModelEx) args -> ReportBuilder.formatP(number(args.get(0))));
        model.put("safe", (TemplateMethodModelEx) args -> Charts.safe(String.valueOf(args.get(0))));
        try {
            Template template = FREEMARKER.getTemplate(TEMPLATE);
            StringWriter out = new StringWriter();
            template.process(model, out);
            return new Rendered(out.toString(), charts);
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("cannot render " + TEMPLATE + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code dataset|metric|subject} of every value that is the best of its metric within a report section (by the
     * metric's direction); none for a metric only one subject has, or where every subject ties. P-values are not
     * scores and never marked.
     */
    static java.util.List<String> bestKeys(Report report) {
        java.util.List<java.util.List<Report.Value>> sections = new java.util.ArrayList<>();
        if (report.languageModel() != null) {
            sections.add(report.languageModel().values());
        }
        if (report.classifier() != null) {
            sections.add(report.classifier().values());
        }
        if (report.synthetic() != null) {
            sections.add(report.synthetic().values());
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (java.util.List<Report.Value> values : sections) {
            Map<String, java.util.List<Report.Value>> byMetric = new LinkedHashMap<>();
            for (Report.Value v : values) {
                if (!v.metric().startsWith("p_value_") && !Double.isNaN(v.value())) {
                    byMetric.computeIfAbsent(java.util.Objects.toString(v.dataset(), "") + "|" + v.metric(), k -> new java.util.ArrayList<>()).add(v);
                }
            }
            byMetric.forEach((key, group) -> {
                if (group.size() < 2) {
                    return;
                }
                boolean higher = group.get(0).higherIsBetter();
                double best = group.stream().mapToDouble(Report.Value::value)
                        .reduce(higher ? Math::max : Math::min).orElseThrow();
                java.util.List<Report.Value> winners = group.stream().filter(v -> v.value() == best).toList();
                if (winners.size() < group.size()) {
                    winners.forEach(v -> out.add(key + "|" + v.subject()));
                }
            });
        }
        return out;
    }

    private static double number(Object arg) throws TemplateModelException {
        if (arg instanceof TemplateNumberModel n) {
            return n.getAsNumber().doubleValue();
        }
        if (arg == null) {
            return Double.NaN;
        }
        String s = arg.toString();
        if (s.equals("NaN")) {
            return Double.NaN;
        }
        throw new TemplateModelException("not a number: " + s);
    }
}
