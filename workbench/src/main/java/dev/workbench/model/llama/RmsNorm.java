package dev.workbench.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.workbench.model.NamedParameters;

import java.util.Map;

/**
 * Root-mean-square normalisation over the last axis, {@code weight * x / sqrt(mean(x^2) + eps)}, with its one parameter
 * named {@code weight} as in PyTorch. DJL has no RMSNorm. The epsilon is an array on x's manager, not {@code
 * add(Number)}: DJL frees such scalars before the backward pass (docs/model.md, "sporadic non-finite gradients").
 */
final class RmsNorm extends AbstractBlock implements NamedParameters {
    private final float epsilon;
    private final Parameter weight;

    RmsNorm(int dim, double epsilon) {
        this.epsilon = (float) epsilon;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(dim)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        return new NDList(normalize(x, w));
    }

    NDArray normalize(NDArray x, NDArray w) {
        int last = x.getShape().dimension() - 1;
        NDArray meanSquare = x.mul(x).mean(new int[] {last}, true);
        NDArray scale = meanSquare.add(x.getManager().create(epsilon)).sqrt();
        return x.div(scale).mul(w);
    }

    /** The block's own weight on {@code store}, for callers that normalise inside another block's forward. */
    NDArray apply(ParameterStore store, NDArray x, boolean training) {
        return normalize(x, store.getValue(weight, x.getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        return Map.of("weight", weight);
    }
}
