package dev.workbench.model.llama;

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
 * SwiGLU feed-forward of a Llama-style layer: {@code down(silu(gate(x)) * up(x))} with silu(z) = z * sigmoid(z).
 * Projections gate, up and down are separate so LoRA can wrap any of them.
 */
final class GatedMlp extends AbstractBlock implements NamedParameters {
    private final LlamaConfig config;
    private final Projections projections = new Projections("mlp", children);

    GatedMlp(LlamaConfig config) {
        this.config = config;
        add("gate", config.intermediateSize());
        add("up", config.intermediateSize());
        add("down", config.embeddingDim());
    }

    private void add(String name, int units) {
        projections.add(name, addChildBlock(name, Linear.builder().setUnits(units).optBias(config.mlpBias()).build()));
    }

    Projections projections() {
        return projections;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray gate = projections.get("gate").forward(store, new NDList(x), training).head();
        NDArray up = projections.get("up").forward(store, new NDList(x), training).head();
        NDArray hidden = gate.mul(Activation.sigmoid(gate)).mul(up);
        return projections.get("down").forward(store, new NDList(hidden), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        projections.get("gate").initialize(manager, dataType, in);
        projections.get("up").initialize(manager, dataType, in);
        projections.get("down").initialize(manager, dataType,
                in.slice(0, in.dimension() - 1).add(config.intermediateSize()));
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        return projections.namedParameters();
    }
}
