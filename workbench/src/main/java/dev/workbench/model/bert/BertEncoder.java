package dev.workbench.model.bert;

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
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.workbench.model.AttentionBias;
import dev.workbench.model.LayerNormBlock;
import dev.workbench.model.NamedParameters;
import dev.workbench.model.ParameterGroup;
import dev.workbench.model.Trunk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The BERT-style encoder trunk (BERT, RoBERTa, DistilBERT): token + learned absolute position (+ token type 0)
 * embeddings and their LayerNorm, post-LayerNorm {@link BertLayer}s with bidirectional attention, and, when the
 * architecture has one, BERT's pooler (dense + tanh over the first token) for CLS pooling.
 *
 * <p>Inputs: token ids (B, T), T at most the context; optionally a padding mask (B, T) (1 = token, 0 = padding, padding
 * on the right), which keeps every position from attending to padding and, for RoBERTa, gives padding its position.
 * Output: the last layer's hidden states (B, T, D), as Hugging Face's {@code last_hidden_state}.
 */
public final class BertEncoder extends AbstractBlock implements Trunk {
    private static final String TOKEN_EMBEDDING = "token_embedding.weight";
    private static final String POSITION_EMBEDDING = "position_embedding.weight";
    private static final String TOKEN_TYPE_EMBEDDING = "token_type_embedding.weight";
    private static final String EMBEDDING_NORM = "embedding_norm";
    private static final String BLOCKS = "blocks.";
    private static final String POOLER = "pooler";

    private final BertConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final Parameter tokenTypeEmbedding;
    private final LayerNormBlock embeddingNorm;
    private final List<BertLayer> blocks = new ArrayList<>();
    private final Linear pooler;

    public BertEncoder(BertConfig config) {
        this.config = config;
        int d = config.embeddingDim();
        tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), d)).build());
        positionEmbedding = addParameter(Parameter.builder().setName("position_embedding")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.maxPositions(), d)).build());
        tokenTypeEmbedding = config.typeVocabSize() == 0 ? null : addParameter(Parameter.builder()
                .setName("token_type_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.typeVocabSize(), d)).build());
        embeddingNorm = addChildBlock(EMBEDDING_NORM, new LayerNormBlock(d, config.layerNormEpsilon()));
        for (int i = 0; i < config.layers(); i++) {
            blocks.add(addChildBlock(BLOCKS + i, new BertLayer(config)));
        }
        pooler = config.pooler() ? addChildBlock(POOLER, Linear.builder().setUnits(d).build()) : null;
    }

    @Override
    public BertConfig architecture() {
        return config;
    }

    /** The three tables and their LayerNorm are the embeddings, {@code blocks.N.*} layer N, the pooler after them. */
    @Override
    public ParameterGroup group(String name) {
        if (name.equals(TOKEN_EMBEDDING) || name.equals(POSITION_EMBEDDING) || name.equals(TOKEN_TYPE_EMBEDDING)
                || name.startsWith(EMBEDDING_NORM + ".")) {
            return ParameterGroup.EMBEDDINGS;
        }
        Optional<ParameterGroup> layer = Trunk.layerGroup(name, BLOCKS);
        if (layer.isPresent()) {
            return layer.get();
        }
        if (name.startsWith(POOLER + ".")) {
            return ParameterGroup.FINAL;
        }
        throw new IllegalArgumentException("the BERT trunk has no parameter '" + name + "'");
    }

    /** q, k, v, o in the layer's attention, up and down in its feed-forward. */
    @Override
    public Projection projection(int layer, String role) {
        BertLayer block = blocks.get(layer);
        return Projection.inLayer(BLOCKS, layer, block.attention().projections(), block.mlp().projections(), role,
                "a BERT layer", config.projectionRoles());
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
            throw new IllegalArgumentException("sequence of " + time + " tokens exceeds the encoder's "
                    + config.contextLength() + " positions");
        }
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        NDManager manager = ids.getManager();
        NDArray mask = inputs.size() > 1 ? inputs.get(1).toType(DataType.FLOAT32, false) : null;
        NDArray x = Embedding.embedding(ids, store.getValue(tokenEmbedding, ids.getDevice(), training),
                SparseFormat.DENSE).head();
        x = x.add(positions(store, manager, ids, mask, time, training));
        if (tokenTypeEmbedding != null) {
            // one text per example: every token has type 0 (the second segment's type 1 is never used)
            x = x.add(store.getValue(tokenTypeEmbedding, ids.getDevice(), training).get(manager, new NDIndex("0:1")));
        }
        x = embeddingNorm.forward(store, new NDList(x), training).head();
        if (training && config.dropout() > 0) {
            x = Dropout.dropout(x, (float) config.dropout(), true).head();
        }
        NDList extra = mask == null ? new NDList() : new NDList(AttentionBias.padding(mask));
        for (BertLayer block : blocks) {
            NDList blockInputs = new NDList(x);
            blockInputs.addAll(extra);
            x = block.forward(store, blockInputs, training).head();
        }
        return new NDList(x);
    }

    /**
     * Position embeddings (B or 1, T, D): row i for token i; RoBERTa counts real tokens from
     * {@code position_padding_index + 1} and gives padding that index, as Hugging Face derives them from the ids.
     */
    private NDArray positions(ParameterStore store, NDManager manager, NDArray ids, NDArray mask, long time,
                              boolean training) {
        NDArray table = store.getValue(positionEmbedding, ids.getDevice(), training);
        if (config.positionPaddingIndex() < 0) {
            // the slice is attached to the batch's manager: attached to the parameter's, one would leak per step
            return table.get(manager, new NDIndex("0:{}", time));
        }
        NDArray real = mask != null ? mask : manager.ones(ids.getShape(), DataType.FLOAT32);
        NDArray positionIds = real.cumSum(1).mul(real).add((float) config.positionPaddingIndex())
                .toType(DataType.INT64, false);
        return Embedding.embedding(positionIds, table, SparseFormat.DENSE).head();
    }

    /** BERT's pooler, {@code tanh(W first + b)}, when the trunk has one; the first token's state as is otherwise. */
    @Override
    public NDArray poolFirst(ParameterStore store, NDArray first, boolean training) {
        return pooler == null ? first : pooler.forward(store, new NDList(first), training).head().tanh();
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
        Shape bias = new Shape(ids.get(0), 1, 1, ids.get(1));
        embeddingNorm.initialize(manager, dataType, hidden);
        for (BertLayer block : blocks) {
            block.initialize(manager, dataType, hidden, bias);
        }
        if (pooler != null) {
            pooler.initialize(manager, dataType, new Shape(ids.get(0), config.embeddingDim()));
        }
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put(TOKEN_EMBEDDING, tokenEmbedding);
        named.put(POSITION_EMBEDDING, positionEmbedding);
        if (tokenTypeEmbedding != null) {
            named.put(TOKEN_TYPE_EMBEDDING, tokenTypeEmbedding);
        }
        NamedParameters.addAll(named, EMBEDDING_NORM, embeddingNorm);
        for (int i = 0; i < blocks.size(); i++) {
            NamedParameters.addAll(named, BLOCKS + i, blocks.get(i));
        }
        if (pooler != null) {
            NamedParameters.addAll(named, POOLER, pooler);
        }
        return named;
    }
}
