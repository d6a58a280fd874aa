package dev.workbench.model.io;

import ai.djl.nn.Parameter;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.NamedParameters;
import dev.workbench.model.TunableModel;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes checkpoint folders atomically:
 *
 * <pre>
 * &lt;name&gt;/
 *   config.json          {@link CheckpointConfig}
 *   model.safetensors    every non-adapter parameter by its stable name (for LoRA: the frozen base weights)
 *   tokenizer.json       written by {@link Tokenizer#save}
 *   adapter.safetensors  LoRA only: just the lora_a / lora_b tensors
 *   adapter_config.json  LoRA only: rank, alpha, dropout, targets
 *   ...                  anything the caller adds (training_state.json, optimizer.safetensors)
 *   manifest.json        {@link CheckpointManifest}: what the checkpoint is, SHA-256 of every file above
 *   COMPLETE             written last: "&lt;bytes&gt; &lt;file&gt;" per file
 * </pre>
 *
 * Everything goes into {@code <name>.tmp/} first; {@code COMPLETE} is written last and the folder is renamed into
 * place, so a reader never sees half a checkpoint and {@link Checkpoint#open} refuses a folder without the marker.
 */
public final class CheckpointIO {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String ADAPTER = "adapter.safetensors";
    public static final String ADAPTER_CONFIG = "adapter_config.json";
    public static final String MARKER = "COMPLETE";
    public static final String STAGING_SUFFIX = ".tmp";
    /**
     * A small text file next to the step folders naming the newest complete one ({@code last} holds
     * {@code step-000120}); {@link Checkpoint#open} follows it. {@code best} is a full folder instead.
     */
    public static final String LAST_POINTER = "last";

    private CheckpointIO() {
    }

    /** Writes files into a folder that is being assembled (the tokenizer, training state, optimizer state). */
    @FunctionalInterface
    public interface FolderWriter {
        void write(Path folder) throws IOException;

        FolderWriter NOTHING = folder -> { };
    }

    /** Saves in FP32 with the tokenizer and nothing else. */
    public static Path save(Path target, CheckpointConfig config, TunableModel model, Tokenizer tokenizer)
            throws IOException {
        return save(target, config, model, tokenizer::save, Safetensors.DType.F32, FolderWriter.NOTHING);
    }

    /**
     * Saves {@code model} as the checkpoint folder {@code target}, which must not exist yet. A leftover
     * {@code target.tmp} from an interrupted save is deleted first.
     *
     * @param tokenizer writes {@code tokenizer.json} ({@code tokenizer::save}, or a copy of another checkpoint's)
     * @param dtype F32 (exact) or BF16 (half the size, rounded)
     * @param extraFiles writes further files (training state) before the marker
     */
    public static Path save(Path target, CheckpointConfig config, TunableModel model, FolderWriter tokenizer,
                            Safetensors.DType dtype, FolderWriter extraFiles) throws IOException {
        checkMatches(config, model);
        if (dtype == Safetensors.DType.F16) {
            throw WorkbenchException.invalid("checkpoints are written as F32 or BF16, not F16");
        }
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "checkpoint folder already exists");
        }
        Path staging = stagingFolder(target);
        AtomicDirectory.deleteRecursively(staging);
        Files.createDirectories(staging);

        Files.writeString(staging.resolve(CONFIG), config.toJson());
        // one tensor at a time in Java memory: a 0.5B-parameter base is 2 GiB as FP32
        Map<String, ai.djl.nn.Parameter> weights = new LinkedHashMap<>();
        Map<String, ai.djl.nn.Parameter> adapter = new LinkedHashMap<>();
        model.namedParameters().forEach((name, parameter) ->
                (Lora.isAdapter(name) ? adapter : weights).put(name, parameter));
        Map<String, String> metadata = Map.of("format", "pt");
        Safetensors.write(staging.resolve(WEIGHTS), TensorSource.ofParameters(weights), dtype, metadata);
        if (config.lora().isPresent()) {
            Safetensors.write(staging.resolve(ADAPTER), TensorSource.ofParameters(adapter), dtype, metadata);
            Files.writeString(staging.resolve(ADAPTER_CONFIG), CheckpointConfig.loraJson(config.lora().get())
                    .put("base_weights", WEIGHTS).toPrettyString() + "\n");
        }
        tokenizer.write(staging);
        if (!Files.isRegularFile(staging.resolve(Tokenizer.FILE))) {
            throw new IOException("the tokenizer writer did not create " + staging.resolve(Tokenizer.FILE));
        }
        extraFiles.write(staging);
        CheckpointManifest.write(staging, java.util.Optional.of(config));
        writeMarker(staging);
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + staging + " to " + target + " atomically", e);
        }
        return target;
    }

    /**
     * Folds the LoRA adapters of {@code adapterCheckpoint} into its base weights and saves a plain checkpoint (same
     * task, labels, tokenizer file; no adapter files) as {@code out}. Returns the number of projections merged.
     */
    public static int saveMerged(Path adapterCheckpoint, Path out, Safetensors.DType dtype) throws IOException {
        Checkpoint checkpoint = Checkpoint.open(adapterCheckpoint);
        if (checkpoint.config().lora().isEmpty()) {
            throw WorkbenchException.invalid(adapterCheckpoint
                    + ": has no LoRA adapter (config.json \"lora\" is null); nothing to merge");
        }
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu())) {
            TunableModel model = checkpoint.config().task() == Finetune.Task.LANGUAGE_MODEL
                    ? checkpoint.loadLanguageModel(manager) : checkpoint.loadClassifier(manager);
            int merged = Lora.merge(model);
            save(out, checkpoint.config().withoutLora(), model, folder -> copyTokenizer(checkpoint.folder(), folder),
                    dtype, FolderWriter.NOTHING);
            return merged;
        }
    }

    /**
     * Copies the tokenizer files of {@code from} into {@code to}, byte for byte: tokenizer.json and, where there is one
     * (a Hugging Face tokenizer, {@link dev.workbench.model.tokenizer.HfTokenizer}), tokenizer_config.json.
     */
    public static void copyTokenizer(Path from, Path to) throws IOException {
        Files.copy(from.resolve(Tokenizer.FILE), to.resolve(Tokenizer.FILE));
        Path config = from.resolve(Tokenizer.CONFIG_FILE);
        if (Files.isRegularFile(config)) {
            Files.copy(config, to.resolve(Tokenizer.CONFIG_FILE));
        }
    }

    /** Where {@link #save} assembles {@code target}. */
    public static Path stagingFolder(Path target) {
        Path absolute = target.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + STAGING_SUFFIX);
    }

    private static void checkMatches(CheckpointConfig config, TunableModel model) {
        if (model instanceof ClassifierModel classifier) {
            require(config.task() == Finetune.Task.CLASSIFIER, "a classifier is saved with task classifier");
            require(config.labels().size() == classifier.numClasses(), "config has " + config.labels().size()
                    + " labels but the classifier has " + classifier.numClasses() + " classes");
            require(config.pooling().orElseThrow() == classifier.pooling(), "config pooling "
                    + config.pooling().get() + " differs from the classifier's " + classifier.pooling());
        } else if (model instanceof LanguageModel) {
            require(config.task() == Finetune.Task.LANGUAGE_MODEL, "a language model is saved with task "
                    + "language_model");
        } else {
            throw new IllegalArgumentException("cannot save " + model.getClass().getName());
        }
        require(model.architecture().equals(config.model()), "config.json model " + config.model()
                + " differs from the model's " + model.architecture());
        require(Lora.hasAdapters(model) == config.lora().isPresent(), config.lora().isPresent()
                ? "config has lora settings but the model has no adapters"
                : "the model has adapters but the config has no lora settings (merge first, or use withLora)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("cannot save checkpoint: " + message);
        }
    }

    /**
     * Points {@code <taskDir>/last} at {@code stepFolder} (a sibling): written to a temporary file and renamed over
     * the old pointer, so a reader sees the old or the new name, never half of one.
     */
    public static void writeLastPointer(Path taskDir, Path stepFolder) throws IOException {
        Path pointer = taskDir.resolve(LAST_POINTER);
        Path staging = taskDir.resolve("." + LAST_POINTER + STAGING_SUFFIX);
        Files.writeString(staging, stepFolder.getFileName() + "\n", StandardCharsets.UTF_8);
        Files.move(staging, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * {@code path} itself, or for a {@code last} pointer file the folder it names. A pointer that names a folder
     * which is gone is INVALID_INPUT.
     */
    public static Path followPointer(Path path) {
        if (!Files.isRegularFile(path)) {
            return path;
        }
        String name;
        try {
            name = Files.readString(path, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw WorkbenchException.invalid(path + ": cannot read checkpoint pointer: " + e.getMessage());
        }
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw WorkbenchException.invalid(path + ": not a checkpoint pointer (expected the name of a sibling "
                    + "step folder, e.g. step-000120)");
        }
        Path target = path.toAbsolutePath().resolveSibling(name);
        if (!Files.isDirectory(target)) {
            throw WorkbenchException.invalid(path + ": points at " + name + ", which no longer exists");
        }
        return target;
    }

    private static void writeMarker(Path staging) throws IOException {
        StringBuilder listing = new StringBuilder();
        try (Stream<Path> files = Files.walk(staging)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                listing.append(Files.size(file)).append(' ')
                        .append(staging.relativize(file).toString().replace('\\', '/')).append('\n');
            }
        }
        Files.writeString(staging.resolve(MARKER), listing.toString(), StandardCharsets.UTF_8);
    }

    /** Parses the marker: relative path to size in bytes. */
    static Map<String, Long> readMarker(Path marker) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            if (space > 0) {
                sizes.put(line.substring(space + 1), Long.parseLong(line.substring(0, space)));
            }
        }
        return sizes;
    }

    /** Arrays of the named parameters as tensors (copied to the CPU), e.g. to initialise another model. */
    public static Map<String, Safetensors.Tensor> tensors(NamedParameters model) {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
            tensors.put(entry.getKey(), Safetensors.Tensor.of(entry.getValue().getArray()));
        }
        return tensors;
    }

    static List<String> firstFew(java.util.Collection<String> names) {
        return names.stream().sorted().limit(5).toList();
    }
}
