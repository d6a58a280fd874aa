package dev.workbench.model.hf;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.GptModel;
import dev.workbench.model.Safetensors;
import dev.workbench.model.Tokenizer;
import dev.workbench.model.Tokenizers;
import dev.workbench.model.Weights;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a local Hugging Face GPT-2-family folder ({@code config.json}, {@code model.safetensors} or shards with
 * {@code model.safetensors.index.json}, {@code tokenizer.json}) as a workbench {@link GptModel} and {@link Tokenizer}.
 * Nothing is downloaded; weights are read in Java (F32, F16 and BF16 widened to F32), never unpickled.
 */
public final class HfGpt2Importer {

    private HfGpt2Importer() {
    }

    /** A model with its tokenizer, as {@link #load} gives it. */
    public record Imported(GptModel model, Tokenizer tokenizer, HfConfig config) {
    }

    /** Model and tokenizer of {@code folder}; the model's arrays live on {@code manager}, all trainable. */
    public static Imported load(Path folder, NDManager manager) {
        HfConfig config = config(folder);
        Tokenizer tokenizer = loadTokenizer(folder, config);
        return new Imported(loadModel(folder, config, manager), tokenizer, config);
    }

    /** The architecture in {@code folder/config.json}, refused when the workbench does not implement it. */
    public static HfConfig config(Path folder) {
        checkFolder(folder);
        return HfConfig.read(folder);
    }

    /**
     * Checks that {@code folder} is a complete model the workbench can load: config.json of a supported
     * architecture, a tokenizer that fits it, and every weights file present (read, not loaded).
     */
    public static void checkComplete(Path folder) {
        HfConfig config = config(folder);
        loadTokenizer(folder, config);
        ShardedSafetensors.requirePresent(folder);
    }

    public static GptModel loadModel(Path folder, NDManager manager) {
        return loadModel(folder, config(folder), manager);
    }

    private static GptModel loadModel(Path folder, HfConfig config, NDManager manager) {
        return Weights.languageModel(config.gpt(), workbenchTensors(folder, config), folder.toString(), manager);
    }

    /**
     * A classifier for fine-tuning: the trunk is the pretrained GPT-2 of {@code folder}, the head ({@code numClasses}
     * outputs, {@code pooling}) is freshly initialised from {@code seed}.
     */
    public static ClassifierModel loadClassifierBase(Path folder, int numClasses, Finetune.Pooling pooling, long seed,
                                                     NDManager manager) {
        HfConfig config = config(folder);
        return Weights.classifierBase(config.gpt(), workbenchTensors(folder, config), numClasses, pooling, seed,
                folder.toString(), manager);
    }

    private static Map<String, Safetensors.Tensor> workbenchTensors(Path folder, HfConfig config) {
        Map<String, Safetensors.Tensor> stored = ShardedSafetensors.read(folder, name -> !Gpt2Weights.isBuffer(name));
        return Gpt2Weights.toWorkbench(stored, config.gpt(), folder.toString());
    }

    /**
     * {@code folder/tokenizer.json} (or GPT-2's older {@code vocab.json} + {@code merges.txt}), checked against
     * config.json: its ids fit the embedding and it has the same end-of-text id.
     */
    public static Tokenizer loadTokenizer(Path folder) {
        return loadTokenizer(folder, config(folder));
    }

    private static Tokenizer loadTokenizer(Path folder, HfConfig config) {
        Path file = folder.resolve(Tokenizer.FILE);
        boolean pair = Files.isRegularFile(folder.resolve("vocab.json")) && Files.isRegularFile(folder.resolve("merges.txt"));
        if (!Files.isRegularFile(file) && !pair) {
            throw WorkbenchException.invalid(folder + ": no " + Tokenizer.FILE + " (nor the older vocab.json + "
                    + "merges.txt pair)");
        }
        Tokenizer tokenizer = Tokenizers.load(folder); // tokenizer.json, else vocab.json + merges.txt
        if (tokenizer.vocabSize() > config.gpt().vocabSize()) {
            throw WorkbenchException.invalid(file + ": has " + tokenizer.vocabSize() + " ids but config.json's "
                    + "vocab_size is " + config.gpt().vocabSize() + "; they belong to different models");
        }
        if (config.endOfTextId() >= 0 && config.endOfTextId() != tokenizer.endOfTextId()) {
            throw WorkbenchException.invalid(folder + ": config.json eos_token_id " + config.endOfTextId()
                    + " differs from the tokenizer's <|endoftext|> id " + tokenizer.endOfTextId());
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
