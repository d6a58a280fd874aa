package dev.workbench.model.io;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import dev.workbench.model.Architecture;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.TunableModel;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A complete checkpoint folder (layout in {@link CheckpointIO}) and its config; loads the models it holds, built by
 * the family config.json names. Weights are read by name with shape checks; BF16 files are widened to FP32 in Java.
 * Parameters are created through initializers, not {@code Model.load}, so {@code Model.newTrainer} does not unfreeze
 * them (see {@link dev.workbench.model.Freezing}).
 */
public record Checkpoint(Path folder, CheckpointConfig config) {

    /**
     * Reads {@code folder/config.json} after checking that the folder is complete (marker present, file sizes as
     * listed there) and that every file still has the SHA-256 recorded in its {@code manifest.json}. {@code folder}
     * may also be a {@code last} pointer file ({@link CheckpointIO#followPointer}).
     */
    public static Checkpoint open(Path folderOrPointer) {
        Path folder = CheckpointIO.followPointer(folderOrPointer);
        if (!Files.isDirectory(folder)) {
            throw WorkbenchException.invalid(folder + ": no checkpoint folder there");
        }
        Path marker = folder.resolve(CheckpointIO.MARKER);
        if (!Files.isRegularFile(marker)) {
            throw WorkbenchException.invalid(folder + ": incomplete checkpoint (interrupted write?): no "
                    + CheckpointIO.MARKER + " marker; it cannot be loaded");
        }
        try {
            for (Map.Entry<String, Long> entry : CheckpointIO.readMarker(marker).entrySet()) {
                Path file = folder.resolve(entry.getKey());
                long size = Files.isRegularFile(file) ? Files.size(file) : -1;
                if (size != entry.getValue()) {
                    throw WorkbenchException.invalid(folder + ": " + entry.getKey() + " is "
                            + (size < 0 ? "missing" : size + " bytes") + " but " + CheckpointIO.MARKER + " lists "
                            + entry.getValue() + " bytes (changed or truncated after the checkpoint was written)");
                }
            }
            CheckpointManifest.verify(folder);
            Path config = folder.resolve(CheckpointIO.CONFIG);
            return new Checkpoint(folder, CheckpointConfig.fromJson(Files.readString(config), config));
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.INVALID_INPUT, folder + ": cannot read checkpoint: "
                    + e.getMessage(), e);
        }
    }

    public static boolean isComplete(Path folder) {
        return Files.isRegularFile(folder.resolve(CheckpointIO.MARKER));
    }

    public Path file(String name) {
        return folder.resolve(name);
    }

    /** The tokenizer of this checkpoint, read by {@code loader} from {@code tokenizer.json} (e.g. Tokenizers::load). */
    public Tokenizer loadTokenizer(Function<Path, Tokenizer> loader) {
        return loader.apply(file(Tokenizer.FILE));
    }

    /**
     * The language model, built by the family config.json names. An adapter checkpoint comes back with its adapters
     * attached (not merged) and everything else frozen, as after {@link Lora#apply}; otherwise every parameter is
     * trainable.
     */
    public LanguageModel loadLanguageModel(NDManager manager) {
        requireTask(Finetune.Task.LANGUAGE_MODEL);
        Architecture architecture = config.model();
        return load(architecture.family().languageModel(architecture), manager);
    }

    /** The classifier, with its head; adapters as for {@link #loadLanguageModel}. */
    public ClassifierModel loadClassifier(NDManager manager) {
        requireTask(Finetune.Task.CLASSIFIER);
        Architecture architecture = config.model();
        return load(ClassifierModel.of(architecture, config.labels().size(), config.pooling().orElseThrow()),
                manager);
    }

    /** Fills {@code model} from {@code model.safetensors} (names and shapes checked) and attaches stored adapters. */
    private <M extends TunableModel> M load(M model, NDManager manager) {
        TensorSource weights = read(CheckpointIO.WEIGHTS);
        checkNames(CheckpointIO.WEIGHTS, model.namedParameters().keySet(), weights.names());
        model.initializeParameters(manager, fromTensors(CheckpointIO.WEIGHTS, weights));
        if (config.lora().isPresent()) {
            TensorSource adapter = read(CheckpointIO.ADAPTER);
            BiFunction<String, Parameter, Initializer> stored = fromTensors(CheckpointIO.ADAPTER, adapter);
            Set<String> used = new HashSet<>(Lora.addAdapters(model, config.lora().get(),
                    name -> stored.apply(name, null)));
            checkNames(CheckpointIO.ADAPTER, used, adapter.names());
            Lora.freezeAllButAdapters(model);
        }
        return model;
    }

    /**
     * A new classifier whose trunk comes from this checkpoint (language model or classifier; adapters merged in) and
     * whose head is freshly initialised from {@code seed}. This is how a fine-tuned LM becomes a classifier's base.
     */
    public ClassifierModel loadClassifierBase(int numClasses, Finetune.Pooling pooling, long seed,
                                              NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            TunableModel source = config.task() == Finetune.Task.LANGUAGE_MODEL
                    ? loadLanguageModel(scratch) : loadClassifier(scratch);
            Lora.merge(source);
            // copied array by array from the scratch model, which goes when the classifier holds its own
            return Weights.classifierBase(config.model(), TensorSource.ofParameters(source.namedParameters()),
                    numClasses, pooling, seed, file(CheckpointIO.WEIGHTS).toString(), manager);
        }
    }

    private void requireTask(Finetune.Task task) {
        if (config.task() != task) {
            throw WorkbenchException.invalid(folder + ": is a " + CheckpointConfig.lower(config.task())
                    + " checkpoint, not a " + CheckpointConfig.lower(task) + " one");
        }
    }

    /** The file's tensors, header validated now, values read one at a time as parameters are created. */
    private TensorSource read(String name) {
        try {
            return Safetensors.open(file(name), tensor -> true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(name), e);
        }
    }

    private void checkNames(String file, Set<String> expected, Set<String> stored) {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(stored);
        Set<String> unexpected = new HashSet<>(stored);
        unexpected.removeAll(expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw WorkbenchException.invalid(file(file) + ": tensors do not match config.json: "
                    + missing.size() + " missing " + CheckpointIO.firstFew(missing) + ", "
                    + unexpected.size() + " unexpected " + CheckpointIO.firstFew(unexpected));
        }
    }

    /** Initializers that hand out the stored tensors, refusing any whose shape differs from the model's. */
    private BiFunction<String, Parameter, Initializer> fromTensors(String file, TensorSource tensors) {
        return (name, parameter) -> (manager, shape, dataType) -> {
            if (!tensors.names().contains(name)) {
                throw WorkbenchException.invalid(file(file) + ": no tensor '" + name + "'");
            }
            long[] stored = tensors.shape(name);
            if (!Arrays.equals(stored, shape.getShape())) {
                throw WorkbenchException.invalid(file(file) + ": tensor '" + name + "' has shape "
                        + new Shape(stored) + " but config.json describes a model that needs " + shape);
            }
            return Weights.array(tensors, name, shape, dataType, manager);
        };
    }
}
