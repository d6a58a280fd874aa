package dev.workbench.model.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.workbench.model.KvCache;
import dev.workbench.model.NamedParameters;
import dev.workbench.model.Projections;
import dev.workbench.model.fused.FusedOps;

import java.util.List;
import java.util.Map;

/**
 * Multi-head causal self-attention with four separate projections q, k, v, o (so a LoRA adapter can wrap any of
 * them; DJL's ScaledDotProductAttentionBlock keeps its projections private).
 *
 * <p>Inputs: {@code x} (B, T, D) and an additive attention bias broadcastable to (B, H, T, T) that holds the causal
 * mask and, for padded batches, the key padding mask (0 = attend, large negative = never). Output: (B, T, D).
 *
 * <p>With the workbench's libtorch extension loaded ({@link FusedOps#enabled()}) the attention itself is one fused
 * scaled_dot_product_attention kernel (same arithmetic, no (B, H, T, T) score tensors kept for backward); otherwise
 * the explicit matmul / softmax / matmul below.
 */
public final class CausalSelfAttention extends AbstractBlock implements NamedParameters {
    private static final List<String> NAMES = List.of("q", "k", "v", "o");

    private final int heads;
    private final int dim;
    private final float dropout;
    private final Projections projections = new Projections("attention", children);

    public CausalSelfAttention(int dim, int heads, float dropout) {
        this.dim = dim;
        this.heads = heads;
        this.dropout = dropout;
        for (String name : NAMES) {
            projections.add(name, addChildBlock(name, Linear.builder().setUnits(dim).build()));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray attentionBias = inputs.get(1);
        long batch = x.getShape().get(0);
        long time = x.getShape().get(1);
        int headDim = dim / heads;
        NDArray q = splitHeads(project("q", store, x, training), batch, time, headDim);
        NDArray k = splitHeads(project("k", store, x, training), batch, time, headDim);
        NDArray v = splitHeads(project("v", store, x, training), batch, time, headDim);
        NDArray attended;
        if (FusedOps.enabled()) {
            attended = FusedOps.scaledDotProductAttention(q, k, v, attentionBias, training ? dropout : 0f);
        } else {
            // the scale as an array on x's manager, not mul(Number): see Activations.geluTanh (DJL frees that scalar
            // before backward)
            NDArray scale = x.getManager().create((float) (1.0 / Math.sqrt(headDim)));
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(attentionBias);
            NDArray probabilities = scores.softmax(-1);
            if (training && dropout > 0) {
                probabilities = Dropout.dropout(probabilities, dropout, true).head();
            }
            attended = probabilities.matMul(v);
        }
        NDArray merged = attended.transpose(0, 2, 1, 3).reshape(batch, time, dim);
        return new NDList(project("o", store, merged, training));
    }

    /**
     * Inference over the next positions of a text whose earlier keys and values are in {@code cache} (extended here).
     * {@code x} (B, n, D); {@code attentionBias} masks the new positions among themselves (null when n == 1: a single
     * new position may attend to everything before it). Same arithmetic as {@link #forwardInternal} without dropout.
     */
    NDArray forwardCached(ParameterStore store, NDArray x, NDArray attentionBias, KvCache.Layer cache) {
        long batch = x.getShape().get(0);
        long time = x.getShape().get(1);
        int headDim = dim / heads;
        NDArray q = splitHeads(project("q", store, x, false), batch, time, headDim);
        NDArray[] kv = cache.append(splitHeads(project("k", store, x, false), batch, time, headDim),
                splitHeads(project("v", store, x, false), batch, time, headDim));
        NDArray attended;
        if (FusedOps.enabled()) {
            attended = FusedOps.scaledDotProductAttention(q, kv[0], kv[1], attentionBias, 0f);
        } else {
            NDArray scale = x.getManager().create((float) (1.0 / Math.sqrt(headDim)));
            NDArray scores = q.matMul(kv[0].transpose(0, 1, 3, 2)).mul(scale);
            if (attentionBias != null) {
                scores = scores.add(attentionBias);
            }
            attended = scores.softmax(-1).matMul(kv[1]);
        }
        NDArray merged = attended.transpose(0, 2, 1, 3).reshape(batch, time, dim);
        return project("o", store, merged, false);
    }

    private NDArray project(String name, ParameterStore store, NDArray x, boolean training) {
        return projections.get(name).forward(store, new NDList(x), training).head();
    }

    private NDArray splitHeads(NDArray x, long batch, long time, int headDim) {
        return x.reshape(batch, time, heads, headDim).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (String name : NAMES) {
            projections.get(name).initialize(manager, dataType, inputShapes[0]);
        }
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        return projections.namedParameters();
    }

    /** q, k, v and o, for LoRA. */
    public Projections projections() {
        return projections;
    }
}
