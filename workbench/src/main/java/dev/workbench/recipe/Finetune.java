package dev.workbench.recipe;

import java.util.List;
import java.util.Optional;

/**
 * What to fine-tune and how.
 *
 * @param tasks LANGUAGE_MODEL (needs corpus.text) and/or CLASSIFIER (needs corpus.labelled)
 * @param freeze with method FREEZE: what stays fixed
 * @param lora with method LORA: the adapters
 * @param labelSmoothing the classifier's cross-entropy with label smoothing epsilon in [0, 1), as PyTorch's
 *     {@code CrossEntropyLoss(label_smoothing=epsilon)}: {@code (1 - epsilon) NLL + epsilon mean over classes of
 *     -log p}; 0 = plain cross-entropy
 * @param classWeights the classifier's per-example loss weights by class
 */
public record Finetune(List<Task> tasks, Method method, Optional<Freeze> freeze, Optional<Lora> lora,
                       Pooling classifierPooling, double labelSmoothing, ClassWeights classWeights) {

    public enum Task { LANGUAGE_MODEL, CLASSIFIER }

    public enum Method { FULL, FREEZE, LORA }

    public enum Pooling { MEAN, LAST }

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
