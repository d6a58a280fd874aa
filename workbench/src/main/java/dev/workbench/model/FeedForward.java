package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Position-wise feed-forward {@code down(act(up(x)))} of the families with an ungated MLP: GPT-2 (a 4x wider hidden
 * layer) and the BERT encoders ({@code intermediate_size}; BERT's "intermediate" and "output" dense layers,
 * DistilBERT's lin1 and lin2). {@code act} is the family config's GELU (exact or tanh). Up and down are LoRA sites.
 */
public final class FeedForward extends AbstractBlock implements NamedParameters {
    private final int intermediate;
    private final UnaryOperator<NDArray> activation;
    private final Projections projections = new Projections("mlp", children);

    public FeedForward(int dim, int intermediate, UnaryOperator<NDArray> activation) {
        this.intermediate = intermediate;
        this.activation = activation;
        projections.add("up", addChildBlock("up", Linear.builder().setUnits(intermediate).build()));
        projections.add("down", addChildBlock("down", Linear.builder().setUnits(dim).build()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray hidden = projections.get("up").forward(store, new NDList(inputs.head()), training).head();
        return projections.get("down").forward(store, new NDList(activation.apply(hidden)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        projections.get("up").initialize(manager, dataType, in);
        projections.get("down").initialize(manager, dataType, in.slice(0, in.dimension() - 1).add(intermediate));
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        return projections.namedParameters();
    }

    /** up and down, for LoRA. */
    public Projections projections() {
        return projections;
    }
}
