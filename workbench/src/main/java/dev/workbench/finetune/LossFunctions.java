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

    /**
     * Cross-entropy with label smoothing per row of (B, C) logits, weighted, shape (B): PyTorch's
     * {@code CrossEntropyLoss(label_smoothing=epsilon, reduction='none')}, i.e. {@code (1 - epsilon) * -log p[label]
     * + epsilon * mean over the C classes of -log p[c]} (the target is {@code (1 - epsilon) onehot + epsilon / C}),
     * times the row's weight. With epsilon 0 it is {@link #nllPerRow} itself, to the bit.
     */
    public static NDArray smoothedNllPerRow(NDArray logits, NDArray labels, NDArray weights, double epsilon) {
        if (epsilon == 0) {
            return nllPerRow(logits, labels, weights);
        }
        NDArray logProbabilities = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
        NDArray picked = logProbabilities.gather(labels.toType(DataType.INT64, false).expandDims(-1), -1)
                .squeeze(-1);
        NDArray meanOverClasses = logProbabilities.mean(new int[] {-1});
        // The constants as arrays of the logits' manager, not mul(Number): autograd keeps them for the backward pass,
        // and DJL frees a Number's scalar right after the op (see model.Activations).
        NDArray keep = constantLike(logProbabilities, 1 - epsilon);
        NDArray spread = constantLike(logProbabilities, epsilon);
        return picked.mul(keep).add(meanOverClasses.mul(spread)).neg()
                .mul(weights.toType(DataType.FLOAT32, false));
    }

    /** A float scalar on {@code like}'s manager and device (a replica's arrays may sit on another device). */
    private static NDArray constantLike(NDArray like, double value) {
        NDArray constant = like.getManager().create((float) value);
        return constant.getDevice().equals(like.getDevice()) ? constant : constant.toDevice(like.getDevice(), false);
    }
}
