package dev.workbench.store;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every name inside a run folder ({@code runs/<recipe>/<run-id>/}, laid out in docs/run-folder.md), and the atomic
 * file writer the stages write it with. Stages talk to each other only through these files, so the writer of a file
 * and its readers take its name from here and never spell it themselves. Formats (columns, JSON shapes) belong to the
 * code that writes and reads each file; only the column names two stages share are here.
 */
public final class RunFolder {
    // ---- top level ----
    /** Run id, recipe file and hash, overrides, seed, input hashes, versions, device, stage status. */
    public static final String MANIFEST = "manifest.json";
    /** The recipe with every default and every {@code --set} applied. */
    public static final String RESOLVED_RECIPE = "recipe.resolved.yaml";
    /** Tidy result rows ({@link MetricRow}), one JSON object a line. */
    public static final String METRICS = "metrics.jsonl";

    // ---- finetune stage ----
    /** {@code finetune/<task>/metrics.csv}: the per-step training curve of a task. */
    public static final String FINETUNE = "finetune";
    public static final String TRAINING_METRICS = "metrics.csv";
    /** {@code checkpoints/<task>/step-NNNNNN/}, {@code best/} and the {@code last} pointer of a task. */
    public static final String CHECKPOINTS = "checkpoints";
    /** {@code checkpoints/<task>/best}: the checkpoint with the lowest validation loss. */
    public static final String BEST_CHECKPOINT = "best";
    /** Per test document: id, bytes, base and fine-tuned bits, words, tokens, text hash. */
    public static final String LM_PREDICTIONS = "predictions/lm_test.csv";
    /**
     * Column of {@link #LM_PREDICTIONS}: SHA-256 (hex) of the document text as scored, so {@code compare} pairs
     * documents by content and not only by id; files written before it existed lack it.
     */
    public static final String TEXT_SHA256 = "text_sha256";
    /** The fine-tuned classifier's test predictions. */
    public static final String CLASSIFIER_PREDICTIONS = "predictions/classifier_test.csv";
    /** The "base model with a trained head" baseline's predictions (only when the recipe starts from a base). */
    public static final String CLASSIFIER_PROBE_PREDICTIONS = "predictions/classifier_probe_test.csv";
    /** evaluate.prompts completed by the base and the fine-tuned model, same seed. */
    public static final String GENERATIONS = "predictions/generations.jsonl";
    /**
     * The instruct task's held-out conversations (the test split when the recipe keeps one, else validation): index,
     * split, trained_tokens, base_nll, finetuned_nll (nats, summed), text_sha256 of the rendered conversation (what
     * {@code compare} pairs runs by).
     */
    public static final String INSTRUCT_PREDICTIONS = "predictions/instruct_heldout.csv";

    // ---- synthesize stage ----
    /** {@code synthetic/<method>.csv} (every {@code *.csv} directly in it is a table) and a folder per method. */
    public static final String SYNTHETIC = "synthetic";
    /** {@code synthetic/profile.json}: the column profile every synthesizer of the run was fitted with. */
    public static final String PROFILE = "profile.json";
    /** {@code synthetic/<method>/generator/}: the reusable generator ({@code workbench sample} loads it). */
    public static final String GENERATOR = "generator";
    /** {@code synthetic/<method>/losses.csv}: per-epoch losses of a neural synthesizer. */
    public static final String LOSSES = "losses.csv";
    private static final String TABLE_SUFFIX = ".csv";
    /** The downstream model's training table with {@code synthesize.augment}: real train + synthetic rows, tagged. */
    public static final String AUGMENTED_TRAIN = "augment/train.csv";
    /** Last column of {@link #AUGMENTED_TRAIN}: where a row came from, "real" or {@code synthetic:<tag>}. */
    public static final String SOURCE_COLUMN = "source";
    public static final String REAL_SOURCE = "real";

