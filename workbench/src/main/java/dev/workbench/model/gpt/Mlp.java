package dev.workbench.model.gpt;

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
 * Position-wise feed-forward: {@code down(act(up(x)))} with a 4x wider hidden layer, as in GPT-2; {@code act} is exact
 * GELU or GPT-2's tanh approximation ({@link GptConfig.Activation}).
 */
public final class Mlp extends AbstractBlock implements NamedParameters {
    private final int dim;
    private final GptConfig.Activation activation;
    private final Projections projections = new Projections("mlp", children);

    public Mlp(int dim) {
        this(dim, GptConfig.Activation.GELU);
    }

    public Mlp(int dim, GptConfig.Activation activation) {
        this.dim = dim;
        this.activation = activation;
        projections.add("up", addChildBlock("up", Linear.builder().setUnits(4L * dim).build()));
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
        Shape hidden = in.slice(0, in.dimension() - 1).add(4L * dim);
        projections.get("down").initialize(manager, dataType, hidden);
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
