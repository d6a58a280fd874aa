package dev.workbench.synth;

import dev.workbench.data.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A tabular synthesizer: learns from a training table, then generates rows with the same columns (the profiled ones,
 * in profile order). {@link Synthesizers} lists the implementations by recipe name, creates them from the recipe and
 * loads saved ones; the synthesize stage and {@code workbench plan} know them only through this interface.
 */
public interface Synthesizer extends AutoCloseable {

    /** The method name used in recipes, file names and metric rows ({@code ctgan}, {@code independent}, ...). */
    String name();

    /** The training budget on {@code trainRows} rows for methods that train in steps; empty for closed-form fits. */
    Optional<StepBudget> budget(int trainRows);

    /** What {@code workbench plan} prints for this method, e.g. {@code independent: 300 rows sampled}. */
    default String planLine(int trainRows, int sampledRows) {
        return name() + ": " + budget(trainRows).map(b -> b.planText() + ", ").orElse("") + sampledRows
                + " rows sampled";
    }

    /** Fits on {@code train}; the same seed gives the same synthesizer. */
    FitReport fit(Table train, TableProfile profile, long seed, FitOptions options);

    /** {@link #fit(Table, TableProfile, long, FitOptions)} without output, with the default NaN guard. */
    default FitReport fit(Table train, TableProfile profile, long seed) {
        return fit(train, profile, seed, FitOptions.silent());
    }

    /**
     * Generates {@code n} rows. {@code conditions} (column → value, categorical or boolean columns only) are honoured
     * by every returned row; the same seed gives the same rows.
     */
    Table sample(int n, Map<String, String> conditions, long seed);

    /** Writes a reusable generator folder (config.json, weights if any, commit marker), atomically. */
    void save(Path folder) throws IOException;

    /** Frees native memory, if the method holds any; it cannot sample afterwards. */
    @Override
    default void close() {
    }
}
