package dev.workbench.recipe;

import java.util.List;
import java.util.Optional;

/**
 * What to fine-tune and how.
 *
 * @param tasks LANGUAGE_MODEL (needs corpus.text) and/or CLASSIFIER (needs corpus.labelled)
 * @param freeze with method FREEZE: what stays fixed
 * @param lora with method LORA: the adapters
 */
public record Finetune(List<Task> tasks, Method method, Optional<Freeze> freeze, Optional<Lora> lora,
                       Pooling classifierPooling) {

    public enum Task { LANGUAGE_MODEL, CLASSIFIER }

    public enum Method { FULL, FREEZE, LORA }

    public enum Pooling { MEAN, LAST }

    /** @param layers the first N transformer blocks stay frozen */
    public record Freeze(boolean embeddings, int layers) {
    }

    /** @param targets projections that get adapters: q, k, v, o (attention), gate (gated MLPs), up, down (MLP) */
    public record Lora(int rank, double alpha, double dropout, List<String> targets) {
    }
}
