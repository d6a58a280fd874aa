package dev.workbench.recipe;

import java.util.List;
import java.util.Optional;

/**
 * What to fine-tune and how.
 *
 * @param tasks LANGUAGE_MODEL (needs corpus.text) and/or CLASSIFIER (needs corpus.labelled)
 * @param freeze with method FREEZE: what stays fixed
 * @param lora with method LORA: the adapters
 * @param classifierPooling the recipe's choice; empty: the base model family's default (a decoder MEAN, an encoder
 *     CLS), which the plan resolves once the base is known
 * @param labelSmoothing the classifier's cross-entropy with label smoothing epsilon in [0, 1), as PyTorch's
 *     {@code CrossEntropyLoss(label_smoothing=epsilon)}: {@code (1 - epsilon) NLL + epsilon mean over classes of
 *     -log p}; 0 = plain cross-entropy
 * @param classWeights the classifier's per-example loss weights by class
 */
public record Finetune(List<Task> tasks, Method method, Optional<Freeze> freeze, Optional<Lora> lora,
                       Optional<Pooling> classifierPooling, double labelSmoothing, ClassWeights classWeights,
                       Instruct instruct) {

    /**
     * LANGUAGE_MODEL: next-token prediction on corpus.text. CLASSIFIER: corpus.labelled. INSTRUCT: a causal LM trained
     * on corpus.instructions' conversations through a chat template; exclusive with LANGUAGE_MODEL (both would
     * write the one causal-LM checkpoint the later stages use).
     */
    public enum Task { LANGUAGE_MODEL, CLASSIFIER, INSTRUCT }

    /** A recipe without the instruct settings (their defaults). */
    public Finetune(List<Task> tasks, Method method, Optional<Freeze> freeze, Optional<Lora> lora,
                    Optional<Pooling> classifierPooling, double labelSmoothing, ClassWeights classWeights) {
        this(tasks, method, freeze, lora, classifierPooling, labelSmoothing, classWeights, Instruct.DEFAULTS);
    }

    /**
     * The instruct task's settings.
     *
     * @param chatTemplate {@code auto} (the base folder's tokenizer_config.json chat_template, else alpaca), a
     *     built-in name ({@code chatml}, {@code llama3}, {@code alpaca}) or a path to a .jinja file (resolved against
     *     the recipe's folder)
     * @param trainOnPrompt false: the loss counts only assistant tokens (content and end of turn); true: every token
     * @param packing several conversations per training window, attention and positions kept apart per conversation
     */
    public record Instruct(String chatTemplate, boolean trainOnPrompt, boolean packing) {
        public static final String AUTO = "auto";
        public static final Instruct DEFAULTS = new Instruct(AUTO, false, true);
    }

    public enum Method { FULL, FREEZE, LORA }

    /**
     * How a classifier turns token states into one vector: MEAN over the real tokens; the LAST real token (a causal
     * decoder's only position that has seen the whole text); CLS, the first token (an encoder's [CLS] / {@code <s>}),
     * through the base's pretrained pooler when it has one (BERT).
     */
    public enum Pooling { MEAN, LAST, CLS }

    /** A recipe that names its pooling and trains with plain cross-entropy. */
    public Finetune(List<Task> tasks, Method method, Optional<Freeze> freeze, Optional<Lora> lora, Pooling pooling) {
        this(tasks, method, freeze, lora, Optional.of(pooling), 0, ClassWeights.NONE, Instruct.DEFAULTS);
    }

    /**
     * NONE: every example weighs 1. BALANCED: scikit-learn's {@code n_samples / (n_classes * count_c)}, counted on the
     * training split, so every class carries the same total weight.
     */
    public enum ClassWeights { NONE, BALANCED }

    /** @param layers the first N transformer blocks stay frozen */
    public record Freeze(boolean embeddings, int layers) {
    }

    /** @param targets projections that get adapters: q, k, v, o (attention), gate (gated MLPs), up, down (MLP) */
    public record Lora(int rank, double alpha, double dropout, List<String> targets) {
    }
}
