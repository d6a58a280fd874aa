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
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

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
public final class GptModel extends AbstractBlock implements NamedParameters {
    static final String TRUNK = "transformer";

    private final GptConfig config;
    private final Transformer transformer;

    /**
     * An uninitialised model; use {@link #create} or {@link Checkpoint#loadLanguageModel}. Public so that plain DJL
     * code can use it as a {@code Model}'s block and fill it from a checkpoint's {@code model.safetensors}
     * (docs/model.md, "Loading a checkpoint from plain DJL code").
     */
    public GptModel(GptConfig config) {
        this.config = config;
        this.transformer = addChildBlock(TRUNK, new Transformer(config));
    }

    /** A freshly initialised model (GPT-2 scheme, deterministic given {@code seed}) with arrays on {@code manager}. */
    public static GptModel create(GptConfig config, long seed, NDManager manager) {
        GptModel model = new GptModel(config);
        model.initialize(manager, (name, parameter) -> Init.gpt2(config, seed, name, parameter));
        return model;
    }

    void initialize(NDManager manager, BiFunction<String, Parameter, Initializer> initializers) {
        Init.initialize(this, this, manager, initializers, new Shape(1, config.contextLength()));
    }

    public GptConfig config() {
        return config;
    }

    public Transformer transformer() {
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
        Names.addAll(named, TRUNK, transformer);
        return named;
    }
}
