package dev.workbench.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.workbench.model.NamedParameters;
import dev.workbench.model.Projections;

import java.util.Map;

/**
 * Position-wise feed-forward of an encoder layer: {@code down(act(up(x)))} with an {@code intermediate_size} hidden
 * layer (BERT's "intermediate" and "output" dense layers; DistilBERT's lin1 and lin2). Up and down are LoRA sites.
 */
final class FeedForward extends AbstractBlock implements NamedParameters {
    private final int intermediate;
    private final BertConfig.Activation activation;
    private final Projections projections = new Projections("mlp", children);

    FeedForward(int dim, int intermediate, BertConfig.Activation activation) {
        this.intermediate = intermediate;
        this.activation = activation;
        projections.add("up", addChildBlock("up", Linear.builder().setUnits(intermediate).build()));
        projections.add("down", addChildBlock("down", Linear.builder().setUnits(dim).build()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray hidden = projections.get("up").forward(store, new NDList(inputs.head()), training).head();
        return projections.get("down").forward(store, new NDList(activate(hidden)), training);
    }

    private NDArray activate(NDArray x) {
        return switch (activation) {
            case GELU -> Activation.gelu(x);
            case GELU_TANH -> geluTanh(x);
        };
    }

    /**
     * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). The constants are arrays on x's manager, not
     * {@code mul(Number)}: DJL 0.36 closes a Number's scalar right after the op while autograd still needs it.
     */
    private static NDArray geluTanh(NDArray x) {
        NDManager manager = x.getManager();
        NDArray cubic = manager.create(0.044715f);
        NDArray scale = manager.create((float) Math.sqrt(2 / Math.PI));
        NDArray half = manager.create(0.5f);
        NDArray u = x.mul(x).mul(x).mul(cubic).add(x).mul(scale);
        return u.tanh().mul(half).add(half).mul(x);
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
    Projections projections() {
        return projections;
    }
}
