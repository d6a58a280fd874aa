package dev.workbench.report;

import dev.workbench.eval.ColumnDistribution;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.awt.AWTError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report's charts as PNG bytes (xchart, headless): loss curves, bits per byte and accuracy with interval bars,
 * confusion-matrix heat maps, synthetic scores, pair-trend (correlation-difference) heat maps and real-vs-synthetic
 * distributions of every column. Keys are file names under {@code charts/}.
 */
final class Charts {
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    /** Scores shown in the synthetic-data chart, in this order. */
    static final List<String> SYNTHETIC_SCORES = List.of("ks_complement", "tv_complement", "correlation_similarity",
            "contingency_similarity", "detection_score", "dcr_overfitting_protection");

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Rendered charts and, for each chart that could not be drawn, why. */
    record Rendered(Map<String, byte[]> charts, List<String> problems) {
    }

    static Rendered render(Report r) {
        Map<String, byte[]> charts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<Report.Curve> curves = new ArrayList<>();
        if (r.languageModel() != null) {
            curves.addAll(r.languageModel().curves());
            put(charts, "bits_per_byte.png", () -> bars("Bits per byte on the test split (lower is better)",
                    r.languageModel().values(), Set.of("bits_per_byte")), problems);
        }
        if (r.classifier() != null) {
            curves.addAll(r.classifier().curves());
            put(charts, "accuracy.png", () -> bars("Test accuracy vs baselines (higher is better)",
                    r.classifier().values(), Set.of("accuracy")), problems);
        }
        for (Report.Curve c : curves) {
            put(charts, "loss_" + c.task() + ".png", () -> lossCurve(c), problems);
        }
        if (r.classifier() != null && r.classifier().confusion() != null) {
            r.classifier().confusion().forEach((subject, cm) -> put(charts, "confusion_" + safe(subject) + ".png",
                    () -> confusionHeatMap(subject, cm), problems));
        }
        if (r.synthetic() != null) {
            put(charts, "synthetic_scores.png", () -> syntheticScores(r.synthetic()), problems);
            if (r.synthetic().pairs() != null) {
                r.synthetic().pairs().forEach((method, pairs) -> put(charts, "pair_trends_" + safe(method) + ".png",
                        () -> pairTrendHeatMap(method, pairs), problems));
            }
            for (ColumnDistribution d : r.synthetic().distributions()) {
                put(charts, "distribution_" + safe(d.column()) + ".png", () -> distribution(d), problems);
            }
        }
        return new Rendered(charts, problems);
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /**
     * Draws one chart. A host without usable fonts or AWT makes Java2D throw (often an Error); the report is still
     * written, without that chart, and says why.
     */
    private static void put(Map<String, byte[]> charts, String name, java.util.function.Supplier<IChart> make,
                            List<String> problems) {
        try {
            IChart chart = make.get();
            if (chart != null) {
                charts.put(name, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            }
        } catch (IOException | RuntimeException | LinkageError | InternalError | AWTError e) {
            problems.add(name + ": " + e);
        }
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    }

    static XYChart lossCurve(Report.Curve c) {
        if (c.loss().isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Training and validation loss (" + c.task() + ")").xAxisTitle("step").yAxisTitle("loss").build();
        style(chart.getStyler());
        XYSeries train = chart.addSeries("training loss", c.step(), c.loss());
        train.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        if (!c.valLoss().isEmpty()) {
            chart.addSeries("validation loss", c.valStep(), c.valLoss());
        }
        return chart;
    }

    /** One bar per subject with the metric's interval as (symmetric, half-width) error bars. */
    static CategoryChart bars(String title, List<Report.Value> values, Set<String> metrics) {
        List<Report.Value> picked = values.stream().filter(v -> metrics.contains(v.metric())).toList();
        if (picked.isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setErrorBarsColor(java.awt.Color.BLACK);
        chart.getStyler().setYAxisMin(0.0);
        List<String> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> err = new ArrayList<>();
        for (Report.Value v : picked) {
            x.add(v.subject());
            y.add(v.value());
            err.add(v.ciLow() == null || v.ciHigh() == null ? 0 : (v.ciHigh() - v.ciLow()) / 2);
        }
        chart.addSeries(String.join(",", metrics), x, y, err);
        return chart;
    }

    static CategoryChart syntheticScores(Report.SyntheticSection s) {
        if (s.methods().isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Synthetic data scores (1 = indistinguishable from real)").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(20);
        // xchart needs the same categories in every series: keep the scores every method has.
        List<String> shared = SYNTHETIC_SCORES.stream().filter(metric -> s.methods().stream().allMatch(method ->
                s.values().stream().anyMatch(v -> v.subject().equals(method) && v.metric().equals(metric))))
                .toList();
        if (shared.isEmpty()) {
            return null;
        }
        for (String method : s.methods()) {
            List<Double> y = new ArrayList<>();
            for (String metric : shared) {
                y.add(s.values().stream().filter(v -> v.subject().equals(method) && v.metric().equals(metric))
                        .findFirst().orElseThrow().value());
            }
            chart.addSeries(method, shared, y);
        }
        return chart;
    }

    /** Gold label down, predicted label across, cell = count (darker = more); the diagonal holds the hits. */
    static HeatMapChart confusionHeatMap(String subject, dev.workbench.eval.ConfusionMatrix cm) {
        if (cm.labels().isEmpty()) {
            return null;
        }
        int side = Math.min(HEIGHT + 120, Math.max(HEIGHT, 90 * cm.labels().size()));
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(WIDTH, side)).height(side)
                .title("Confusion matrix: " + subject).xAxisTitle("predicted").yAxisTitle("gold").build();
        heatStyle(chart);
        chart.getStyler().setMin(0);
        List<Number[]> cells = new ArrayList<>();
        long max = 0;
        // xchart draws row 0 at the bottom; index gold labels from the end so the first label is the top row.
        int n = cm.labels().size();
        List<String> gold = new ArrayList<>(cm.labels());
        java.util.Collections.reverse(gold);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                long count = cm.counts().get(i).get(j);
                max = Math.max(max, count);
                cells.add(new Number[] {j, n - 1 - i, count});
            }
        }
        chart.getStyler().setMax(Math.max(1, max));
        chart.addSeries("count", cm.labels(), gold, cells);
        return chart;
    }

    /**
     * Column pair trends of one synthetic table as a heat map of {@code 1 − score}: for two numeric columns that is
     * {@code |ρ_real − ρ_synthetic| / 2} (the correlation difference), for the other pairs the total variation
     * distance of the contingency tables. 0 = the pair behaves as in the real data; both triangles are drawn.
     */
    static HeatMapChart pairTrendHeatMap(String method, List<dev.workbench.eval.SyntheticEvaluation.PairScore> pairs) {
        if (pairs.isEmpty()) {
            return null;
        }
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        pairs.forEach(p -> {
            names.add(p.columnA());
            names.add(p.columnB());
        });
        List<String> columns = new ArrayList<>(names);
        List<String> reversed = new ArrayList<>(columns);
        java.util.Collections.reverse(reversed);
        int n = columns.size();
        List<Number[]> cells = new ArrayList<>();
        for (var p : pairs) {
            int a = columns.indexOf(p.columnA());
            int b = columns.indexOf(p.columnB());
            double difference = Math.max(0, 1 - p.score());
            cells.add(new Number[] {a, n - 1 - b, difference});
            cells.add(new Number[] {b, n - 1 - a, difference});
        }
        int side = Math.min(720, Math.max(HEIGHT, 70 * n));
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(WIDTH, side)).height(side)
                .title("Pair trends (" + method + "): 1 - score, 0 = as real").build();
        heatStyle(chart);
        chart.getStyler().setMin(0);
        // a round upper end keeps the legend readable (0.6, not 0.6000000000000001)
        chart.getStyler().setMax(Math.max(0.05, Math.ceil(100 * cells.stream().mapToDouble(c -> c[2].doubleValue())
                .max().orElse(0)) / 100));
        chart.getStyler().setXAxisLabelRotation(n > 5 ? 45 : 0);
        chart.addSeries("1 - score", columns, reversed, cells);
        return chart;
    }

    private static void heatStyle(HeatMapChart chart) {
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setShowValue(true);
        // every category label, not xchart's spaced-out subset
        chart.getStyler().setXAxisTickMarkSpacingHint(8);
        chart.getStyler().setYAxisTickMarkSpacingHint(8);
        chart.getStyler().setHeatMapValueDecimalPattern("#.###");
        chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(0xF7, 0xFB, 0xFF),
                new java.awt.Color(0x9E, 0xCA, 0xE1), new java.awt.Color(0x42, 0x92, 0xC6)}); // black text stays legible
    }

    static CategoryChart distribution(ColumnDistribution d) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Column " + d.column() + ": real test split vs synthetic").yAxisTitle("share of rows").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(d.bins().size() > 6 ? 45 : 0);
        chart.addSeries("real", d.bins(), d.real());
        d.synthetic().forEach((method, shares) -> chart.addSeries(method, d.bins(), shares));
        return chart;
    }
}
