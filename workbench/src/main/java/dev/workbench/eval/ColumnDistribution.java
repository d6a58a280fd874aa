package dev.workbench.eval;

import dev.workbench.data.ColumnType;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Real vs synthetic shares of one column, for the report's distribution charts: numeric columns in 10 equal-width bins
 * over the real column's range (synthetic values outside it land in the outer bins), categorical columns by their
 * most frequent real values (the rest pooled as "other").
 *
 * @param bins bin labels (ranges or categories)
 * @param real share of real rows per bin
 * @param synthetic method → share of its rows per bin
 */
public record ColumnDistribution(@JsonProperty("column") String column, @JsonProperty("kind") String kind,
                                 @JsonProperty("bins") List<String> bins, @JsonProperty("real") List<Double> real,
                                 @JsonProperty("synthetic") Map<String, List<Double>> synthetic) {
    static final int NUMERIC_BINS = 10;
    static final int TOP_CATEGORIES = 8;
    static final String OTHER = "other";

    public static ColumnDistribution of(String column, ColumnType type, int c, List<List<String>> real,
                                        Map<String, List<List<String>>> synthetic) {
        if (type.numeric()) {
            double[] r = SyntheticEvaluation.numbers(real, c);
            double min = java.util.Arrays.stream(r).filter(v -> !Double.isNaN(v)).min().orElse(0);
            double max = java.util.Arrays.stream(r).filter(v -> !Double.isNaN(v)).max().orElse(1);
            if (max == min) {
                max = min + 1;
            }
            List<String> labels = new ArrayList<>();
            double width = (max - min) / NUMERIC_BINS;
            for (int b = 0; b < NUMERIC_BINS; b++) {
                labels.add(String.format(java.util.Locale.ROOT, "%.4g", min + b * width));
            }
            Map<String, List<Double>> syn = new TreeMap<>();
            for (Map.Entry<String, List<List<String>>> e : synthetic.entrySet()) {
                syn.put(e.getKey(), histogram(SyntheticEvaluation.numbers(e.getValue(), c), min, width));
            }
            return new ColumnDistribution(column, type.evaluationKind(), labels, histogram(r, min, width), syn);
        }
        List<String> cells = SyntheticEvaluation.cells(real, c);
        Map<String, Long> counts = new LinkedHashMap<>();
        cells.stream().filter(v -> !v.isEmpty()).forEach(v -> counts.merge(v, 1L, Long::sum));
        List<String> top = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_CATEGORIES).map(Map.Entry::getKey).toList();
        List<String> labels = new ArrayList<>(top);
        boolean pooled = counts.size() > top.size();
        if (pooled) {
            labels.add(OTHER);
        }
        Map<String, List<Double>> syn = new TreeMap<>();
        for (Map.Entry<String, List<List<String>>> e : synthetic.entrySet()) {
            syn.put(e.getKey(), shares(SyntheticEvaluation.cells(e.getValue(), c), top, pooled));
        }
        return new ColumnDistribution(column, type.evaluationKind(), labels, shares(cells, top, pooled), syn);
    }

    private static List<Double> histogram(double[] values, double min, double width) {
        double[] counts = new double[NUMERIC_BINS];
        long n = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            int b = (int) Math.floor((v - min) / width);
            counts[Math.max(0, Math.min(NUMERIC_BINS - 1, b))]++;
            n++;
        }
        List<Double> out = new ArrayList<>();
        for (double count : counts) {
            out.add(n == 0 ? 0 : count / n);
        }
        return out;
    }

    private static List<Double> shares(List<String> cells, List<String> top, boolean pooled) {
        double[] counts = new double[top.size() + (pooled ? 1 : 0)];
        long n = 0;
        for (String v : cells) {
            if (v.isEmpty()) {
                continue;
            }
            int i = top.indexOf(v);
            if (i >= 0) {
                counts[i]++;
            } else if (pooled) {
                counts[top.size()]++;
            }
            n++;
        }
        List<Double> out = new ArrayList<>();
        for (double count : counts) {
            out.add(n == 0 ? 0 : count / n);
        }
        return out;
    }

    /** Distributions of the first {@code maxColumns} columns. */
    public static List<ColumnDistribution> forColumns(List<String> columns, List<ColumnType> types,
                                                      List<List<String>> real,
                                                      Map<String, List<List<String>>> synthetic, int maxColumns) {
        List<ColumnDistribution> out = new ArrayList<>();
        for (int c = 0; c < Math.min(maxColumns, columns.size()); c++) {
            out.add(of(columns.get(c), types.get(c), c, real, synthetic));
        }
        out.sort(Comparator.comparing(ColumnDistribution::column));
        return out;
    }
}
