package dev.workbench.eval;

import dev.workbench.data.ColumnType;
import dev.workbench.data.Table;
import dev.workbench.synth.ColumnProfile;
import dev.workbench.synth.TableProfile;
import dev.workbench.synth.TableProfiler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One column-type decision: the synthesizer's profiler ({@code synthetic/profile.json}) and the evaluator type every
 * column alike, on a table shaped like UCI "default of credit card clients" where they used to disagree (EDUCATION,
 * MARRIAGE and PAY_n are small whole-number codes: categorical for both now).
 */
class SharedColumnTypesTest {

    static Table creditLike(int n) {
        Random random = new Random(7);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(List.of(Integer.toString(10_000 * (1 + random.nextInt(50))), // LIMIT_BAL: 50 levels
                    Integer.toString(1 + random.nextInt(2)), // SEX 1/2
                    Integer.toString(random.nextInt(7)), // EDUCATION 0-6
                    Integer.toString(random.nextInt(4)), // MARRIAGE 0-3
                    Integer.toString(random.nextInt(11) - 2), // PAY_2 -2..8: 11 levels
                    String.format(java.util.Locale.ROOT, "%.2f", random.nextGaussian() * 1000), // BILL_AMT1
                    i % 10 == 0 ? "?" : "2005-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10), // a date
                    random.nextBoolean() ? "yes" : "no")); // default
        }
        return new Table(List.of("LIMIT_BAL", "SEX", "EDUCATION", "MARRIAGE", "PAY_2", "BILL_AMT1", "DATE",
                "default"), rows);
    }

    @Test
    void profilerAndEvaluatorTakeTheSameDecision() {
        Table t = creditLike(400);
        for (Map<String, String> overrides : List.of(Map.<String, String>of(), Map.of("EDUCATION", "integer",
                "LIMIT_BAL", "categorical"))) {
            TableProfile profile = TableProfiler.profile(t, overrides, List.of());
            List<ColumnType> types = ColumnType.forColumns(t.columns(), t.rows(), overrides);
            for (int c = 0; c < t.columns().size(); c++) {
                ColumnProfile p = profile.columns().get(c);
                assertEquals(p.type(), types.get(c), p.name());
            }
        }
        List<ColumnType> inferred = ColumnType.forColumns(t.columns(), t.rows(), Map.of());
        assertEquals(List.of(ColumnType.INTEGER, ColumnType.CATEGORICAL, ColumnType.CATEGORICAL,
                ColumnType.CATEGORICAL, ColumnType.INTEGER, ColumnType.CONTINUOUS, ColumnType.DATETIME,
                ColumnType.BOOLEAN), inferred);
        // a datetime scores as a number: epoch seconds of the ISO date (2005-01-10 = 12793 days)
        assertEquals(12793 * 86400.0, TableCells.number("2005-01-10"), 0);
    }
}
