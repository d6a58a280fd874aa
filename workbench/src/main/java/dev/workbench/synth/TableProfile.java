package dev.workbench.synth;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Column types, ranges and missing rates of a table (the training split). Synthesizers model exactly the profiled
 * columns, in this order; dropped columns are left out of synthetic tables.
 *
 * @param rows number of rows profiled
 * @param dropped columns of the input ignored because recipe corpus.table.drop lists them
 */
public record TableProfile(
        @JsonProperty("columns") List<ColumnProfile> columns,
        @JsonProperty("dropped") List<String> dropped,
        @JsonProperty("rows") int rows) {

    public List<String> columnNames() {
        return columns.stream().map(ColumnProfile::name).toList();
    }

    public ColumnProfile column(String name) {
        for (ColumnProfile column : columns) {
            if (column.name().equals(name)) {
                return column;
            }
        }
        throw new IllegalArgumentException("no profiled column '" + name + "' in " + columnNames());
    }

    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
