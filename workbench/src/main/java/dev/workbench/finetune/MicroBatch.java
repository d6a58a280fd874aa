package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One forward/backward pass worth of data.
 *
 * @param inputs what the model's forward takes (token ids, attention mask, ...)
 * @param labels target ids: (B, T) next tokens for a language model, (B) class ids for a classifier
 * @param weights 1 where a label counts, 0 for padding; same shape as {@code labels}
 * @param units how many labels count ({@code sum(weights)}): the loss of an optimizer step is divided by the units of
 *     ALL its micro-batches together, so accumulation over unequal micro-batches equals one big batch
 * @param tokens input tokens processed, for tokens/s
 */
public record MicroBatch(NDList inputs, NDArray labels, NDArray weights, long units, long tokens) {
}
