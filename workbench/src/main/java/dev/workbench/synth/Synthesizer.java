package dev.workbench.synth;

import dev.workbench.data.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A tabular synthesizer: learns from a training table, then generates rows with the same columns (the profiled ones,
 * in profile order). Implementations: {@link CtganSynthesizer}, {@link IndependentSynthesizer},
 * {@link GaussianCopulaSynthesizer}, {@link TvaeSynthesizer}; {@link Synthesizers} creates them by name and loads saved
 * ones.
 */
public interface Synthesizer {

    /** The method name used in recipes, file names and metric rows ({@code ctgan}, {@code independent}, ...). */
    String name();

    void fit(Table train, TableProfile profile, long seed);

    /**
     * Generates {@code n} rows. {@code conditions} (column → value, categorical or boolean columns only) are honoured
     * by every returned row; the same seed gives the same rows.
     */
    Table sample(int n, Map<String, String> conditions, long seed);

    /** Writes a reusable generator folder (config.json, weights if any, commit marker), atomically. */
    void save(Path folder) throws IOException;
}
