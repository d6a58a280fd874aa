package dev.workbench.model.hf;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.Architecture;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.ModelFamily;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.io.TensorSource;
import dev.workbench.model.io.Weights;
import dev.workbench.model.tokenizer.HfTokenizer;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.model.tokenizer.Tokenizers;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Loads a local Hugging Face model folder ({@code config.json}, {@code model.safetensors} or shards with
 * {@code model.safetensors.index.json}, {@code tokenizer.json}) as a workbench {@link LanguageModel} and
 * {@link Tokenizer}. config.json's {@code model_type} picks the family ({@link HfConfig}), which maps the weights.
 * Nothing is downloaded; weights are read in Java (F32, F16 and BF16 widened to F32), never unpickled.
 */
public final class HfImporter {

    private HfImporter() {
    }

    /** A model with its tokenizer, as {@link #load} gives it. */
    public record Imported(LanguageModel model, Tokenizer tokenizer, ModelFamily.HfArchitecture config) {
    }

    /** Model and tokenizer of {@code folder}; the model's arrays live on {@code manager}, all trainable. */
    public static Imported load(Path folder, NDManager manager) {
        ModelFamily.HfArchitecture config = config(folder);
        Tokenizer tokenizer = loadTokenizer(folder, config);
        return new Imported(loadModel(folder, config, manager), tokenizer, config);
    }

    /** The architecture in {@code folder/config.json}, refused when the workbench does not implement it. */
    public static ModelFamily.HfArchitecture config(Path folder) {
        checkFolder(folder);
        return HfConfig.read(folder);
    }

    /**
     * Checks that {@code folder} is a complete model the workbench can load: config.json of a supported
     * architecture, a tokenizer that fits it, and every weights file present (read, not loaded).
     */
    public static void checkComplete(Path folder) {
        ModelFamily.HfArchitecture config = config(folder);
        loadTokenizer(folder, config);
        ShardedSafetensors.requirePresent(folder);
    }

    public static LanguageModel loadModel(Path folder, NDManager manager) {
        return loadModel(folder, config(folder), manager);
    }

    private static LanguageModel loadModel(Path folder, ModelFamily.HfArchitecture config, NDManager manager) {
        return Weights.languageModel(config.architecture(), workbenchTensors(folder, config.architecture()),
                folder.toString(), manager);
    }

    /**
     * A classifier for fine-tuning: the trunk is the pretrained model of {@code folder}, the head ({@code numClasses}
     * outputs, {@code pooling}) is freshly initialised from {@code seed}.
     */
    public static ClassifierModel loadClassifierBase(Path folder, int numClasses, Finetune.Pooling pooling, long seed,
                                                     NDManager manager) {
        Architecture architecture = config(folder).architecture();
        return Weights.classifierBase(architecture, workbenchTensors(folder, architecture), numClasses, pooling,
                seed, folder.toString(), manager);
    }

    /** The folder's weights under the family's names, validated now and read one tensor at a time on load. */
    private static TensorSource workbenchTensors(Path folder, Architecture architecture) {
        ModelFamily family = architecture.family();
        TensorSource stored = ShardedSafetensors.open(folder, name -> !family.isHfBuffer(name));
        return family.fromHf(stored, architecture, folder.toString());
    }

    /**
     * {@code folder/tokenizer.json} (or GPT-2's older {@code vocab.json} + {@code merges.txt}), checked against
     * config.json: its ids fit the embedding and it has the same end-of-text id.
     */
    public static Tokenizer loadTokenizer(Path folder) {
        return loadTokenizer(folder, config(folder));
    }

    private static Tokenizer loadTokenizer(Path folder, ModelFamily.HfArchitecture config) {
        Path file = folder.resolve(Tokenizer.FILE);
        boolean pair = Files.isRegularFile(folder.resolve("vocab.json")) && Files.isRegularFile(folder.resolve("merges.txt"));
        if (!Files.isRegularFile(file) && !pair) {
            throw WorkbenchException.invalid(folder + ": no " + Tokenizer.FILE + " (nor the older vocab.json + "
                    + "merges.txt pair)");
        }
        // any tokenizer.json through the Hugging Face library, with tokenizer_config.json's special tokens; GPT-2's
        // older vocab.json + merges.txt pair through the workbench's byte-level BPE
        Tokenizer tokenizer = Files.isRegularFile(file)
                ? HfTokenizer.load(folder, config.endOfTextId() >= 0 ? OptionalInt.of(config.endOfTextId())
                        : OptionalInt.empty())
                : Tokenizers.load(folder);
        int vocabSize = config.architecture().vocabSize();
        if (tokenizer.vocabSize() > vocabSize) {
            throw WorkbenchException.invalid(file + ": has " + tokenizer.vocabSize() + " ids but config.json's "
                    + "vocab_size is " + vocabSize + "; they belong to different models");
        }
        if (config.endOfTextId() >= 0 && config.endOfTextId() != tokenizer.endOfTextId()) {
            throw WorkbenchException.invalid(folder + ": config.json eos_token_id " + config.endOfTextId()
                    + " differs from the tokenizer's end-of-text id " + tokenizer.endOfTextId()
                    + " (tokenizer_config.json eos_token); they belong to different models");
        }
        return tokenizer;
    }

    private static void checkFolder(Path folder) {
        String name = folder.getFileName() == null ? "" : folder.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(folder)) {
            if (name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".ckpt")) {
                throw WorkbenchException.invalid(folder + ": " + Safetensors.PICKLE_REFUSAL);
            }
            throw WorkbenchException.invalid(folder + ": is a file; give the Hugging Face model folder that holds "
                    + "config.json, model.safetensors and tokenizer.json");
        }
        if (!Files.isDirectory(folder)) {
            throw WorkbenchException.invalid(folder + ": no such Hugging Face model folder");
        }
    }
}
