package dev.workbench.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Table rows to model features, fitted on one table: numeric columns standardised with that table's mean and standard
 * deviation (missing → the mean, i.e. 0), categorical columns one-hot ({@code col=value}; a value not seen in fitting
 * gets no feature). The excluded column (the target) is left out.
 */
public final class TableEncoder {
    private final List<ColumnKind> kinds;
    private final int excluded;
    private final double[] mean;
    private final double[] scale;

    private TableEncoder(List<ColumnKind> kinds, int excluded, double[] mean, double[] scale) {
        this.kinds = kinds;
        this.excluded = excluded;
        this.mean = mean;
        this.scale = scale;
    }

    /** @param excluded column index to leave out, or −1 */
    public static TableEncoder fit(List<List<String>> rows, List<ColumnKind> kinds, int excluded) {
        double[] mean = new double[kinds.size()];
        double[] scale = new double[kinds.size()];
        for (int c = 0; c < kinds.size(); c++) {
            if (kinds.get(c) != ColumnKind.NUMERIC) {
                continue;
            }
            double sum = 0;
            double sumSq = 0;
            int n = 0;
            for (List<String> row : rows) {
                double v = ColumnKind.parse(ColumnKind.cell(row, c));
                if (!Double.isNaN(v)) {
                    sum += v;
                    sumSq += v * v;
                    n++;
                }
            }
            mean[c] = n == 0 ? 0 : sum / n;
            double variance = n == 0 ? 0 : Math.max(0, sumSq / n - mean[c] * mean[c]);
            scale[c] = variance > 0 ? Math.sqrt(variance) : 1;
        }
        return new TableEncoder(kinds, excluded, mean, scale);
    }

    public Map<String, Double> features(List<String> row) {
        Map<String, Double> features = new TreeMap<>();
        for (int c = 0; c < kinds.size(); c++) {
            if (c == excluded) {
                continue;
            }
            String cell = ColumnKind.cell(row, c);
            if (kinds.get(c) == ColumnKind.NUMERIC) {
                double v = ColumnKind.parse(cell);
                double z = Double.isNaN(v) ? 0 : (v - mean[c]) / scale[c];
                // Clipped so a wild synthetic value cannot blow up SGD.
                features.put("c" + c, Math.max(-10, Math.min(10, z)));
            } else {
                features.put("c" + c + "=" + (cell.isEmpty() ? "<missing>" : cell), 1.0);
            }
        }
        return features;
    }

    public List<TribuoModels.Item> items(List<List<String>> rows, int labelColumn, String fixedLabel) {
        List<TribuoModels.Item> items = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            String label = fixedLabel != null ? fixedLabel : ColumnKind.cell(row, labelColumn);
            items.add(new TribuoModels.Item(features(row), label.isEmpty() ? "<missing>" : label));
        }
        return items;
    }
}
