package dev.workbench.data;

import java.util.List;

/**
 * A table as read: the header and the raw cell strings (empty string = missing). Typing is the synthesizer's job
 * (it profiles columns), so the loader never guesses types.
 */
public record Table(List<String> columns, List<List<String>> rows) {

    public int columnIndex(String name) {
        int index = columns.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in " + columns);
        }
        return index;
    }

    public Table withRows(List<List<String>> newRows) {
        return new Table(columns, newRows);
    }
}
