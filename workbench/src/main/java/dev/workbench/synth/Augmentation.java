package dev.workbench.synth;

import java.nio.file.StandardCopyOption;
import java.nio.file.Files;
import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds "real train + synthetic" tables for the downstream-effect measurement (recipe synthesize.augment): the
 * evaluation trains the same tabular model on the real training split and on this table and compares them on the real
 * test split. {@code round(ratio x real rows)} synthetic rows are appended; columns are aligned to the real table
 * (columns the synthesizer did not model, such as dropped ids, are left empty).
 */
public final class Augmentation {
    /**
     * The downstream model's training table when {@code synthesize.augment} is on ({@link RunFolder#AUGMENTED_TRAIN}):
     * the real training split followed by synthetic rows, with a last column {@link RunFolder#SOURCE_COLUMN} saying
     * where each row came from. Validation and test stay real: only this file holds synthetic rows, and the evaluation
     * reads nothing else for augmentation.
     */

    private Augmentation() {
    }

    /**
     * Writes {@link #augment(Table, Table, double, long)} with the {@link RunFolder#SOURCE_COLUMN} column:
     * {@code real}, or {@code synthetic:<tag>} (the generator's run id and method), atomically.
     */
    public static void writeTagged(Path file, Table real, Table synthetic, double ratio, long seed, String tag)
            throws IOException {
        Table augmented = augment(real, synthetic, ratio, seed);
        List<String> columns = new ArrayList<>(augmented.columns());
        columns.add(RunFolder.SOURCE_COLUMN);
        List<List<String>> rows = new ArrayList<>(augmented.rows().size());
        for (int i = 0; i < augmented.rows().size(); i++) {
            List<String> row = new ArrayList<>(augmented.rows().get(i));
            row.add(i < real.rows().size() ? RunFolder.REAL_SOURCE : "synthetic:" + tag);
            rows.add(row);
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        SyntheticCsv.write(tmp, new Table(columns, rows));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Number of synthetic rows added for {@code realRows} real rows. */
    public static int syntheticRows(int realRows, double ratio) {
        if (ratio < 0 || !Double.isFinite(ratio)) {
            throw WorkbenchException.invalid("synthesize.augment_ratio must be a non-negative number, got " + ratio);
        }
        return (int) Math.round(realRows * ratio);
    }

    /**
     * Real rows followed by synthetic rows taken from {@code synthetic} (in a seeded random order; drawn with
     * replacement only when the synthetic table is smaller than needed).
     */
    public static Table augment(Table real, Table synthetic, double ratio, long seed) {
        int needed = syntheticRows(real.rows().size(), ratio);
        if (needed > 0 && synthetic.rows().isEmpty()) {
            throw WorkbenchException.invalid("augmentation needs synthetic rows, the synthetic table is empty");
        }
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < synthetic.rows().size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        List<List<String>> picked = new ArrayList<>(needed);
        for (int i = 0; i < needed; i++) {
            int index = i < order.size() ? order.get(i) : random.nextInt(synthetic.rows().size());
            picked.add(synthetic.rows().get(index));
        }
        return append(real, new Table(synthetic.columns(), picked));
    }

    /** Real rows followed by freshly generated rows from a saved generator folder (optionally conditioned). */
    public static Table augment(Table real, Path generatorFolder, double ratio, Map<String, String> conditions,
                                long seed) throws IOException {
        try (Synthesizer synthesizer = GeneratorCheckpoint.load(generatorFolder)) {
            Table synthetic = synthesizer.sample(syntheticRows(real.rows().size(), ratio), conditions, seed);
            return append(real, synthetic);
        }
    }

    /** Appends {@code synthetic} rows to {@code real}, mapping columns by name; unmodelled columns stay empty. */
    static Table append(Table real, Table synthetic) {
        int[] source = new int[real.columns().size()];
        for (int c = 0; c < source.length; c++) {
            source[c] = synthetic.columns().indexOf(real.columns().get(c));
        }
        List<List<String>> rows = new ArrayList<>(real.rows());
        for (List<String> row : synthetic.rows()) {
            List<String> aligned = new ArrayList<>(source.length);
            for (int index : source) {
                aligned.add(index < 0 ? "" : row.get(index));
            }
            rows.add(aligned);
        }
        return new Table(real.columns(), rows);
    }
}
