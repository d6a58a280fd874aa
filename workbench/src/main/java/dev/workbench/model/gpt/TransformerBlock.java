package dev.workbench.model.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.workbench.model.FeedForward;
import dev.workbench.model.KvCache;
import dev.workbench.model.LayerNormBlock;
import dev.workbench.model.NamedParameters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pre-LayerNorm decoder block (GPT-2): {@code x + drop(attention(ln1(x)))}, then {@code x + drop(mlp(ln2(x)))}.
 * Inputs: x (B, T, D) and the additive attention bias (see {@link CausalSelfAttention}).
 */
public final class TransformerBlock extends AbstractBlock implements NamedParameters {
    private final float dropout;
    private final LayerNormBlock ln1;
    private final CausalSelfAttention attention;
    private final LayerNormBlock ln2;
    private final FeedForward mlp;

    public TransformerBlock(GptConfig config) {
        this.dropout = (float) config.dropout();
        ln1 = addChildBlock("ln1", new LayerNormBlock(config.embeddingDim()));
        attention = addChildBlock("attention",
                new CausalSelfAttention(config.embeddingDim(), config.heads(), (float) config.dropout()));
        ln2 = addChildBlock("ln2", new LayerNormBlock(config.embeddingDim()));
        mlp = addChildBlock("mlp", new FeedForward(config.embeddingDim(), 4 * config.embeddingDim(),
                config.activation()::apply));
    }

    public CausalSelfAttention attention() {
        return attention;
    }

    public FeedForward mlp() {
        return mlp;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray attentionBias = inputs.get(1);
        NDArray normed = ln1.forward(store, new NDList(x), training).head();
        NDArray attended = attention.forward(store, new NDList(normed, attentionBias), training).head();
        x = x.add(drop(attended, training));
        NDArray fed = mlp.forward(store, new NDList(ln2.forward(store, new NDList(x), training).head()), training)
                .head();
        return new NDList(x.add(drop(fed, training)));
    }

    /** Inference over new positions with a key/value cache (see {@link CausalSelfAttention#forwardCached}). */
    NDArray forwardCached(ParameterStore store, NDArray x, NDArray attentionBias, KvCache.Layer cache) {
        NDArray normed = ln1.forward(store, new NDList(x), false).head();
        x = x.add(attention.forwardCached(store, normed, attentionBias, cache));
        return x.add(mlp.forward(store, new NDList(ln2.forward(store, new NDList(x), false).head()), false).head());
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0 ? Dropout.dropout(x, dropout, true).head() : x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        ln1.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x, inputShapes[1]);
        ln2.initialize(manager, dataType, x);
        mlp.initialize(manager, dataType, x);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        NamedParameters.addAll(named, "ln1", ln1);
        NamedParameters.addAll(named, "attention", attention);
        NamedParameters.addAll(named, "ln2", ln2);
        NamedParameters.addAll(named, "mlp", mlp);
        return named;
    }
}
