package dev.workbench.synth;

import dev.workbench.data.ColumnType;
import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableProfilerTest {

    private static Table table() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(List.of(
                    Integer.toString(100 + i * 7),                 // integer, 20 distinct
                    i == 3 ? "?" : (i * 1.25) + "",                // continuous with one "?"
                    i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue",
                    i % 2 == 0 ? "yes" : "no",                     // boolean
                    "2021-03-" + String.format("%02d", i + 1),     // date
                    Integer.toString(i % 4),                       // 4 codes -> categorical
                    i == 0 ? "" : "x" + i,                         // id-like, dropped
                    (i % 5) + ".0"));                              // whole numbers spelled 63.0, 5 codes
        }
        return new Table(List.of("count", "amount", "colour", "flag", "day", "grade", "id", "level"), rows);
    }

    @Test
    void infersTypesRangesAndMissingRates() {
        TableProfile profile = TableProfiler.profile(table(), Map.of(), List.of("id"));
        assertEquals(List.of("count", "amount", "colour", "flag", "day", "grade", "level"), profile.columnNames());
        assertEquals(List.of("id"), profile.dropped());
        assertEquals(20, profile.rows());
        assertEquals(ColumnType.INTEGER, profile.column("count").type());
        assertEquals(100, profile.column("count").min());
        assertEquals(233, profile.column("count").max());
        ColumnProfile amount = profile.column("amount");
        assertEquals(ColumnType.CONTINUOUS, amount.type());
        assertEquals(0.05, amount.missingRate(), 1e-12);
        assertEquals("?", amount.missingToken());
        assertEquals(2, amount.decimals());
        assertEquals(ColumnType.CATEGORICAL, profile.column("colour").type());
        // red 7, green 7, blue 6: most frequent first, ties by name
        assertEquals(List.of("green", "red", "blue"), profile.column("colour").categories());
        assertEquals(ColumnType.BOOLEAN, profile.column("flag").type());
        ColumnProfile day = profile.column("day");
        assertEquals(ColumnType.DATETIME, day.type());
        assertEquals("date", day.datetimeFormat());
        assertEquals("2021-03-01", TableProfiler.format(day, day.min(), true));
        assertEquals("2021-03-20", TableProfiler.format(day, day.max() + 1e9, true), "clipped to the last day");
        assertEquals(ColumnType.CATEGORICAL, profile.column("grade").type(), "4 whole-number codes are categories");
        assertEquals(ColumnType.CATEGORICAL, profile.column("level").type());
        assertTrue(profile.column("level").categories().contains("3.0"), "codes keep their spelling");
        assertFalse(profile.column("count").overridden());
    }

    @Test
    void recipeOverridesWinAndBadOnesAreReported() {
        TableProfile profile = TableProfiler.profile(table(), Map.of("grade", "integer", "count", "categorical"),
                List.of());
        assertEquals(ColumnType.INTEGER, profile.column("grade").type());
        assertTrue(profile.column("grade").overridden());
        assertEquals(ColumnType.CATEGORICAL, profile.column("count").type());
        assertEquals(20, profile.column("count").categories().size());
        WorkbenchException unknown = assertThrows(WorkbenchException.class,
                () -> TableProfiler.profile(table(), Map.of("nope", "integer"), List.of()));
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
        WorkbenchException badType = assertThrows(WorkbenchException.class,
                () -> TableProfiler.profile(table(), Map.of("grade", "float"), List.of()));
        assertTrue(badType.getMessage().contains("corpus.table.column_types.grade"), badType.getMessage());
        WorkbenchException notNumber = assertThrows(WorkbenchException.class,
                () -> TableProfiler.profile(table(), Map.of("colour", "continuous"), List.of()));
        assertTrue(notNumber.getMessage().contains("'red'") || notNumber.getMessage().contains("'green'")
                || notNumber.getMessage().contains("'blue'"), notNumber.getMessage());
        assertThrows(WorkbenchException.class, () -> TableProfiler.profile(table(), Map.of(), List.of("missing")));
    }

    @Test
    void formatsNumbersInTheColumnsSpelling() {
        ColumnProfile integer = new ColumnProfile("n", ColumnType.INTEGER, 0, "", 0, 10, 1, List.of(), null, false);
        assertEquals("4.0", TableProfiler.format(integer, 3.6, true));
        assertEquals("10.0", TableProfiler.format(integer, 12, true));
        assertEquals("12.0", TableProfiler.format(integer, 12, false));
        ColumnProfile real = new ColumnProfile("x", ColumnType.CONTINUOUS, 0, "NA", -1, 1, 3, List.of(), null, false);
        assertEquals("0.123", TableProfiler.format(real, 0.12345, true));
        assertEquals("NA", TableProfiler.format(real, Double.NaN, true));
    }
}
