package dev.workbench.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Numeric or categorical, by a deliberately simple rule so evaluation does not depend on the synthesizer's profiler:
 * a column is numeric when every non-empty cell parses as a finite number and it has more than two distinct values;
 * anything else (text, booleans, 0/1 flags) is categorical. A recipe's {@code column_types} override wins
 * (continuous/integer → numeric; categorical/boolean → categorical; datetime → categorical by its string form).
 */
public enum ColumnKind {
    NUMERIC, CATEGORICAL;

    public static List<ColumnKind> infer(List<String> columns, List<List<String>> rows, Map<String, String> overrides) {
        List<ColumnKind> kinds = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            String override = overrides.get(columns.get(c));
            if (override != null) {
                String o = override.toLowerCase(Locale.ROOT);
                kinds.add(o.equals("continuous") || o.equals("integer") || o.equals("numeric") ? NUMERIC : CATEGORICAL);
                continue;
            }
            kinds.add(inferOne(rows, c));
        }
        return kinds;
    }

    static ColumnKind inferOne(List<List<String>> rows, int column) {
        Set<String> distinct = new HashSet<>();
        for (List<String> row : rows) {
            String cell = cell(row, column);
            if (cell.isEmpty()) {
                continue;
            }
            if (Double.isNaN(parse(cell))) {
                return CATEGORICAL;
            }
            distinct.add(cell);
        }
        return distinct.size() > 2 ? NUMERIC : CATEGORICAL;
    }

    static String cell(List<String> row, int column) {
        return column < row.size() && row.get(column) != null ? row.get(column).trim() : "";
    }

    /** The number in a cell, or NaN when empty or not a finite number. */
    public static double parse(String cell) {
        if (cell == null || cell.isBlank()) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(cell.trim());
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
