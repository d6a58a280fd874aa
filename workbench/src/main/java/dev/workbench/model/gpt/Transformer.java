package dev.workbench.model.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.workbench.model.AttentionBias;
import dev.workbench.model.KvCache;
import dev.workbench.model.LayerNormBlock;
import dev.workbench.model.NamedParameters;
import dev.workbench.model.ParameterGroup;
import dev.workbench.model.Trunk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GPT trunk, shared by {@link GptModel} and a classifier on it: token + learned position embeddings, the decoder
 * blocks and a final LayerNorm.
 *
 * <p>Inputs: token ids (B, T) of any integer type, T at most {@code contextLength}; optionally a padding mask (B, T)
 * with 1 for real tokens and 0 for padding, which stops every position attending to padded keys; or, for packed
 * rows, segment ids and position ids (B, T) ({@link AttentionBias#packed}). Output: hidden states (B, T, D).
 */
public final class Transformer extends AbstractBlock implements Trunk {
    private static final String TOKEN_EMBEDDING = "token_embedding.weight";
    private static final String POSITION_EMBEDDING = "position_embedding.weight";
    private static final String BLOCKS = "blocks.";
    private static final String FINAL_NORM = "final_norm";

    private final GptConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNormBlock finalNorm;

    public Transformer(GptConfig config) {
        this.config = config;
        tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), config.embeddingDim())).build());
        positionEmbedding = addParameter(Parameter.builder().setName("position_embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.contextLength(), config.embeddingDim())).build());
        for (int i = 0; i < config.layers(); i++) {
            blocks.add(addChildBlock(BLOCKS + i, new TransformerBlock(config)));
        }
        finalNorm = addChildBlock(FINAL_NORM, new LayerNormBlock(config.embeddingDim()));
    }

    @Override
    public GptConfig architecture() {
        return config;
    }

    /** Embeddings, {@code blocks.N.*} (adapters included), and the final norm. */
    @Override
    public ParameterGroup group(String name) {
        if (name.equals(TOKEN_EMBEDDING) || name.equals(POSITION_EMBEDDING)) {
            return ParameterGroup.EMBEDDINGS;
        }
        Optional<ParameterGroup> layer = Trunk.layerGroup(name, BLOCKS);
        if (layer.isPresent()) {
            return layer.get();
        }
        if (name.startsWith(FINAL_NORM + ".")) {
            return ParameterGroup.FINAL;
        }
        throw new IllegalArgumentException("the GPT trunk has no parameter '" + name + "'");
    }

    /** q, k, v, o in the block's attention, up and down in its MLP. */
    @Override
    public Projection projection(int layer, String role) {
        TransformerBlock block = blocks.get(layer);
        return Projection.inLayer(BLOCKS, layer, block.attention().projections(), block.mlp().projections(), role,
                "a GPT block", config.projectionRoles());
    }

    /** (vocab, D): looked up for the input and, tied, used as the language model's output projection. */
    public Parameter tokenEmbedding() {
        return tokenEmbedding;
    }

    public Parameter positionEmbedding() {
        return positionEmbedding;
    }

    public List<TransformerBlock> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        if (ids.getShape().dimension() != 2) {
            throw new IllegalArgumentException("token ids must be (batch, time), got " + ids.getShape());
        }
        long time = ids.getShape().get(1);
        if (time > config.contextLength()) {
            throw new IllegalArgumentException(
                    "sequence of " + time + " tokens exceeds context_length " + config.contextLength());
        }
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        NDArray table = store.getValue(tokenEmbedding, ids.getDevice(), training);
        NDArray positions = store.getValue(positionEmbedding, ids.getDevice(), training);
        // the slice is attached to the batch's manager: attached to the parameter's, one would leak per step
        boolean packed = AttentionBias.isPacked(inputs);
        // packed rows: each segment's positions from its position ids (counting from 0), so it is embedded as alone
        NDArray positionVectors = packed
                ? Embedding.embedding(inputs.get(2).toType(DataType.INT64, false), positions, SparseFormat.DENSE)
                        .head()
                : positions.get(ids.getManager(), new NDIndex("0:{}", time));
        NDArray x = Embedding.embedding(ids, table, SparseFormat.DENSE).head().add(positionVectors);
        if (training && config.dropout() > 0) {
            x = Dropout.dropout(x, (float) config.dropout(), true).head();
        }
        NDArray attentionBias = packed ? AttentionBias.packed(inputs.get(1))
                : AttentionBias.causal(ids.getManager(), time, inputs.size() > 1 ? inputs.get(1) : null);
        for (TransformerBlock block : blocks) {
            x = block.forward(store, new NDList(x, attentionBias), training).head();
        }
        return finalNorm.forward(store, new NDList(x), training);
    }

    /**
     * Hidden states (B, n, D) of the next n positions of a text whose earlier positions are in {@code cache}. Either
     * the cache is empty (a prompt: causal mask among the n) or n == 1 (one new token sees all before it). Positions
     * {@code cache.length() .. + n - 1} must stay within the context.
     */
    NDArray forwardCached(ParameterStore store, NDArray ids, KvCache cache) {
        long time = ids.getShape().get(1);
        int offset = cache.length();
        if (offset > 0 && time != 1) {
            throw new IllegalArgumentException("after the prompt the cache extends one token at a time, got " + time);
        }
        if (offset + time > config.contextLength()) {
            throw new IllegalArgumentException("position " + (offset + time - 1) + " is beyond context_length "
                    + config.contextLength() + "; the caller slides the window without the cache");
        }
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        NDArray table = store.getValue(tokenEmbedding, ids.getDevice(), false);
        NDArray positions = store.getValue(positionEmbedding, ids.getDevice(), false);
        NDArray x = Embedding.embedding(ids, table, SparseFormat.DENSE).head()
                .add(positions.get(ids.getManager(), new NDIndex("{}:{}", offset, offset + time)));
        NDArray attentionBias = time == 1 ? null : AttentionBias.causal(ids.getManager(), time, null);
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forwardCached(store, x, attentionBias, cache.layer(i));
        }
        cache.advance((int) time);
        return finalNorm.forward(store, new NDList(x), false).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.embeddingDim())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        Shape hidden = new Shape(ids.get(0), ids.get(1), config.embeddingDim());
        Shape bias = new Shape(ids.get(0), 1, ids.get(1), ids.get(1));
        for (TransformerBlock block : blocks) {
            block.initialize(manager, dataType, hidden, bias);
        }
        finalNorm.initialize(manager, dataType, hidden);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put(TOKEN_EMBEDDING, tokenEmbedding);
        named.put(POSITION_EMBEDDING, positionEmbedding);
        for (int i = 0; i < blocks.size(); i++) {
            NamedParameters.addAll(named, BLOCKS + i, blocks.get(i));
        }
        NamedParameters.addAll(named, FINAL_NORM, finalNorm);
        return named;
    }
}
