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
import dev.workbench.model.Activations;
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
            case GELU_TANH -> Activations.geluTanh(x);
        };
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
