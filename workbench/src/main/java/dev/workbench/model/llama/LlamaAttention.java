package dev.workbench.model.llama;

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

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Causal self-attention of a Llama-style layer: projections q, k, v, o (separate, so LoRA can wrap any), grouped-query
 * attention ({@code kvHeads} key/value heads, each shared by {@code heads / kvHeads} query heads, as transformers'
 * {@code repeat_kv}), optional biases on q/k/v (Qwen2) and o, optional RMSNorms {@code q_norm} / {@code k_norm} over
 * each head (Qwen3, applied before the rotation), rotary positions ({@link Rotary}), scores scaled by
 * {@code 1/sqrt(headDim)}.
 *
 * <p>Inputs: x (B, T, D), an additive attention bias broadcastable to (B, H, T, T) (causal and padding), and the
 * rotary tables cos, sin (1, 1, T, headDim). Output (B, T, D).
 */
final class LlamaAttention extends AbstractBlock implements NamedParameters {
    private final LlamaConfig config;
    private final Projections projections = new Projections("attention", children);
    private final RmsNorm queryNorm;
    private final RmsNorm keyNorm;

    LlamaAttention(LlamaConfig config) {
        this.config = config;
        add("q", config.queryDim(), config.qkvBias());
        add("k", config.keyValueDim(), config.qkvBias());
        add("v", config.keyValueDim(), config.qkvBias());
        add("o", config.embeddingDim(), config.outputBias());
        queryNorm = config.qkNorm() ? addChildBlock("q_norm", new RmsNorm(config.headDim(), config.rmsNormEps()))
                : null;
        keyNorm = config.qkNorm() ? addChildBlock("k_norm", new RmsNorm(config.headDim(), config.rmsNormEps()))
                : null;
    }

    private void add(String name, int units, boolean bias) {
        projections.add(name, addChildBlock(name, Linear.builder().setUnits(units).optBias(bias).build()));
    }

    Projections projections() {
        return projections;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray attentionBias = inputs.get(1);
        long batch = x.getShape().get(0);
        long time = x.getShape().get(1);
        NDArray q = heads(store, "q", x, config.heads(), queryNorm, inputs.get(2), inputs.get(3), training);
        NDArray k = heads(store, "k", x, config.kvHeads(), keyNorm, inputs.get(2), inputs.get(3), training);
        NDArray v = heads(store, "v", x, config.kvHeads(), null, null, null, training);
        NDArray merged = attend(q, repeatKv(k), repeatKv(v), attentionBias, training);
        return new NDList(project("o", store, merged.transpose(0, 2, 1, 3).reshape(batch, time, config.queryDim()),
                training));
    }

    /**
     * Inference over the next positions of a text whose earlier keys and values (rotated, before the key/value heads
     * are repeated) are in {@code cache}, extended here. {@code attentionBias} masks the new positions among
     * themselves; null when there is one new position.
     */
    NDArray forwardCached(ParameterStore store, NDArray x, NDArray attentionBias, NDArray cos, NDArray sin,
                          KvCache.Layer cache) {
        long batch = x.getShape().get(0);
        long time = x.getShape().get(1);
        NDArray q = heads(store, "q", x, config.heads(), queryNorm, cos, sin, false);
        NDArray[] kv = cache.append(heads(store, "k", x, config.kvHeads(), keyNorm, cos, sin, false),
                heads(store, "v", x, config.kvHeads(), null, null, null, false));
        NDArray merged = attend(q, repeatKv(kv[0]), repeatKv(kv[1]), attentionBias, false);
        return project("o", store, merged.transpose(0, 2, 1, 3).reshape(batch, time, config.queryDim()), false);
    }

    /** softmax(q k^T / sqrt(headDim) + bias) v, (B, H, T, headDim). */
    private NDArray attend(NDArray q, NDArray k, NDArray v, NDArray attentionBias, boolean training) {
        if (FusedOps.enabled()) { // one fused kernel when the workbench's libtorch extension is loaded
            return FusedOps.scaledDotProductAttention(q, k, v, attentionBias,
                    training ? (float) config.dropout() : 0f);
        }
        // the scale as an array on q's manager, not mul(Number): DJL frees that scalar before the backward pass
        NDArray scale = q.getManager().create((float) (1.0 / Math.sqrt(config.headDim())));
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale);
        if (attentionBias != null) {
            scores = scores.add(attentionBias);
        }
        NDArray probabilities = scores.softmax(-1);
        if (training && config.dropout() > 0) {
            probabilities = Dropout.dropout(probabilities, (float) config.dropout(), true).head();
        }
        return probabilities.matMul(v);
    }

    /** The projection {@code name} of x split into (B, heads, T, headDim), normed per head and rotated if asked. */
    private NDArray heads(ParameterStore store, String name, NDArray x, int count, RmsNorm norm, NDArray cos,
                          NDArray sin, boolean training) {
        long batch = x.getShape().get(0);
        long time = x.getShape().get(1);
        NDArray split = project(name, store, x, training).reshape(batch, time, count, config.headDim());
        if (norm != null) {
            split = norm.apply(store, split, training);
        }
        split = split.transpose(0, 2, 1, 3);
        return cos == null ? split : Rotary.apply(split, cos, sin);
    }

    /** (B, kvHeads, T, d) to (B, heads, T, d): key/value head h serves query heads h*g .. h*g + g - 1. */
    private NDArray repeatKv(NDArray x) {
        int group = config.heads() / config.kvHeads();
        if (group == 1) {
            return x;
        }
        Shape shape = x.getShape();
        return x.expandDims(2).repeat(2, group)
                .reshape(shape.get(0), (long) config.heads(), shape.get(2), shape.get(3));
    }

    private NDArray project(String name, ParameterStore store, NDArray x, boolean training) {
        return projections.get(name).forward(store, new NDList(x), training).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        for (String name : new String[] {"q", "k", "v"}) {
            projections.get(name).initialize(manager, dataType, x);
        }
        projections.get("o").initialize(manager, dataType,
                x.slice(0, x.dimension() - 1).add(config.queryDim()));
        Shape head = new Shape(x.get(0), x.get(1), config.heads(), config.headDim());
        if (queryNorm != null) {
            queryNorm.initialize(manager, dataType, head);
            keyNorm.initialize(manager, dataType, head);
        }
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>(projections.namedParameters());
        if (queryNorm != null) {
            NamedParameters.addAll(named, "q_norm", queryNorm);
            NamedParameters.addAll(named, "k_norm", keyNorm);
        }
        return named;
    }
}
