package dev.workbench.model.hf;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.Architecture;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.ModelFamily;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a workbench language model as a Hugging Face folder that transformers and {@link HfImporter} load:
 * {@code config.json} and {@code model.safetensors} in the family's Hugging Face layout (GPT-2: F32,
 * {@code GPT2LMHeadModel} names, Conv1D layout, no {@code lm_head.weight} since it is tied) and {@code tokenizer.json}.
 *
 * <p>The folder is assembled in a temporary sibling and renamed into place, so {@code out} either does not exist or is
 * complete; it holds those three files only (no store marker: the folder leaves the workbench).
 */
public final class HfExporter {
    /** Files of an exported folder. */
    public static final String CONFIG = HfConfig.FILE;
    public static final String WEIGHTS = ShardedSafetensors.SINGLE;

    private HfExporter() {
    }

    /**
     * Exports what {@code ref} names: a workbench language-model checkpoint (LoRA adapters merged into the weights
     * first) or an {@code hf:} folder (re-written in canonical form). The tokenizer file is copied byte for byte
     * (or written as tokenizer.json from an HF folder's vocab.json + merges.txt).
     *
     * @return {@code out}
     * @throws WorkbenchException INVALID_INPUT if {@code out} exists or the checkpoint is not a language model
     */
    public static Path export(CheckpointRef ref, Path out) throws IOException {
        return export(ref, out, Adapters.MERGED);
    }

