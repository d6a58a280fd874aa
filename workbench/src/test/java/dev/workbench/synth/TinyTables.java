package dev.workbench.synth;

import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Small seeded tables built inside the tests (no data files). */
final class TinyTables {
    private TinyTables() {
    }

    /**
     * A patient-like table: age (integer, 18-90), income (continuous, bimodal, about 5% missing as "?"), sex
     * (categorical), readmitted (yes/no, more likely with age), smoker (boolean), visit (ISO date).
     */
    static Table patients(int rows, long seed) {
        Random random = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int age = (int) Math.max(18, Math.min(90, Math.round(45 + 15 * random.nextGaussian())));
            double income = random.nextBoolean() ? 20 + 3 * random.nextGaussian() : 60 + 5 * random.nextGaussian();
            String incomeCell = random.nextDouble() < 0.05 ? "?" : String.format(Locale.ROOT, "%.2f", income);
            String sex = random.nextDouble() < 0.45 ? "F" : "M";
            boolean readmitted = random.nextDouble() < (age > 60 ? 0.6 : 0.2);
            String smoker = random.nextDouble() < 0.3 ? "true" : "false";
            String visit = java.time.LocalDate.of(2020, 1, 1).plusDays(random.nextInt(365)).toString();
            out.add(List.of(Integer.toString(age), incomeCell, sex, readmitted ? "yes" : "no", smoker, visit));
        }
        return new Table(List.of("age", "income", "sex", "readmitted", "smoker", "visit"), out);
    }

    /** Two correlated standard normals (correlation rho) and a category, for copula tests. */
    static Table correlated(int rows, double rho, long seed) {
        Random random = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double x = random.nextGaussian();
            double y = rho * x + Math.sqrt(1 - rho * rho) * random.nextGaussian();
            String group = random.nextDouble() < 0.3 ? "a" : random.nextDouble() < 0.5 ? "b" : "c";
            out.add(List.of(String.format(Locale.ROOT, "%.4f", x), String.format(Locale.ROOT, "%.4f", y), group));
        }
        return new Table(List.of("x", "y", "group"), out);
    }

    static double[] numbers(Table table, String column) {
        int index = table.columnIndex(column);
        return table.rows().stream().map(r -> r.get(index)).filter(s -> !TableProfiler.isMissing(s))
                .mapToDouble(Double::parseDouble).toArray();
    }

    /**
     * On a synthesizer fitted to {@link #patients}: every row honours two conditions at once (readmitted=yes, sex=F),
     * and an unseen category or a numeric column as a condition is refused.
     */
    static void assertHonoursConditions(Synthesizer fitted) {
        Table sample = fitted.sample(120, Map.of("readmitted", "yes", "sex", "F"), 9);
        assertEquals(120, sample.rows().size());
        for (List<String> row : sample.rows()) {
            assertEquals("yes", row.get(3));
            assertEquals("F", row.get(2));
        }
        assertThrows(WorkbenchException.class, () -> fitted.sample(5, Map.of("readmitted", "maybe"), 1));
        assertThrows(WorkbenchException.class, () -> fitted.sample(5, Map.of("age", "40"), 1));
    }
}
