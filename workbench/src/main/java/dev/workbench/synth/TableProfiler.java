package dev.workbench.synth;

import dev.workbench.data.ColumnType;
import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Types each column by {@link ColumnType#infer} (the rule the evaluator shares) from the raw cell strings of a
 * {@link Table} and measures missing rates and ranges. Recipe overrides win. Unusable columns are refused with a hint
 * ({@code refuseUnusable}).
 */
public final class TableProfiler {
    /** Cell spellings read as missing (besides the empty string); the most frequent one is written back. */
    public static final Set<String> MISSING_TOKENS = ColumnType.MISSING_TOKENS;
    /** Whole-number columns with at most this many distinct values are treated as categorical codes. */
    public static final int MAX_CODE_LEVELS = ColumnType.MAX_CODE_LEVELS;
    /** Tables with fewer rows are too small to tell an identifier column from a column of rare values. */
    public static final int MIN_ROWS_FOR_ID_CHECK = 20;

    private TableProfiler() {
    }

    public static boolean isMissing(String cell) {
        return ColumnType.isMissing(cell);
    }

    /** Profiles with no overrides and nothing dropped. */
    public static TableProfile profile(Table table) {
        return profile(table, Map.of(), List.of());
    }

    /**
     * @param columnTypes recipe corpus.table.column_types (column → type name)
     * @param drop recipe corpus.table.drop
     */
    public static TableProfile profile(Table table, Map<String, String> columnTypes, List<String> drop) {
        for (String name : columnTypes.keySet()) {
            if (!table.columns().contains(name)) {
                throw WorkbenchException.invalid("corpus.table.column_types names column '" + name
                        + "', which the table does not have (columns: " + table.columns() + ")");
            }
        }
        for (String name : drop) {
            if (!table.columns().contains(name)) {
                throw WorkbenchException.invalid("corpus.table.drop names column '" + name
                        + "', which the table does not have (columns: " + table.columns() + ")");
            }
        }
        List<ColumnProfile> columns = new ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            String name = table.columns().get(c);
            if (drop.contains(name)) {
                continue;
            }
            List<String> cells = new ArrayList<>(table.rows().size());
            for (List<String> row : table.rows()) {
                cells.add(c < row.size() ? row.get(c) : "");
            }
            ColumnType override = null;
            if (columnTypes.containsKey(name)) {
                try {
                    override = ColumnType.parse(columnTypes.get(name));
                } catch (IllegalArgumentException e) {
                    throw WorkbenchException.invalid("corpus.table.column_types." + name + ": " + e.getMessage());
                }
            }
            columns.add(profileColumn(name, cells, override));
        }
        return new TableProfile(List.copyOf(columns), List.copyOf(drop), table.rows().size());
    }

    static ColumnProfile profileColumn(String name, List<String> cells, ColumnType override) {
        Map<String, Integer> missingSpellings = new HashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> present = new ArrayList<>();
        for (String cell : cells) {
            if (isMissing(cell)) {
                missingSpellings.merge(cell == null ? "" : cell, 1, Integer::sum);
            } else {
                present.add(cell);
                counts.merge(cell, 1, Integer::sum);
            }
        }
        double missingRate = cells.isEmpty() ? 0 : (double) (cells.size() - present.size()) / cells.size();
        String missingToken = missingSpellings.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElse("");
        ColumnType type = override != null ? override : ColumnType.infer(present, counts.size());
        refuseUnusable(name, cells.size(), present.size(), counts, override, type);
        List<String> categories = List.of();
        double min = Double.NaN;
        double max = Double.NaN;
        int decimals = 0;
        String datetimeFormat = null;
        switch (type) {
            case CATEGORICAL, BOOLEAN -> categories = counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey).toList();
            case CONTINUOUS, INTEGER -> {
                min = Double.POSITIVE_INFINITY;
                max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < present.size(); i++) {
                    String cell = present.get(i);
                    double value = parseNumber(cell);
                    if (Double.isNaN(value)) {
                        throw WorkbenchException.invalid("column '" + name + "' is declared " + type.yamlName()
                                + " but holds '" + cell + "', which is not a number");
                    }
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                    decimals = Math.max(decimals, decimalsOf(cell.trim()));
                }
                decimals = Math.min(decimals, 8);
            }
            case DATETIME -> {
                min = Double.POSITIVE_INFINITY;
                max = Double.NEGATIVE_INFINITY;
                datetimeFormat = "date";
                for (String cell : present) {
                    if (parseDate(cell.trim()) == null) {
                        datetimeFormat = "datetime";
                    }
                }
                for (String cell : present) {
                    double seconds = parseDatetime(cell, datetimeFormat);
                    if (Double.isNaN(seconds)) {
                        throw WorkbenchException.invalid("column '" + name + "' is declared datetime but holds '"
                                + cell + "', which is neither an ISO date nor an ISO date-time");
                    }
                    min = Math.min(min, seconds);
                    max = Math.max(max, seconds);
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
        if (type.numeric() && present.isEmpty()) {
            min = 0;
            max = 0;
        }
        return new ColumnProfile(name, type, missingRate, missingToken, min, max, decimals, categories, datetimeFormat,
                override != null);
    }

    /**
     * Columns no synthesizer can learn, refused with what to do: empty in every row; declared continuous with a single
     * distinct value (no spread for the mixture to model); an identifier (strings, every row present and different,
     * at least {@link #MIN_ROWS_FOR_ID_CHECK} rows; synthetic rows would either copy real IDs or invent nonsense).
     */
    private static void refuseUnusable(String name, int rows, int presentCells, Map<String, Integer> counts,
                                       ColumnType override, ColumnType type) {
        String drop = "add it to corpus.table.drop";
        if (rows > 0 && presentCells == 0) {
            throw WorkbenchException.invalid("corpus.table: column '" + name + "' is empty in all " + rows
                    + " rows, so there is nothing to learn from it; " + drop);
        }
        if (override == ColumnType.CONTINUOUS && counts.size() == 1) {
            throw WorkbenchException.invalid("corpus.table: column '" + name + "' is declared continuous "
                    + "(corpus.table.column_types) but holds a single value ('" + counts.keySet().iterator().next()
                    + "'), which has no spread to model; " + drop + " or declare it categorical");
        }
        if (override == null && type == ColumnType.CATEGORICAL && rows >= MIN_ROWS_FOR_ID_CHECK
                && presentCells == rows && counts.size() == rows) {
            throw WorkbenchException.invalid("corpus.table: column '" + name + "' looks like an identifier (a "
                    + "different string in every one of its " + rows + " rows, e.g. '"
                    + counts.keySet().iterator().next() + "'); synthetic rows would copy or invent IDs. " + drop
                    + ", or override its type in corpus.table.column_types if it really is a category");
        }
    }

    /** The number in a cell, or NaN when it is not one (NaN/Infinity spellings are not numbers here). */
    public static double parseNumber(String cell) {
        return ColumnType.parseNumber(cell);
    }

    private static int decimalsOf(String number) {
        try {
            return Math.max(0, new BigDecimal(number).scale());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static LocalDate parseDate(String s) {
        return ColumnType.parseDate(s);
    }

    private static LocalDateTime parseDateTime(String s) {
        return ColumnType.parseDateTime(s);
    }

    private static double parseDatetime(String cell, String format) {
        String s = cell.trim();
        if ("date".equals(format)) {
            LocalDate date = parseDate(s);
            return date == null ? Double.NaN : date.toEpochDay() * 86400.0;
        }
        LocalDateTime dateTime = parseDateTime(s);
        if (dateTime == null) {
            LocalDate date = parseDate(s);
            return date == null ? Double.NaN : date.toEpochDay() * 86400.0;
        }
        return dateTime.toEpochSecond(ZoneOffset.UTC);
    }

    /** A numeric column's cell as a double (datetimes as epoch seconds); NaN when missing. */
    public static double numericValue(ColumnProfile column, String cell) {
        if (isMissing(cell)) {
            return Double.NaN;
        }
        double value = column.type() == ColumnType.DATETIME ? parseDatetime(cell, column.datetimeFormat())
                : parseNumber(cell);
        if (Double.isNaN(value)) {
            throw WorkbenchException.invalid("column '" + column.name() + "' (" + column.type().yamlName()
                    + ") holds '" + cell + "', which cannot be read as one");
        }
        return value;
    }

    /**
     * Writes a generated number back in the column's spelling: clipped to the seen range when {@code clip}, rounded
     * for integers, with the seen number of decimals, datetimes in their ISO form.
     */
    public static String format(ColumnProfile column, double value, boolean clip) {
        if (Double.isNaN(value)) {
            return column.missingToken();
        }
        double v = clip ? Math.max(column.min(), Math.min(column.max(), value)) : value;
        return switch (column.type()) {
            case INTEGER -> {
                long whole = Math.round(v);
                yield column.decimals() == 0 ? Long.toString(whole)
                        : BigDecimal.valueOf(whole).setScale(column.decimals()).toPlainString();
            }
            case CONTINUOUS -> BigDecimal.valueOf(v).setScale(column.decimals(), RoundingMode.HALF_EVEN)
                    .toPlainString();
            case DATETIME -> {
                long seconds = Math.round(v);
                if ("date".equals(column.datetimeFormat())) {
                    yield LocalDate.ofEpochDay(Math.floorDiv(seconds + 43200, 86400)).toString();
                }
                yield LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC).toString();
            }
            default -> throw new IllegalArgumentException("column '" + column.name() + "' is not numeric");
        };
    }
}
