package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A causal language model of any family.
 *
 * <p>Forward ({@link ai.djl.nn.Block#forward}): token ids (B, T), optionally with a padding mask (B, T) (1 = token,
 * 0 = padding), to next-token logits (B, T, {@link Architecture#vocabSize}). Packed rows (several sequences in one
 * row, the instruct task's packing) pass three arrays (B, T): ids, segment ids (a position attends only to earlier
 * positions of its own segment) and position ids (each segment's positions count from 0): then every sequence's
 * logits are those it gets alone ({@link AttentionBias#packed}).
 */
public interface LanguageModel extends TunableModel {

    /**
     * Next-token logits (B, 1, V) after {@code ids} (B, n), for a text whose earlier positions are in {@code cache}
     * (extended here): either the cache is empty (a prompt, causal among its n tokens) or n == 1. Positions
     * {@code cache.length() .. + n - 1} must stay within the context; {@link Generator} slides the window without the
     * cache beyond it. No dropout.
     */
    NDArray nextTokenLogits(ParameterStore store, NDArray ids, KvCache cache);
}
