package dev.workbench.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SDMetrics (v0.29) column and pair scores, re-implemented from their definitions; every score is in [0, 1], higher =
 * closer to the real data. Numeric inputs use NaN for missing cells, categorical inputs the empty string.
 */
public final class SyntheticMetrics {
    /** Marker for a missing categorical cell when missing values are kept as their own category. */
    static final String MISSING = "\u0000missing";
    /** SDMetrics cuts a numeric column into 10 equal-width bins before pairing it with a categorical one. */
    public static final int PAIR_BINS = 10;

    private SyntheticMetrics() {
    }

    /** Two-sample Kolmogorov–Smirnov statistic {@code sup_x |F_real(x) − F_syn(x)|}, NaN dropped. */
    public static double ksStatistic(double[] real, double[] synthetic) {
        double[] a = Arrays.stream(real).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double[] b = Arrays.stream(synthetic).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (a.length == 0 || b.length == 0) {
            return Double.NaN;
        }
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < a.length && j < b.length) {
            double x = Math.min(a[i], b[j]);
            while (i < a.length && a[i] <= x) {
                i++;
            }
            while (j < b.length && b[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
        }
        return d;
    }

    /** KSComplement = {@code 1 − D}. */
    public static double ksComplement(double[] real, double[] synthetic) {
        return 1 - ksStatistic(real, synthetic);
    }

    /**
     * TVComplement = {@code 1 − ½ Σ_v |f_syn(v) − f_real(v)|} over the values present in the real column; missing cells
     * dropped. Values only the synthetic column has are ignored, as in SDMetrics.
     */
    public static double tvComplement(List<String> real, List<String> synthetic) {
        Map<String, Double> fr = frequencies(real, false);
        Map<String, Double> fs = frequencies(synthetic, false);
        if (fr.isEmpty() || fs.isEmpty()) {
            return Double.NaN;
        }
        double total = 0;
        for (Map.Entry<String, Double> e : fr.entrySet()) {
            total += Math.abs(fs.getOrDefault(e.getKey(), 0.0) - e.getValue());
        }
        return 1 - total / 2;
    }

    /** Pearson correlation over the rows where both values are present; NaN when a column is constant. */
    public static double pearson(double[] x, double[] y) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                sx += x[i];
                sy += y[i];
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                sxy += (x[i] - mx) * (y[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
                syy += (y[i] - my) * (y[i] - my);
            }
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** CorrelationSimilarity = {@code 1 − |ρ_real − ρ_syn| / 2}; NaN (excluded) when either correlation is undefined. */
    public static double correlationSimilarity(double[] realX, double[] realY, double[] synX, double[] synY) {
        return 1 - Math.abs(pearson(realX, realY) - pearson(synX, synY)) / 2;
    }

    /**
     * ContingencySimilarity = {@code 1 − ½ Σ_(a,b) |P_real(a,b) − P_syn(a,b)|}, missing kept as its own category.
     */
    public static double contingencySimilarity(List<String> realA, List<String> realB, List<String> synA,
                                               List<String> synB) {
        Map<String, Double> pr = frequencies(pairs(realA, realB), true);
        Map<String, Double> ps = frequencies(pairs(synA, synB), true);
        if (pr.isEmpty() || ps.isEmpty()) {
            return Double.NaN;
        }
        Set<String> keys = new HashSet<>(pr.keySet());
        keys.addAll(ps.keySet());
        double total = 0;
        for (String k : keys) {
            total += Math.abs(pr.getOrDefault(k, 0.0) - ps.getOrDefault(k, 0.0));
        }
        return 1 - total / 2;
    }

    /**
     * Cramér's V of two categorical columns (missing as a category): {@code sqrt(χ² / (n · (min(r, k) − 1)))}, no
     * bias correction; NaN when a column has a single category.
     */
    public static double cramersV(List<String> a, List<String> b) {
        Map<String, Integer> ia = index(a);
        Map<String, Integer> ib = index(b);
        if (ia.size() < 2 || ib.size() < 2) {
            return Double.NaN;
        }
        double[][] observed = new double[ia.size()][ib.size()];
        for (int i = 0; i < a.size(); i++) {
            observed[ia.get(key(a.get(i)))][ib.get(key(b.get(i)))]++;
        }
        int n = a.size();
        double[] rows = new double[ia.size()];
        double[] cols = new double[ib.size()];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < cols.length; c++) {
                rows[r] += observed[r][c];
                cols[c] += observed[r][c];
            }
        }
        double chi2 = 0;
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < cols.length; c++) {
                double expected = rows[r] * cols[c] / n;
                chi2 += (observed[r][c] - expected) * (observed[r][c] - expected) / expected;
            }
        }
        return Math.sqrt(chi2 / (n * (Math.min(rows.length, cols.length) - 1.0)));
    }

    /**
     * How a numeric column becomes categories before it is paired with a categorical one. Both use numpy's
     * {@code histogram_bin_edges} (10 equal-width bins over [min, max]; a zero range widened to [v − 0.5, v + 0.5])
     * and {@code digitize} (bin i holds edges[i−1] ≤ x &lt; edges[i]; a missing cell gets bin {@code edges.length}).
     */
    public enum PairBinning {
        /**
         * Edges from the real column only, outer edges opened to ±inf, real and synthetic cut by the same edges: SDMetrics'
         * {@code ContingencySimilarity(continuous_column_names=...)} ({@code utils.discretize_column}), and what SDMetrics'
         * maintainers specify for the report (sdv-dev/SDMetrics#368). A synthetic column shifted off the real range lands
         * in the outer bins, so it scores low.
         */
        REAL_EDGES,
        /**
         * Each table cut by the edges of its own column, outer edges kept: what SDMetrics 0.29's QualityReport computes
         * ({@code ColumnPairTrends._get_processed_data} bins real and synthetic separately). A column's maximum then falls
         * in an 11th bin of its own, the one missing cells get too. Kept to reproduce SDMetrics' report figures exactly.
         */
        OWN_EDGES;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static PairBinning parse(String name) {
            for (PairBinning b : values()) {
                if (b.label().equals(name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_'))) {
                    return b;
                }
            }
            throw new IllegalArgumentException("unknown pair binning '" + name + "' (expected real_edges or own_edges)");
        }
    }

    /** numpy {@code histogram_bin_edges(values[~isnan], bins)}: {@code bins + 1} equal-width edges over [min, max]. */
    public static double[] histogramEdges(double[] values, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) { // no value: numpy's default range
            min = 0;
            max = 1;
        } else if (min == max) {
            min -= 0.5;
            max += 0.5;
        }
        double[] edges = new double[bins + 1];
        double step = (max - min) / bins; // numpy linspace: start + i * step, the last edge exactly the stop
        for (int i = 0; i < bins; i++) {
            edges[i] = min + i * step;
        }
        edges[bins] = max;
        return edges;
    }

    /** The same edges with the outer two opened to ±inf (SDMetrics' {@code discretize_column}). */
    public static double[] openOuterEdges(double[] edges) {
        double[] open = edges.clone();
        open[0] = Double.NEGATIVE_INFINITY;
        open[open.length - 1] = Double.POSITIVE_INFINITY;
        return open;
    }

    /**
     * numpy {@code digitize(values, edges)} as category labels: the number of edges ≤ x ("0" below the first edge,
     * {@code edges.length} at or above the last); a missing value sorts last, so it gets {@code edges.length} too.
     */
    public static List<String> digitize(double[] values, double[] edges) {
        List<String> out = new ArrayList<>(values.length);
        for (double v : values) {
            if (Double.isNaN(v)) {
                out.add(Integer.toString(edges.length));
                continue;
            }
            int lo = 0;
            int hi = edges.length; // first index whose edge is > v
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (edges[mid] <= v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            out.add(Integer.toString(lo));
        }
        return out;
    }

    /** A numeric column of the real and the synthetic table as pair-trend categories, {real, synthetic}. */
    public static List<List<String>> binPair(double[] real, double[] synthetic, PairBinning binning) {
        double[] realEdges = histogramEdges(real, PAIR_BINS);
        if (binning == PairBinning.REAL_EDGES) {
            double[] shared = openOuterEdges(realEdges);
            return List.of(digitize(real, shared), digitize(synthetic, shared));
        }
        return List.of(digitize(real, realEdges), digitize(synthetic, histogramEdges(synthetic, PAIR_BINS)));
    }

    private static List<String> pairs(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("paired columns differ in length");
        }
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(key(a.get(i)) + "\u0001" + key(b.get(i)));
        }
        return out;
    }

    private static String key(String cell) {
        return cell == null || cell.isEmpty() ? MISSING : cell;
    }

    private static Map<String, Integer> index(List<String> values) {
        Map<String, Integer> index = new HashMap<>();
        for (String v : values) {
            index.putIfAbsent(key(v), index.size());
        }
        return index;
    }

    private static Map<String, Double> frequencies(List<String> values, boolean keepMissing) {
        Map<String, Double> counts = new HashMap<>();
        long n = 0;
        for (String v : values) {
            if (!keepMissing && (v == null || v.isEmpty())) {
                continue;
            }
            counts.merge(keepMissing ? key(v) : v, 1.0, Double::sum);
            n++;
        }
        final long total = n;
        counts.replaceAll((k, c) -> c / total);
        return counts;
    }
}
