package dev.workbench.model.bert;

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
import dev.workbench.model.NamedParameters;
import dev.workbench.model.Projections;
import dev.workbench.model.fused.FusedOps;

import java.util.List;
import java.util.Map;

/**
 * Bidirectional multi-head self-attention with four separate projections q, k, v, o (each a LoRA site): every
 * position attends to every real token, none to padding.
 *
 * <p>Inputs: {@code x} (B, T, D) and, for padded batches, an additive key bias (B, 1, 1, T) (0 = attend, large
 * negative = padding); without it nothing is masked. Output: (B, T, D), before the residual and LayerNorm.
 */
final class SelfAttention extends AbstractBlock implements NamedParameters {
    private static final List<String> NAMES = List.of("q", "k", "v", "o");

    private final int heads;
    private final int dim;
    private final float dropout;
    private final Projections projections = new Projections("attention", children);

    SelfAttention(int dim, int heads, double dropout) {
        this.dim = dim;
        this.heads = heads;
        this.dropout = (float) dropout;
        for (String name : NAMES) {
            projections.add(name, addChildBlock(name, Linear.builder().setUnits(dim).build()));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        long batch = x.getShape().get(0);
        long time = x.getShape().get(1);
        int headDim = dim / heads;
        NDArray q = splitHeads(project("q", store, x, training), batch, time, headDim);
        NDArray k = splitHeads(project("k", store, x, training), batch, time, headDim);
        NDArray v = splitHeads(project("v", store, x, training), batch, time, headDim);
        NDArray attended;
        if (FusedOps.enabled()) { // one fused kernel when the workbench's libtorch extension is loaded
            attended = FusedOps.scaledDotProductAttention(q, k, v, inputs.size() > 1 ? inputs.get(1) : null,
                    training ? dropout : 0f);
        } else {
            // an array on x's manager, not mul(Number): DJL 0.36 frees a Number's scalar before the backward pass
            NDArray scale = x.getManager().create((float) (1.0 / Math.sqrt(headDim)));
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale);
            if (inputs.size() > 1) {
                scores = scores.add(inputs.get(1));
            }
            NDArray probabilities = scores.softmax(-1);
            if (training && dropout > 0) {
                probabilities = Dropout.dropout(probabilities, dropout, true).head();
            }
            attended = probabilities.matMul(v);
        }
        NDArray merged = attended.transpose(0, 2, 1, 3).reshape(batch, time, dim);
        return new NDList(project("o", store, merged, training));
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
    Projections projections() {
        return projections;
    }
}
