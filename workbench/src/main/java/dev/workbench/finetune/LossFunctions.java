package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Cross-entropy as sums, so callers choose the normaliser (token count of a whole accumulated step, bytes for
 * bits-per-byte). DJL's {@code SoftmaxCrossEntropyLoss} averages per batch and rejects (B, T, V) logits.
 */
public final class LossFunctions {
    private LossFunctions() {
    }

    /** The summed, weighted negative log-likelihood of one micro-batch under {@code model}: a scalar. */
    public static NDArray lossSum(ai.djl.nn.Block model, ai.djl.training.ParameterStore store, MicroBatch batch,
                                  boolean training) {
        // The logits handle is closed once the loss is built: autograd keeps what backward needs (log-softmax's
        // output, not its input), and a (tokens x vocabulary) array is the largest activation of a large-vocabulary
        // model (512 x 151,936 floats = 297 MiB for Qwen2.5), which would otherwise live until the step ends.
        try (NDArray logits = model.forward(store, batch.inputs(), training).head()) {
            return nllPerRow(logits, batch.labels(), batch.weights()).sum();
        }
    }

    /**
     * Negative log-likelihood in nats per row, weighted: for (B, T, V) logits with (B, T) labels and weights, the sum
     * over T of {@code -log softmax(logits)[label] * weight}, shape (B); for (B, C) logits with (B) labels, one value
     * per row, shape (B).
     */
    public static NDArray nllPerRow(NDArray logits, NDArray labels, NDArray weights) {
        NDArray logProbabilities = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
        NDArray picked = logProbabilities.gather(labels.toType(DataType.INT64, false).expandDims(-1), -1)
                .squeeze(-1);
        NDArray nll = picked.neg().mul(weights.toType(DataType.FLOAT32, false));
        return nll.getShape().dimension() == 2 ? nll.sum(new int[] {1}) : nll;
    }
}
