package dev.workbench.data;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a table column is modelled and scored: the one column-type decision that the synthesizer's profiler and the
 * evaluator both take (so {@code synthetic/profile.json} and the evaluate stage never disagree). The YAML names
 * (corpus.table.column_types) are the lowercase constant names.
 *
 * <p>Inference ({@link #infer}), over the non-missing cells: two or fewer distinct values all spelled as booleans
 * (true/false, yes/no, t/f, y/n) → boolean; all numbers and all whole → integer, unless there are at most
 * {@link #MAX_CODE_LEVELS} distinct values, which makes them codes (sex 0/1, a 0-4 severity, EDUCATION 0-6) →
 * categorical; all numbers → continuous (a single distinct number → categorical); all ISO dates or date-times →
 * datetime; anything else → categorical.
 */
public enum ColumnType {
    CONTINUOUS, INTEGER, CATEGORICAL, BOOLEAN, DATETIME;

    /** Cell spellings read as missing (besides the empty string). */
    public static final Set<String> MISSING_TOKENS = Set.of("", "?", "NA", "N/A", "NaN", "nan", "null", "NULL");
    /** Whole-number columns with at most this many distinct values are treated as categorical codes. */
    public static final int MAX_CODE_LEVELS = 10;
    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no", "t", "f", "y", "n");

    /** Numeric columns are mode-normalised by the synthesizers and scored with KS / correlation; the others one-hot. */
    public boolean numeric() {
        return this == CONTINUOUS || this == INTEGER || this == DATETIME;
    }

    /**
     * How the evaluator scores the column, the two-valued view of the type: {@code numeric} (continuous, integer and
     * datetime: KSComplement, correlation; datetimes as epoch seconds) or {@code categorical} (categorical and
     * boolean: TVComplement, contingency).
     */
    public String evaluationKind() {
        return numeric() ? "numeric" : "categorical";
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ColumnType parse(String name) {
        for (ColumnType type : values()) {
            if (type.yamlName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + name
                + "' (expected continuous, integer, categorical, boolean or datetime)");
    }

    /**
     * The type of every column of a table: its override (a recipe's {@code column_types} or SDV metadata; "numeric" is
     * accepted as continuous), else {@link #infer} on {@code rows}, the rule the synthesizer's profiler takes.
     */
    public static List<ColumnType> forColumns(List<String> columns, List<List<String>> rows,
                                              Map<String, String> overrides) {
        List<ColumnType> types = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            String override = overrides.get(columns.get(c));
            if (override != null) {
                String o = override.trim().toLowerCase(Locale.ROOT);
                types.add(o.equals("numeric") ? CONTINUOUS : parse(o));
                continue;
            }
            List<String> cells = new ArrayList<>(rows.size());
            for (List<String> row : rows) {
                cells.add(c < row.size() && row.get(c) != null ? row.get(c).trim() : "");
            }
            types.add(infer(cells));
        }
        return types;
    }

    public static boolean isMissing(String cell) {
        return cell == null || MISSING_TOKENS.contains(cell.trim());
    }

    /** The inferred type of a column from all its cells (missing ones are skipped). */
    public static ColumnType infer(List<String> cells) {
        List<String> present = cells.stream().filter(c -> !isMissing(c)).toList();
        return infer(present, new LinkedHashSet<>(present).size());
    }

    /** The inferred type from the non-missing cells and their number of distinct values. */
    public static ColumnType infer(List<String> present, int distinct) {
        if (present.isEmpty()) {
            return CATEGORICAL;
        }
        if (distinct <= 2 && present.stream().allMatch(v -> BOOLEAN_WORDS.contains(v.trim().toLowerCase(Locale.ROOT)))) {
            return BOOLEAN;
        }
        boolean allNumbers = true;
        boolean allWhole = true;
        for (String cell : present) {
            double value = parseNumber(cell);
            if (Double.isNaN(value)) {
                allNumbers = false;
                break;
            }
            allWhole &= value == Math.rint(value) && Math.abs(value) < 1e15;
        }
        if (allNumbers) {
            if (allWhole || distinct == 1) {
                // a constant number (7.5 everywhere) has no spread to model: it is a one-category column
                return distinct <= MAX_CODE_LEVELS ? CATEGORICAL : INTEGER;
            }
            return CONTINUOUS;
        }
        if (present.stream().allMatch(v -> parseDate(v.trim()) != null)
                || present.stream().allMatch(v -> parseDateTime(v.trim()) != null)) {
            return DATETIME;
        }
        return CATEGORICAL;
    }

    /** The number in a cell, or NaN when it is not one (NaN/Infinity spellings are not numbers here). */
    public static double parseNumber(String cell) {
        String s = cell.trim();
        if (s.isEmpty() || !(Character.isDigit(s.charAt(s.length() - 1)) || s.endsWith("."))) {
            return Double.NaN;
        }
        char first = s.charAt(0);
        if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public static LocalDate parseDate(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static LocalDateTime parseDateTime(String s) {
        try {
            return LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
