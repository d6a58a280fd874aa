package dev.workbench.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.workbench.model.NamedParameters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LayerNorm over the last axis with the encoder's epsilon (BERT 1e-12, RoBERTa 1e-5) and PyTorch's parameter names
 * {@code weight} / {@code bias}. DJL's {@link LayerNorm} block normalises over every axis but the batch and names its
 * parameters gamma/beta, so only its static kernel is used.
 */
final class Norm extends AbstractBlock implements NamedParameters {
    private final int dim;
    private final float epsilon;
    private final Parameter weight;
    private final Parameter bias;

    Norm(int dim, double epsilon) {
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