    /**
     * Exports what {@code ref} names with its LoRA adapters {@code adapters}: merged into the weights, or as a PEFT
     * adapter in {@code out/adapter/} next to the unchanged base weights in {@code out/}.
     */
    public static Path export(CheckpointRef ref, Path out, Adapters adapters) throws IOException {
        if (ref instanceof CheckpointRef.Workbench workbench
                && workbench.checkpoint().config().task() == dev.workbench.recipe.Finetune.Task.CLASSIFIER) {
            return exportClassifier(workbench.checkpoint(), out, adapters);
        }
        Tokenizer tokenizer = ref.loadTokenizer();
        Path tokenizerFile = ref.folder().resolve(Tokenizer.FILE);
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel model = ref.loadLanguageModel(manager);
            TokenizerWriter writer = Files.isRegularFile(tokenizerFile)
                    ? staging -> CheckpointIO.copyTokenizer(ref.folder(), staging)
                    : tokenizer::save; // an HF folder with only vocab.json + merges.txt
            return write(model, tokenizer.endOfTextId(), writer, out, adapters);
        }
    }

    /**
     * A classifier checkpoint as its family's transformers sequence-classification model
     * ({@link dev.workbench.model.ModelFamily#toHfClassifier}: so far BERT with CLS pooling through the pooler,
     * {@code BertForSequenceClassification}; other classifiers are refused saying why), LoRA adapters merged, with
     * the checkpoint's tokenizer files as they are.
     */
    private static Path exportClassifier(Checkpoint checkpoint, Path out, Adapters adapters) throws IOException {
        CheckpointConfig config = checkpoint.config();
        if (Files.exists(out)) {
            throw WorkbenchException.invalid(out + ": already exists; choose a new --out folder");
        }
        if (adapters == Adapters.PEFT) {
            throw WorkbenchException.invalid(checkpoint.folder() + ": is a classifier checkpoint; --lora peft "
                    + "exports language models' adapters only (a classifier's adapters are exported merged)");
        }
        if (config.tokenizer() != dev.workbench.recipe.BaseModel.TokenizerKind.FILE) {
            throw WorkbenchException.invalid(checkpoint.folder() + ": its tokenizer is the workbench's own ("
                    + config.tokenizer().name().toLowerCase() + "), which transformers cannot load; --format hf "
                    + "exports classifiers with a Hugging Face tokenizer.json");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierModel model = checkpoint.loadClassifier(manager);
            Lora.merge(model);
            Map<String, Safetensors.Tensor> plain = new java.util.LinkedHashMap<>(CheckpointIO.tensors(model));
            plain.keySet().removeIf(Lora::isAdapter);
            Architecture architecture = model.architecture();
            ModelFamily.HfClassifier hf = architecture.family().toHfClassifier(architecture, model.pooling(),
                    config.labels(), plain);
            Path staging = AtomicDirectory.staging(out);
            try {
                Files.writeString(staging.resolve(CONFIG), hf.configJson());
                Safetensors.write(staging.resolve(WEIGHTS), hf.tensors(), Safetensors.DType.F32,
                        Map.of("format", "pt"));
                CheckpointIO.copyTokenizer(checkpoint.folder(), staging);
                shareable(staging);
                return AtomicDirectory.publish(staging, out);
            } finally {
                AtomicDirectory.deleteRecursively(staging);
            }
        }
    }

    /** Exports {@code model} (its adapters are merged into it: the model is changed) with {@code tokenizer}. */
    public static Path export(LanguageModel model, Tokenizer tokenizer, Path out) throws IOException {
        return write(model, tokenizer.endOfTextId(), tokenizer::save, out, Adapters.MERGED);
    }

    /** Exports {@code model} with its adapters as {@code adapters} says (merging changes the model). */
    public static Path export(LanguageModel model, Tokenizer tokenizer, Path out, Adapters adapters)
            throws IOException {
        return write(model, tokenizer.endOfTextId(), tokenizer::save, out, adapters);
    }

    /** How LoRA adapters leave the workbench. */
    public enum Adapters {
        /** folded into the weights: a plain model (a model without adapters is exported as it is) */
        MERGED,
        /**
         * PEFT's layout in {@code out/adapter/} ({@link PeftAdapter#CONFIG}, {@link PeftAdapter#WEIGHTS}), the base
         * weights unchanged in {@code out/}: {@code PeftModel.from_pretrained(AutoModelForCausalLM
         * .from_pretrained(out), out + "/adapter")}
         */
        PEFT
    }

    /**
     * The staging folder is a private temporary directory (0700) and some writers make private temporary files (0600);
     * an exported model is meant to be shared, so on POSIX file systems it gets the usual 0755 / 0644.
     */
    private static void shareable(Path folder) throws IOException {
        if (!folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    @FunctionalInterface
    private interface TokenizerWriter {
        void write(Path folder) throws IOException;
    }

    private static Path write(LanguageModel model, int endOfTextId, TokenizerWriter tokenizer, Path out,
                              Adapters adapters) throws IOException {
        if (Files.exists(out)) {
            throw WorkbenchException.invalid(out + ": already exists; choose a new --out folder");
        }
        PeftAdapter peft = adapters == Adapters.PEFT ? PeftAdapter.of(model) : null;
        if (peft == null) {
            Lora.merge(model);
        }
        Map<String, Safetensors.Tensor> plain = new java.util.LinkedHashMap<>(CheckpointIO.tensors(model));
        plain.keySet().removeIf(Lora::isAdapter); // the base weights keep their names under an adapter
        Map<String, Safetensors.Tensor> hf = model.architecture().family().toHf(plain, model.architecture());
        Path staging = AtomicDirectory.staging(out);
        try {
            Files.writeString(staging.resolve(CONFIG), HfConfig.toJson(model.architecture(), endOfTextId));
            Safetensors.write(staging.resolve(WEIGHTS), hf, Safetensors.DType.F32, Map.of("format", "pt"));
            tokenizer.write(staging);
            if (peft != null) {
                peft.write(Files.createDirectory(staging.resolve(PeftAdapter.FOLDER)));
                shareable(staging.resolve(PeftAdapter.FOLDER));
            }
            shareable(staging);
            return AtomicDirectory.publish(staging, out);
        } finally {
            AtomicDirectory.deleteRecursively(staging);
        }
    }
}
