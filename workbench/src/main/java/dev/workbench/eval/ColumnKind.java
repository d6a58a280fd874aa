package dev.workbench.eval;

import dev.workbench.data.ColumnType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Numeric or categorical: how the evaluator scores a column. It is the projection of the one column-type decision
 * ({@link ColumnType#infer}, the rule the synthesizer's profiler takes, on the same rows, with the same overrides):
 * continuous, integer and datetime → numeric (KSComplement, correlation; datetimes as epoch seconds); categorical and
 * boolean → categorical (TVComplement, contingency). So small whole-number codes (EDUCATION 0-6) are categorical on
 * both sides. A recipe's {@code column_types} (or SDV metadata) override wins; "numeric" is accepted as continuous.
 */
public enum ColumnKind {
    NUMERIC, CATEGORICAL;

    public static ColumnKind of(ColumnType type) {
        return type.numeric() ? NUMERIC : CATEGORICAL;
    }

    public String label() {
        return this == NUMERIC ? "numeric" : "categorical";
    }

    /** The column types of every column: overrides, else {@link ColumnType#infer} on {@code rows}. */
    public static List<ColumnType> types(List<String> columns, List<List<String>> rows, Map<String, String> overrides) {
        List<ColumnType> types = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            String override = overrides.get(columns.get(c));
            if (override != null) {
                String o = override.trim().toLowerCase(Locale.ROOT);
                types.add(o.equals("numeric") ? ColumnType.CONTINUOUS : ColumnType.parse(o));
                continue;
            }
            List<String> cells = new ArrayList<>(rows.size());
            for (List<String> row : rows) {
                cells.add(cell(row, c));
            }
            types.add(ColumnType.infer(cells));
        }
        return types;
    }

    public static List<ColumnKind> infer(List<String> columns, List<List<String>> rows, Map<String, String> overrides) {
        return types(columns, rows, overrides).stream().map(ColumnKind::of).toList();
    }

    static String cell(List<String> row, int column) {
        return column < row.size() && row.get(column) != null ? row.get(column).trim() : "";
    }

    /**
     * The number in a cell, or NaN when empty or not a finite number; an ISO date or date-time (a datetime column)
     * reads as epoch seconds (UTC), as the profiler reads it.
     */
    public static double parse(String cell) {
        if (cell == null || cell.isBlank()) {
            return Double.NaN;
        }
        String s = cell.trim();
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            java.time.LocalDateTime dateTime = ColumnType.parseDateTime(s);
            if (dateTime != null) {
                return dateTime.toEpochSecond(java.time.ZoneOffset.UTC);
            }
            java.time.LocalDate date = ColumnType.parseDate(s);
            return date == null ? Double.NaN : date.toEpochDay() * 86400.0;
        }
    }
}
