package dev.workbench.synth;

import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Rejection sampling for {@code col=value} conditions, shared by the synthesizers (SDV does the same around CTGAN).
 * The generator is asked for conditioned batches where it can be; rows that do not match every condition are dropped.
 * If the budget of batches runs out, the remaining rows are taken from generated rows with the conditioned cells
 * overwritten (counted in {@link Result#forcedRows()}), so every returned row honours the conditions.
 */
final class ConditionalSampling {

    /** @param forcedRows rows whose conditioned cells were overwritten because rejection ran out of batches */
    record Result(Table table, int forcedRows) {
    }

    private ConditionalSampling() {
    }

    /** Checks the row count, and that every condition names a categorical/boolean column and a value it takes. */
    static Map<Integer, String> resolve(TableProfile profile, int rows, Map<String, String> conditions) {
        if (rows < 0) {
            throw WorkbenchException.invalid("cannot sample a negative number of rows (" + rows + ")");
        }
        Map<Integer, String> resolved = new LinkedHashMap<>();
        for (Map.Entry<String, String> condition : conditions.entrySet()) {
            int index = profile.indexOf(condition.getKey());
            if (index < 0) {
                throw WorkbenchException.invalid("condition " + condition.getKey() + "=" + condition.getValue()
                        + ": no such column (columns: " + profile.columnNames() + ")");
            }
            ColumnProfile column = profile.columns().get(index);
            if (column.type().numeric()) {
                throw WorkbenchException.invalid("condition " + condition.getKey() + "=" + condition.getValue()
                        + ": only categorical and boolean columns can be conditioned on; '" + column.name()
                        + "' is " + column.type().yamlName());
            }
            String value = condition.getValue();
            boolean known = column.categories().contains(value)
                    || (TableProfiler.isMissing(value) && column.hasMissing());
            if (!known) {
                throw WorkbenchException.invalid("condition " + condition.getKey() + "=" + value
                        + ": the column never takes that value (values: " + column.categories() + ")");
            }
            resolved.put(index, TableProfiler.isMissing(value) ? column.missingToken() : value);
        }
        return resolved;
    }

    /** Batches of {@code batchSize} rows a neural sampler tries before forcing: 10 per batch needed, at least 20. */
    static int maxBatches(int n, int batchSize) {
        return Math.max(20, 10 * ((n + batchSize - 1) / batchSize));
    }

    /**
     * Collects {@code n} rows from {@code batches}. With no conditions every generated row is kept.
     *
     * @param maxBatches batches tried before matching rows are forced
     */
    static Result collect(TableProfile profile, int n, Map<Integer, String> conditions, Supplier<Table> batches,
                          int maxBatches) {
        List<List<String>> kept = new ArrayList<>(n);
        List<List<String>> rejected = new ArrayList<>();
        int batchesTried = 0;
        while (kept.size() < n && batchesTried < maxBatches) {
            Table batch = batches.get();
            batchesTried++;
            for (List<String> row : batch.rows()) {
                if (kept.size() >= n) {
                    break;
                }
                if (matches(row, conditions)) {
                    kept.add(row);
                } else if (rejected.size() < n) {
                    rejected.add(row);
                }
            }
        }
        int forced = 0;
        while (kept.size() < n) {
            if (rejected.isEmpty()) {
                rejected.addAll(batches.get().rows());
            }
            List<String> row = new ArrayList<>(rejected.remove(rejected.size() - 1));
            for (Map.Entry<Integer, String> condition : conditions.entrySet()) {
                row.set(condition.getKey(), condition.getValue());
            }
            kept.add(row);
            forced++;
        }
        return new Result(new Table(profile.columnNames(), kept), forced);
    }

    static boolean matches(List<String> row, Map<Integer, String> conditions) {
        for (Map.Entry<Integer, String> condition : conditions.entrySet()) {
            if (!row.get(condition.getKey()).equals(condition.getValue())) {
                return false;
            }
        }
        return true;
    }
}
