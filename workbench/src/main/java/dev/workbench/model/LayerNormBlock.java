package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layer normalisation over the last axis only, with parameters named {@code weight} and {@code bias} like PyTorch's.
 * DJL's {@link LayerNorm} block normalises over every axis but the batch by default and names its parameters
 * gamma/beta; its static kernel is used here.
 */
public final class LayerNormBlock extends AbstractBlock implements NamedParameters {
    /** PyTorch's default, GPT-2's. */
    private static final double DEFAULT_EPSILON = 1e-5;

    private final int dim;
    private final float epsilon;
    private final Parameter weight;
    private final Parameter bias;

    public LayerNormBlock(int dim) {
        this(dim, DEFAULT_EPSILON);
    }

    /** @param epsilon added to the variance (BERT 1e-12, RoBERTa 1e-5: config.json's {@code layer_norm_eps}) */
    public LayerNormBlock(int dim, double epsilon) {
        this.dim = dim;
        this.epsilon = (float) epsilon;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(dim)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                .optShape(new Shape(dim)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        return LayerNorm.layerNorm(x, new Shape(dim), w, b, epsilon);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put("weight", weight);
        named.put("bias", bias);
        return named;
    }
}
