package dev.workbench.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.plan.Durations;
import dev.workbench.store.Metric;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateNumberModel;
import freemarker.template.TemplateModelException;

import java.io.IOException;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code report.html}: one self-contained file (inline CSS, charts as inline SVG, no script, no external link),
 * rendered from the FreeMarker template {@code report.ftlh} with HTML auto-escaping (the SVG is escaped where it is
 * drawn, {@link Svg}). The same charts are returned so the writer can also store them under {@code charts/}.
 */
public final class HtmlReport {
    private static final String TEMPLATE = "report.ftlh";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration FREEMARKER = configuration();

    /** The page and its charts (file name → SVG document; each is also inline in the page). */
    public record Rendered(String html, Map<String, String> charts) {
    }

    /** Confusion-matrix cells listed for a subject with more classes than a heat map can show. */
    static final int TOP_CONFUSIONS = 25;

    private HtmlReport() {
    }

    private static Configuration configuration() {
        Configuration cfg = Templates.configuration();
        cfg.setFallbackOnNullLoopVariable(false);
        return cfg;
    }

    public static Rendered render(Report report) {
        Charts.Rendered rendered = Charts.render(report);
        Map<String, Object> model = new HashMap<>();
        model.put("report", JSON.convertValue(report, new TypeReference<Map<String, Object>>() { }));
        model.put("charts", rendered.charts());
        model.put("chartProblems", rendered.problems());
        model.put("bestKeys", bestKeys(report));
        model.put("colours", Charts.colours(report));
        model.put("heatMapClasses", Charts.HEAT_MAP_CLASSES);
        if (report.synthetic() != null) {
            model.put("wide", JSON.convertValue(SyntheticTable.of(report.synthetic()),
                    new TypeReference<Map<String, Object>>() { }));
        }
        if (report.classifier() != null) {
            Map<String, Object> confusions = new LinkedHashMap<>();
            report.classifier().confusion().forEach((subject, cm) -> confusions.put(subject, JSON.convertValue(
                    ReportBuilder.topConfusions(cm, TOP_CONFUSIONS), new TypeReference<java.util.List<Object>>() { })));
            model.put("topConfusions", confusions);
        }
        if (report.data() != null) {
            Map<String, Object> facts = new LinkedHashMap<>();
            Map<String, String> settings = new LinkedHashMap<>();
            report.data().notes().forEach((k, v) -> {
                if (v instanceof Map<?, ?>) {
                    facts.put(k, ReportBuilder.facts(v));
                } else {
                    settings.put(k, String.valueOf(v));
                }
            });
            model.put("dataFacts", facts);
            model.put("dataSettings", settings);
        }
        model.put("fmt", (TemplateMethodModelEx) args -> ReportBuilder.format(number(args.get(0))));
        model.put("fmtP", (TemplateMethodModelEx) args -> ReportBuilder.formatP(number(args.get(0))));
        model.put("count", (TemplateMethodModelEx) args -> ReportBuilder.count((long) number(args.get(0))));
        model.put("duration", (TemplateMethodModelEx) args -> Durations.format(number(args.get(0))));
        model.put("safe", (TemplateMethodModelEx) args -> Charts.safe(String.valueOf(args.get(0))));
        try {
            Template template = FREEMARKER.getTemplate(TEMPLATE);
            StringWriter out = new StringWriter();
            template.process(model, out);
            return new Rendered(out.toString(), rendered.charts());
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
        if (report.synthetic() != null) { // among the synthesizers only: the real holdout is a reference
            sections.add(report.synthetic().values().stream()
                    .filter(v -> report.synthetic().methods().contains(v.subject())).toList());
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (java.util.List<Report.Value> values : sections) {
            Map<String, java.util.List<Report.Value>> byMetric = new LinkedHashMap<>();
            for (Report.Value v : values) {
                if (!Metric.isPValue(v.metric()) && !Double.isNaN(v.value())) {
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
