package dev.workbench.eval;

import dev.workbench.data.ColumnType;

import java.util.List;

/** How the evaluator reads a table cell: trimmed text, and in numeric columns a number (datetimes as epoch seconds). */
final class TableCells {
    private TableCells() {
    }

    /** The trimmed cell, or "" when the row is short or the cell is null. */
    static String cell(List<String> row, int column) {
        return column < row.size() && row.get(column) != null ? row.get(column).trim() : "";
    }

    /**
     * The number in a cell, or NaN when empty or not a finite number; an ISO date or date-time (a datetime column)
     * reads as epoch seconds (UTC), as the profiler reads it.
     */
    static double number(String cell) {
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
