package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The additive attention biases the families share: a large negative number where a query must not look (a later
 * position under causal attention, a padding key), 0 elsewhere. Added to the scores before the softmax, as
 * transformers' eager attention does with its float mask.
 */
public final class AttentionBias {
    /** What a masked score gets: large enough that its softmax weight is 0 in FP32, finite so that 0 x it is 0. */
    public static final float MASKED = -1e9f;

    private AttentionBias() {
    }

    /**
     * The name of a bias that {@link #causal} made without a padding mask: it masks exactly the later positions, so a
     * fused kernel may use its own causal masking instead of reading it (see {@link #isPlainCausal}).
     */
    static final String PLAIN_CAUSAL = "workbench.causal";

    /** (1, 1, T, T) causal bias, plus (B, 1, 1, T) key-padding bias when a mask (B, T; 1 = token) is given. */
    public static NDArray causal(NDManager manager, long time, NDArray paddingMask) {
        NDArray rows = manager.arange(time).reshape(time, 1);
        NDArray columns = manager.arange(time).reshape(1, time);
        NDArray bias = columns.gt(rows).toType(DataType.FLOAT32, false).mul(MASKED).reshape(1, 1, time, time);
        if (paddingMask == null) {
            bias.setName(PLAIN_CAUSAL);
            return bias;
        }
        return bias.add(padding(paddingMask));
    }

    /**
     * Whether {@code bias} is the plain causal bias of {@link #causal} (no padding), known by the name given there:
     * an op's result carries no name, so a mask derived from it never passes for plain causal.
     */
    public static boolean isPlainCausal(NDArray bias) {
        return bias != null && PLAIN_CAUSAL.equals(bias.getName());
    }

    /** (B, 1, 1, T) bias that hides the padding keys of a mask (B, T; 1 = token, 0 = padding). */
    public static NDArray padding(NDArray paddingMask) {
        long time = paddingMask.getShape().get(1);
        return paddingMask.toType(DataType.FLOAT32, false).neg().add(1f).mul(MASKED)
                .reshape(paddingMask.getShape().get(0), 1, 1, time);
    }

    /**
     * (B, 1, T, T) bias for rows that pack several sequences: causal, and a query sees only keys of its own segment
     * ({@code segments} (B, T), any integer ids; padding is a segment of its own, so its rows stay finite).
     */
    public static NDArray packed(NDArray segments) {
        long batch = segments.getShape().get(0);
        long time = segments.getShape().get(1);
        NDArray ids = segments.toType(DataType.INT64, false);
        NDArray other = ids.reshape(batch, 1, time, 1).neq(ids.reshape(batch, 1, 1, time))
                .toType(DataType.FLOAT32, false).mul(MASKED);
        return causal(segments.getManager(), time, null).add(other).maximum(MASKED);
    }

    /**
     * The packed inputs of a trunk's forward, when given: {@code (ids, segments, positions)}, three arrays (B, T). A
     * trunk's forward takes (ids), (ids, padding mask) or these; see {@link LanguageModel}.
     */
    public static boolean isPacked(ai.djl.ndarray.NDList inputs) {
        return inputs.size() == 3;
    }
}
