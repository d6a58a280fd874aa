package dev.workbench.model.hf;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.Architecture;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.ModelFamily;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.model.tokenizer.Tokenizers;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a {@code --checkpoint} argument names: a workbench checkpoint folder ({@code runs/x/checkpoints/final}) or,
 * with the prefix {@code hf:}, a local Hugging Face folder ({@code hf:models/distilgpt2}). Commands call
 * {@link #resolve} and then load the language model and tokenizer the same way for both.
 */
public sealed interface CheckpointRef permits CheckpointRef.Workbench, CheckpointRef.HuggingFace {
    String HF_PREFIX = "hf:";

    /**
     * Parses and opens {@code ref}. A workbench folder must be complete ({@link Checkpoint#open}); an {@code hf:}
     * folder must hold a supported config.json ({@link HfImporter#config}). Weights are read later, on load.
     *
     * @throws WorkbenchException INVALID_INPUT naming the folder and the problem
     */
    static CheckpointRef resolve(String ref) {
        if (ref.startsWith(HF_PREFIX)) {
            Path folder = Path.of(ref.substring(HF_PREFIX.length()));
            return new HuggingFace(folder, HfImporter.config(folder));
        }
        Path folder = Path.of(ref);
        if (!Checkpoint.isComplete(folder) && looksLikeHf(folder)) {
            throw WorkbenchException.invalid(folder + ": looks like a Hugging Face model folder; write hf:" + ref
                    + " to import it");
        }
        return new Workbench(Checkpoint.open(folder));
    }

    /** A folder without the workbench's COMPLETE marker whose config.json has HF's "model_type" key. */
    private static boolean looksLikeHf(Path folder) {
        if (!Files.isRegularFile(folder.resolve(HfConfig.FILE))) {
            return false;
        }
        try {
            return Files.readString(folder.resolve(HfConfig.FILE)).contains("\"model_type\"");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The folder named, without the prefix. */
    Path folder();

    /** The architecture, known without reading weights. */
    Architecture architecture();

    /**
     * The language model on {@code manager}. A workbench adapter checkpoint comes back with its LoRA adapters attached
     * (see {@link Checkpoint#loadLanguageModel}); an HF model is plain, every parameter trainable.
     */
    LanguageModel loadLanguageModel(NDManager manager);

    Tokenizer loadTokenizer();

    /**
     * The workbench checkpoint behind this reference, for commands that need more than a language model (a
     * classifier for {@code predict}, training state for resuming).
     *
     * @param purpose what the caller wants, for the error message ("predict needs a classifier checkpoint")
     * @throws WorkbenchException INVALID_INPUT for an {@code hf:} reference
     */
    Checkpoint requireWorkbench(String purpose);

    /** A workbench checkpoint folder. */
    record Workbench(Checkpoint checkpoint) implements CheckpointRef {
        @Override
        public Path folder() {
            return checkpoint.folder();
        }

        @Override
        public Architecture architecture() {
            return checkpoint.config().model();
        }

        @Override
        public LanguageModel loadLanguageModel(NDManager manager) {
            return checkpoint.loadLanguageModel(manager);
        }

        @Override
        public Tokenizer loadTokenizer() {
            return checkpoint.loadTokenizer(Tokenizers::load);
        }

        @Override
        public Checkpoint requireWorkbench(String purpose) {
            return checkpoint;
        }
    }

    /** A local Hugging Face folder ({@code hf:PATH}). */
    record HuggingFace(Path folder, ModelFamily.HfArchitecture config) implements CheckpointRef {
        @Override
        public Architecture architecture() {
            return config.architecture();
        }

        @Override
        public LanguageModel loadLanguageModel(NDManager manager) {
            return HfImporter.loadModel(folder, manager);
        }

        @Override
        public Tokenizer loadTokenizer() {
            return HfImporter.loadTokenizer(folder);
        }

        @Override
        public Checkpoint requireWorkbench(String purpose) {
            throw WorkbenchException.invalid(HF_PREFIX + folder + ": is a Hugging Face model folder, not a "
                    + "workbench checkpoint; " + purpose + " (fine-tune it with a recipe first)");
        }
    }
}
