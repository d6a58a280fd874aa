package dev.workbench.report;

import dev.workbench.data.ConfusionMatrix;
import dev.workbench.eval.ColumnDistribution;
import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.store.Metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report's charts as inline SVG ({@link Svg}): loss curves, bits per byte and accuracy with interval bars,
 * confusion-matrix heat maps (up to {@link #HEAT_MAP_CLASSES} classes; beyond that the report shows the most frequent
 * confusions as a table), synthetic scores, pair-trend (correlation-difference) heat maps, real-vs-synthetic
 * distributions of every column and label counts. Keys are file names under {@code charts/}. Every subject keeps one
 * colour across the page ({@link #colours}).
 */
final class Charts {
    /** Above this many classes a confusion heat map stops being readable on a page: a table replaces it. */
    static final int HEAT_MAP_CLASSES = 12;
    /** Label-count charts show the largest classes, the rest summed as "others". */
    static final int TOP_LABELS = 30;
    /** Scores shown in the synthetic-data chart, in this order. */
    static final List<String> SYNTHETIC_SCORES = Metric.keys(Metric.KS_COMPLEMENT, Metric.TV_COMPLEMENT,
            Metric.CORRELATION_SIMILARITY, Metric.CONTINGENCY_SIMILARITY, Metric.DETECTION_SCORE,
            Metric.DCR_OVERFITTING_PROTECTION);

    private Charts() {
    }

    /** Rendered charts (name → SVG document) and, for each chart that could not be drawn, why. */
    record Rendered(Map<String, String> charts, List<String> problems) {
    }

    /**
     * Subject → colour for the whole page: the real data first, then the synthesizers, then the classifier and
     * language-model subjects, so e.g. ctgan is the same colour on the score chart and on every distribution.
     */
    static Map<String, String> colours(Report r) {
        List<String> subjects = new ArrayList<>(List.of("real"));
        if (r.synthetic() != null) {
            subjects.addAll(r.synthetic().methods());
            r.synthetic().values().forEach(v -> subjects.add(v.subject()));
        }
        if (r.classifier() != null) {
            r.classifier().values().forEach(v -> subjects.add(v.subject()));
        }
        if (r.languageModel() != null) {
            r.languageModel().values().forEach(v -> subjects.add(v.subject()));
        }
        return Svg.colours(subjects);
    }

    static Rendered render(Report r) {
        Map<String, String> colours = colours(r);
        Map<String, String> charts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<Report.Curve> curves = new ArrayList<>();
        if (r.languageModel() != null) {
            curves.addAll(r.languageModel().curves());
            put(charts, "bits_per_byte.svg", () -> bars("Bits per byte on the test split (lower is better)",
                    r.languageModel().values(), Set.of(Metric.BITS_PER_BYTE.key()), colours), problems);
        }
        if (r.classifier() != null) {
            curves.addAll(r.classifier().curves());
            put(charts, "accuracy.svg", () -> bars("Test accuracy vs baselines (higher is better)",
                    r.classifier().values(), Set.of(Metric.ACCURACY.key()), colours), problems);
        }
        for (Report.Curve c : curves) {
            put(charts, "loss_" + c.task() + ".svg", () -> lossCurve(c), problems);
        }
        if (r.classifier() != null && r.classifier().confusion() != null) {
            r.classifier().confusion().forEach((subject, cm) -> put(charts, "confusion_" + safe(subject) + ".svg",
                    () -> confusionHeatMap(subject, cm), problems));
        }
        if (r.data() != null) {
            r.data().classCounts().forEach((corpus, counts) -> put(charts, "counts_" + safe(corpus) + ".svg",
                    () -> classCounts(corpus, counts, colours.get("real")), problems));
        }
        if (r.synthetic() != null) {
            put(charts, "synthetic_scores.svg", () -> syntheticScores(r.synthetic(), colours), problems);
            if (r.synthetic().pairs() != null) {
                r.synthetic().pairs().forEach((method, pairs) -> put(charts, "pair_trends_" + safe(method) + ".svg",
                        () -> pairTrendHeatMap(method, pairs), problems));
            }
            for (ColumnDistribution d : r.synthetic().distributions()) {
                put(charts, "distribution_" + safe(d.column()) + ".svg", () -> distribution(d, colours), problems);
            }
        }
        return new Rendered(charts, problems);
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** Draws one chart; one that fails leaves the report without it, and the report says why. */
    private static void put(Map<String, String> charts, String name, java.util.function.Supplier<String> make,
                            List<String> problems) {
        try {
            String chart = make.get();
            if (chart != null) {
                charts.put(name, chart);
            }
        } catch (RuntimeException e) {
            problems.add(name + ": " + e);
        }
    }

    static String lossCurve(Report.Curve c) {
        if (c.loss().isEmpty()) {
            return null;
        }
        List<Svg.Line> lines = new ArrayList<>();
        lines.add(new Svg.Line("training loss", Svg.PALETTE.get(0), c.step(), c.loss(), false));
        if (!c.valLoss().isEmpty()) {
            lines.add(new Svg.Line("validation loss", Svg.PALETTE.get(1), c.valStep(), c.valLoss(), true));
        }
        return Svg.lines("Training and validation loss (" + c.task() + ")", lines, "step", "loss");
    }

    /** One bar per subject, in the subject's colour, with the metric's interval as whiskers. */
    static String bars(String title, List<Report.Value> values, Set<String> metrics, Map<String, String> colours) {
        List<Report.Value> picked = values.stream().filter(v -> metrics.contains(v.metric())).toList();
        if (picked.isEmpty()) {
            return null;
        }
        List<String> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> low = new ArrayList<>();
        List<Double> high = new ArrayList<>();
        List<String> fill = new ArrayList<>();
        for (Report.Value v : picked) {
            x.add(v.subject());
            y.add(v.value());
            low.add(v.ciLow());
            high.add(v.ciHigh());
            fill.add(colours.getOrDefault(v.subject(), Svg.PALETTE.get(0)));
        }
        return Svg.bars(title, x, List.of(new Svg.Series(String.join(",", metrics), fill.get(0), y, low, high,
                false)), fill, null, null);
    }

    static String syntheticScores(Report.SyntheticSection s, Map<String, String> colours) {
        List<String> shared = SYNTHETIC_SCORES.stream().filter(metric -> s.values().stream()
                .anyMatch(v -> v.metric().equals(metric))).toList();
        // the synthesizers, then any reference (the real holdout) scored on the same scores
        List<String> subjects = new ArrayList<>(s.methods());
        s.values().stream().filter(v -> shared.contains(v.metric())).map(Report.Value::subject)
                .filter(subject -> !subjects.contains(subject)).distinct().toList().forEach(subjects::add);
        if (s.methods().isEmpty() || shared.isEmpty()) {
            return null;
        }
        List<Svg.Series> series = new ArrayList<>();
        for (String subject : subjects) {
            List<Double> y = new ArrayList<>();
            for (String metric : shared) {
                y.add(s.values().stream().filter(v -> v.subject().equals(subject) && v.metric().equals(metric))
                        .map(Report.Value::value).findFirst().orElse(null));
            }
            series.add(Svg.Series.of(subject, colours.get(subject), y));
        }
        return Svg.bars("Synthetic data scores (1 = indistinguishable from real)", shared, series, null, null, 1.0);
    }

    /** Gold label down, predicted label across, cell = count (darker = more); the diagonal holds the hits. */
    static String confusionHeatMap(String subject, ConfusionMatrix cm) {
        int n = cm.labels().size();
        if (n == 0 || n > HEAT_MAP_CLASSES) {
            return null;
        }
        double[][] cells = new double[n][n];
        double max = 1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cells[i][j] = cm.count(i, j);
                max = Math.max(max, cells[i][j]);
            }
        }
        return Svg.heatMap("confusion_" + safe(subject), "Confusion matrix: " + subject, cm.labels(), cm.labels(),
                cells, max, "%.0f", "predicted", "gold");
    }

    /**
     * Column pair trends of one synthetic table as a heat map of {@code 1 − score}: for two numeric columns that is
     * {@code |ρ_real − ρ_synthetic| / 2} (the correlation difference), for the other pairs the total variation
     * distance of the contingency tables. 0 = the pair behaves as in the real data; both triangles are drawn.
     */
    static String pairTrendHeatMap(String method, List<SyntheticEvaluation.PairScore> pairs) {
        if (pairs.isEmpty()) {
            return null;
        }
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        pairs.forEach(p -> {
            names.add(p.columnA());
            names.add(p.columnB());
        });
        List<String> columns = new ArrayList<>(names);
        int n = columns.size();
        double[][] cells = new double[n][n];
        for (double[] row : cells) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        double max = 0;
        for (var p : pairs) {
            int a = columns.indexOf(p.columnA());
            int b = columns.indexOf(p.columnB());
            double difference = Math.max(0, 1 - p.score());
            cells[a][b] = difference;
            cells[b][a] = difference;
            max = Math.max(max, difference);
        }
        // a round upper end keeps the scale readable (0.6, not 0.6000000000000001)
        double top = Math.max(0.05, Math.ceil(100 * max) / 100);
        return Svg.heatMap("pair_trends_" + safe(method), "Pair trends (" + method + "): 1 - score, 0 = as real",
                columns, columns, cells, top, "%.2f", "", "");
    }

    static String distribution(ColumnDistribution d, Map<String, String> colours) {
        List<Svg.Series> series = new ArrayList<>();
        series.add(Svg.Series.of("real", colours.get("real"), d.real()));
        d.synthetic().forEach((method, shares) -> series.add(Svg.Series.of(method,
                colours.getOrDefault(method, Svg.PALETTE.get(series.size() % Svg.PALETTE.size())), shares)));
        return Svg.bars("Column " + d.column() + ": real test split vs synthetic", d.bins(), series, null,
                "share of rows", null);
    }

    /** Class counts of one corpus (all splits), largest first: the top {@link #TOP_LABELS} and "others". */
    static String classCounts(String corpus, List<Report.ClassCount> counts, String colour) {
        List<Report.ClassCount> shown = topCounts(counts);
        return Svg.countBars("Rows per class: " + corpus + " (" + ReportBuilder.count(counts.size()) + " classes)",
                shown.stream().map(Report.ClassCount::label).toList(),
                shown.stream().map(Report.ClassCount::count).toList(), colour, shown.size() < counts.size());
    }

    /** The {@link #TOP_LABELS} largest classes and, when there are more, one "others (N classes)" row. */
    static List<Report.ClassCount> topCounts(List<Report.ClassCount> counts) {
        if (counts.size() <= TOP_LABELS + 1) {
            return counts;
        }
        List<Report.ClassCount> out = new ArrayList<>(counts.subList(0, TOP_LABELS));
        long rest = counts.subList(TOP_LABELS, counts.size()).stream().mapToLong(Report.ClassCount::count).sum();
        out.add(new Report.ClassCount("others (" + (counts.size() - TOP_LABELS) + " classes)", rest));
        return out;
    }
}
