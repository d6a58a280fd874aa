package dev.workbench.model.gpt;

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
import dev.workbench.model.Trunk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * GPT-style causal language model: {@link Transformer} trunk, then logits = hidden x token_embedding^T (the output
 * projection is TIED to the token embedding: one parameter, {@code transformer.token_embedding.weight}).
 *
 * <p>Input: token ids (B, T) (optionally a (B, T) padding mask, see {@link Transformer}). Output: logits (B, T, V).
 * Parameters live in FP32 on the manager given at creation.
 */
public final class GptModel extends AbstractBlock implements LanguageModel {
    private final GptConfig config;
    private final Transformer transformer;

    /**
     * An uninitialised model; use {@link #create} or {@code Checkpoint.loadLanguageModel}. Public so that plain DJL
     * code can use it as a {@code Model}'s block and fill it from a checkpoint's {@code model.safetensors}
     * (docs/model.md, "Loading a checkpoint from plain DJL code").
     */
    public GptModel(GptConfig config) {
        this.config = config;
        this.transformer = addChildBlock(Trunk.NAME, new Transformer(config));
    }

    /** A freshly initialised model (GPT-2 scheme, deterministic given {@code seed}) with arrays on {@code manager}. */
    public static GptModel create(GptConfig config, long seed, NDManager manager) {
        return (GptModel) GptFamily.INSTANCE.newLanguageModel(config, seed, manager);
    }

    @Override
    public void initializeParameters(NDManager manager, BiFunction<String, Parameter, Initializer> initializers) {
        Init.initialize(this, this, manager, initializers, new Shape(1, config.contextLength()));
    }

    @Override
    public GptConfig architecture() {
        return config;
    }

    @Override
    public Transformer trunk() {
        return transformer;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray hidden = transformer.forward(store, inputs, training).head();
        NDArray table = store.getValue(transformer.tokenEmbedding(), hidden.getDevice(), training);
        return Linear.linear(hidden, table);
    }

    @Override
    public NDArray nextTokenLogits(ParameterStore store, NDArray ids, KvCache cache) {
        long time = ids.getShape().get(1);
        NDArray hidden = transformer.forwardCached(store, ids, cache);
        NDArray last = hidden.get(new NDIndex(":, {}:", time - 1));
        NDArray table = store.getValue(transformer.tokenEmbedding(), last.getDevice(), false);
        return Linear.linear(last, table).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        transformer.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        NamedParameters.addAll(named, Trunk.NAME, transformer);
        return named;
    }
}
