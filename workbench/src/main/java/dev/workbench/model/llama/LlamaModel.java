package dev.workbench.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.workbench.model.Init;
import dev.workbench.model.KvCache;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.NamedParameters;
import dev.workbench.model.ParameterGroup;
import dev.workbench.model.Trunk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Llama-style causal language model: the {@link LlamaTrunk}, then logits = hidden x W^T with W the token embedding
 * (tied, one parameter) or an output projection of its own, {@code lm_head.weight} ({@link ParameterGroup#OUTPUT}).
 *
 * <p>Input: token ids (B, T), optionally a (B, T) padding mask. Output: logits (B, T, V). Parameters are FP32.
 */
public final class LlamaModel extends AbstractBlock implements LanguageModel {
    /** The untied output projection's parameter name. */
    public static final String OUTPUT = "lm_head.weight";

    private final LlamaConfig config;
    private final LlamaTrunk trunk;
    private final Parameter output;

    public LlamaModel(LlamaConfig config) {
        this.config = config;
        this.trunk = addChildBlock(Trunk.NAME, new LlamaTrunk(config));
        this.output = config.tiedEmbeddings() ? null : addParameter(Parameter.builder().setName("lm_head")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.vocabSize(), config.embeddingDim()))
                .build());
    }

    @Override
    public void initializeParameters(NDManager manager, BiFunction<String, Parameter, Initializer> initializers) {
        Init.initialize(this, this, manager, initializers, new Shape(1, config.contextLength()));
    }

    @Override
    public LlamaConfig architecture() {
        return config;
    }

    @Override
    public Trunk trunk() {
        return trunk;
    }

    @Override
    public ParameterGroup group(String name) {
        return name.equals(OUTPUT) ? ParameterGroup.OUTPUT : LanguageModel.super.group(name);
    }

    private Parameter outputWeight() {
        return output != null ? output : trunk.tokenEmbedding();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray hidden = trunk.forward(store, inputs, training).head();
        return Linear.linear(hidden, store.getValue(outputWeight(), hidden.getDevice(), training));
    }

    @Override
    public NDArray nextTokenLogits(ParameterStore store, NDArray ids, KvCache cache) {
        long time = ids.getShape().get(1);
        NDArray hidden = trunk.forwardCached(store, ids, cache);
        NDArray last = hidden.get(new NDIndex(":, {}:", time - 1));
        return Linear.linear(last, store.getValue(outputWeight(), last.getDevice(), false)).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        NamedParameters.addAll(named, Trunk.NAME, trunk);
        if (output != null) {
            named.put(OUTPUT, output);
        }
        return named;
    }
}
