package dev.workbench.eval;

import dev.workbench.data.ColumnType;

import java.util.Arrays;
import java.util.List;

/**
 * Distance to the closest record, SDMetrics style (dcr_utils.py): per column, numeric distance
 * {@code min(|a − b| / range_real, 1)} (range 0 → 0 if equal else 1), categorical 0/1, missing vs value 1, missing vs
 * missing 0; row distance = mean over columns; DCR = minimum over the reference rows.
 */
public final class Privacy {
    private Privacy() {
    }

    /** Per-column ranges (max − min) of the numeric columns of {@code reference}; 0 for categorical ones. */
    public static double[] ranges(List<List<String>> reference, List<ColumnType> types) {
        double[] ranges = new double[types.size()];
        for (int c = 0; c < types.size(); c++) {
            if (!types.get(c).numeric()) {
                continue;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (List<String> row : reference) {
                double v = TableCells.number(TableCells.cell(row, c));
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            ranges[c] = max > min ? max - min : 0;
        }
        return ranges;
    }

    public static double rowDistance(List<String> a, List<String> b, List<ColumnType> types, double[] ranges) {
        double sum = 0;
        for (int c = 0; c < types.size(); c++) {
            String x = TableCells.cell(a, c);
            String y = TableCells.cell(b, c);
            if (x.isEmpty() || y.isEmpty()) {
                sum += x.isEmpty() && y.isEmpty() ? 0 : 1;
            } else if (types.get(c).numeric()) {
                double u = TableCells.number(x);
                double v = TableCells.number(y);
                if (Double.isNaN(u) || Double.isNaN(v)) {
                    sum += x.equals(y) ? 0 : 1;
                } else if (ranges[c] == 0) {
                    sum += u == v ? 0 : 1;
                } else {
                    sum += Math.min(Math.abs(u - v) / ranges[c], 1);
                }
            } else {
                sum += x.equals(y) ? 0 : 1;
            }
        }
        return types.isEmpty() ? 0 : sum / types.size();
    }

    /** DCR of each row of {@code from} to its nearest row of {@code reference}. */
    public static double[] dcr(List<List<String>> from, List<List<String>> reference, List<ColumnType> types,
                               double[] ranges) {
        double[] out = new double[from.size()];
        for (int i = 0; i < from.size(); i++) {
            double best = Double.POSITIVE_INFINITY;
            for (List<String> ref : reference) {
                best = Math.min(best, rowDistance(from.get(i), ref, types, ranges));
                if (best == 0) {
                    break;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Numeric cells closer than this share of the real column's range count as the same value. */
    public static final double NEW_ROW_TOLERANCE = 0.01;

    /**
     * NewRowSynthesis (after SDMetrics): the share of synthetic rows that match no real row, where a match means every
     * categorical cell equal (missing equals missing) and every numeric cell within {@link #NEW_ROW_TOLERANCE} of the
     * real column's range. Stricter than exact copies: a row that only rounds a real one differently is not new.
     */
    public static double newRowShare(List<List<String>> synthetic, List<List<String>> real, List<ColumnType> types,
                                     double[] ranges, double tolerance) {
        if (synthetic.isEmpty()) {
            return Double.NaN;
        }
        long fresh = 0;
        for (List<String> row : synthetic) {
            boolean matched = false;
            for (List<String> ref : real) {
                if (matches(row, ref, types, ranges, tolerance)) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                fresh++;
            }
        }
        return (double) fresh / synthetic.size();
    }

    private static boolean matches(List<String> a, List<String> b, List<ColumnType> types, double[] ranges,
                                   double tolerance) {
        for (int c = 0; c < types.size(); c++) {
            String x = TableCells.cell(a, c);
            String y = TableCells.cell(b, c);
            if (types.get(c).numeric()) {
                double u = TableCells.number(x);
                double v = TableCells.number(y);
                if (Double.isNaN(u) || Double.isNaN(v)) {
                    if (Double.isNaN(u) != Double.isNaN(v)) {
                        return false;
                    }
                } else if (Math.abs(u - v) > tolerance * ranges[c]) {
                    return false;
                }
            } else if (!x.equals(y)) {
                return false;
            }
        }
        return true;
    }

    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return Bootstrap.quantile(sorted, 0.5);
    }

    /**
     * DCROverfittingProtection = {@code min(2 · (1 − p), 1)} with p = share of synthetic rows strictly closer to the
     * training data than to the holdout. 1 means the generator is no closer to what it saw than to fresh real rows.
     */
    public static double overfittingProtection(double[] synToTrain, double[] synToHoldout) {
        if (synToTrain.length == 0) {
            return Double.NaN;
        }
        long closer = 0;
        for (int i = 0; i < synToTrain.length; i++) {
            if (synToTrain[i] < synToHoldout[i]) {
                closer++;
            }
        }
        double p = (double) closer / synToTrain.length;
        return Math.min(2 * (1 - p), 1);
    }
}
