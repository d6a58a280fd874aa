package dev.workbench.synth;

import dev.workbench.data.ColumnType;
import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Columns no synthesizer can learn are refused with a hint; the shipped tables and Adult have none. */
class UnusableColumnsTest {

    /** 30 rows: age (integer), blank (every cell empty or "?"), code ("C-0".."C-29"), unit ("mg" everywhere). */
    private static Table table() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(List.of(Integer.toString(20 + i), i % 2 == 0 ? "" : "?", "C-" + i, "mg", "7.5"));
        }
        return new Table(List.of("age", "blank", "code", "unit", "dose"), rows);
    }

    private static WorkbenchException refused(Map<String, String> types, List<String> drop) {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> TableProfiler.profile(table(), types, drop));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("corpus.table.drop"), "says what to do: " + e.getMessage());
        return e;
    }

    @Test
    void emptyIdentifierAndConstantContinuousColumnsAreRefusedWithAHint() {
        WorkbenchException empty = refused(Map.of(), List.of());
        assertTrue(empty.getMessage().contains("'blank'") && empty.getMessage().contains("empty in all 30 rows"),
                empty.getMessage());

        WorkbenchException id = refused(Map.of(), List.of("blank"));
        assertTrue(id.getMessage().contains("'code'") && id.getMessage().contains("identifier")
                && id.getMessage().contains("column_types"), id.getMessage());

        WorkbenchException constant = refused(Map.of("dose", "continuous"), List.of("blank", "code"));
        assertTrue(constant.getMessage().contains("'dose'") && constant.getMessage().contains("single value"),
                constant.getMessage());

        // what the hints say works: dropping, or declaring the ID a category; a constant left to inference is a
        // one-category column (as is 'unit'), which every synthesizer reproduces
        TableProfile ok = TableProfiler.profile(table(), Map.of("code", "categorical"), List.of("blank"));
        assertEquals(ColumnType.CATEGORICAL, ok.column("code").type());
        assertEquals(List.of("mg"), ok.column("unit").categories());
        assertEquals(ColumnType.CATEGORICAL, ok.column("dose").type());
    }

    @Test
    void aSmallTableIsNotTakenForIdentifiers() {
        // 5 different names in 5 rows are ordinary rare categories, not an ID column
        List<List<String>> rows = List.of(List.of("ann"), List.of("bob"), List.of("cy"), List.of("dee"),
                List.of("eve"));
        assertEquals(ColumnType.CATEGORICAL,
                TableProfiler.profile(new Table(List.of("name"), rows)).column("name").type());
    }

    @Test
    void theShippedTablesAndAdultProfileCleanly() throws Exception {
        Path root = Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
        List<Path> tables = new ArrayList<>();
        for (String domain : List.of("quickstart", "medical", "customer-service", "education")) {
            tables.add(root.resolve("datasets").resolve(domain).resolve("table.csv"));
        }
        for (Path table : tables) {
            assertTrue(Files.isRegularFile(table), table + " is shipped");
            TableProfile profile = TableProfiler.profile(SyntheticCsv.read(table));
            assertTrue(profile.columns().size() >= 10, table.toString());
        }
        Path adult = SharedData.file("benchmark/adult_train.csv");
        Assumptions.assumeTrue(Files.isRegularFile(adult), "Adult benchmark table absent: " + adult);
        assertEquals(15, TableProfiler.profile(SyntheticCsv.read(adult)).columns().size());
    }
}
