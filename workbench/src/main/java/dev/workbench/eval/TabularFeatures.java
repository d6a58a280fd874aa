package dev.workbench.eval;

import dev.workbench.data.ColumnType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Table rows to model features, fitted on one table: numeric columns standardised with that table's mean and standard
 * deviation (missing → the mean, i.e. 0), categorical columns one-hot ({@code col=value}; a value not seen in fitting
 * gets no feature). The excluded column (the target) is left out. These are the Tribuo features of the evaluator's
 * table models (detection, TSTR/TRTR, augmentation); the synthesizers' own encoding is synth's {@code TableEncoder}.
 */
public final class TabularFeatures {
    private final List<ColumnType> types;
    private final int excluded;
    private final double[] mean;
    private final double[] scale;

    private TabularFeatures(List<ColumnType> types, int excluded, double[] mean, double[] scale) {
        this.types = types;
        this.excluded = excluded;
        this.mean = mean;
        this.scale = scale;
    }

    /** @param excluded column index to leave out, or −1 */
    public static TabularFeatures fit(List<List<String>> rows, List<ColumnType> types, int excluded) {
        double[] mean = new double[types.size()];
        double[] scale = new double[types.size()];
        for (int c = 0; c < types.size(); c++) {
            if (!types.get(c).numeric()) {
                continue;
            }
            double sum = 0;
            double sumSq = 0;
            int n = 0;
            for (List<String> row : rows) {
                double v = TableCells.number(TableCells.cell(row, c));
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
        return new TabularFeatures(types, excluded, mean, scale);
    }

    public Map<String, Double> features(List<String> row) {
        Map<String, Double> features = new TreeMap<>();
        for (int c = 0; c < types.size(); c++) {
            if (c == excluded) {
                continue;
            }
            String cell = TableCells.cell(row, c);
            if (types.get(c).numeric()) {
                double v = TableCells.number(cell);
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
            String label = fixedLabel != null ? fixedLabel : TableCells.cell(row, labelColumn);
            items.add(new TribuoModels.Item(features(row), label.isEmpty() ? "<missing>" : label));
        }
        return items;
    }
}
