package dev.workbench.synth;

import java.util.Locale;

/** How a table column is modelled. The YAML names (corpus.table.column_types) are the lowercase constant names. */
public enum ColumnType {
    CONTINUOUS, INTEGER, CATEGORICAL, BOOLEAN, DATETIME;

    /** Numeric columns are mode-normalised; the others are one-hot. */
    public boolean numeric() {
        return this == CONTINUOUS || this == INTEGER || this == DATETIME;
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
}