    // ---- evaluate stage ----
    public static final String EVAL = "eval";
    /** Split sizes, data notes (skipped rows, duplicates) and input hashes. */
    public static final String EVAL_DATA = "eval/data.json";
    /** Per-document bits and bits per byte of both models. */
    public static final String EVAL_LM = "eval/lm_per_document.csv";
    /** Confusion matrices and per-class precision/recall of every classifier. */
    public static final String EVAL_CLASSIFICATION = "eval/classification.json";
    /** Per-column and per-pair scores, detection, efficacy and privacy of every synthetic table. */
    public static final String EVAL_SYNTHETIC = "eval/synthetic.json";
    /** Real vs synthetic column distributions for the report's charts. */
    public static final String EVAL_DISTRIBUTIONS = "eval/distributions.json";
    /** Per-example predictions of every classifier subject (id, text hash, gold, predicted, probabilities). */
    public static final String EVAL_SAMPLES = "eval/samples.jsonl";
    /** Every paired test with its inputs, raw and Holm-adjusted p-value. */
    public static final String EVAL_TESTS = "eval/tests.json";
    /**
     * Per-item outputs of the evaluation tasks ({@code evaluate.tasks}): {@code eval/tasks/<model>/<task>.jsonl}, one
     * JSON object a line (index, item hash, prompt, target, output or choice log-likelihoods, score per metric).
     */
    public static final String EVAL_TASKS = "eval/tasks";
    private static final String EVAL_CLASSIFIER_PREFIX = "eval/classifier_";

    private RunFolder() {
    }

    /** {@code finetune/<task>/metrics.csv}. */
    public static Path trainingMetrics(Path runFolder, String task) {
        return runFolder.resolve(FINETUNE).resolve(task).resolve(TRAINING_METRICS);
    }

    /** {@code checkpoints/<task>}. */
    public static Path checkpoints(Path runFolder, String task) {
        return runFolder.resolve(CHECKPOINTS).resolve(task);
    }

    /** {@code checkpoints/<task>/best}. */
    public static Path bestCheckpoint(Path runFolder, String task) {
        return checkpoints(runFolder, task).resolve(BEST_CHECKPOINT);
    }

    /** {@link #EVAL_TASKS} file of one task scored on one model ({@code base}, {@code finetuned}). */
    public static Path evalTaskItems(Path runFolder, String model, String task) {
        return runFolder.resolve(EVAL_TASKS).resolve(model).resolve(task + ".jsonl");
    }

    /** {@code eval/classifier_<subject>.csv}: one classifier's per-example predictions as the evaluator scored them. */
    public static String evalClassifierPredictions(String subject) {
        return EVAL_CLASSIFIER_PREFIX + subject + ".csv";
    }

    /** The file name of a method's synthetic table inside {@link #SYNTHETIC}: {@code <method>.csv}. */
    public static String syntheticTableName(String method) {
        return method + TABLE_SUFFIX;
    }

    /** {@code synthetic/<method>.csv}. */
    public static Path syntheticTable(Path runFolder, String method) {
        return runFolder.resolve(SYNTHETIC).resolve(syntheticTableName(method));
    }

    /** {@code synthetic/<method>/generator}. */
    public static Path generator(Path runFolder, String method) {
        return runFolder.resolve(SYNTHETIC).resolve(method).resolve(GENERATOR);
    }

    /** The synthetic tables of a run: {@code synthetic/<method>.csv}, sorted by method name. */
    public static List<Path> syntheticTables(Path runFolder) throws IOException {
        Path dir = runFolder.resolve(SYNTHETIC);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(TABLE_SUFFIX) && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    /** The method a synthetic table belongs to: {@code ctgan} for {@code synthetic/ctgan.csv}. */
    public static String syntheticMethod(Path syntheticTable) {
        String name = syntheticTable.getFileName().toString();
        return name.substring(0, name.length() - TABLE_SUFFIX.length());
    }

    /** Writes a file's text into a {@link Writer}; see {@link #writeAtomically(Path, WriterBody)}. */
    @FunctionalInterface
    public interface WriterBody {
        void write(Writer writer) throws IOException;
    }

    /**
     * Writes UTF-8 text through a hidden temporary sibling and an atomic rename, so readers never see half a file;
     * a full disk is reported with the file's name ({@link DiskFullException}).
     */
    public static void writeAtomically(Path file, WriterBody body) throws IOException {
        replace(file, tmp -> {
            try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(writer);
            }
        });
    }

    /** {@link #writeAtomically(Path, WriterBody)} for bytes. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        replace(file, tmp -> Files.write(tmp, bytes));
    }

    @FunctionalInterface
    private interface Filler {
        void fill(Path tmp) throws IOException;
    }

    private static void replace(Path file, Filler filler) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            filler.fill(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw DiskFullException.naming(file, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
