package dev.workbench.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.workbench.model.AttentionBias;
import dev.workbench.model.KvCache;
import dev.workbench.model.NamedParameters;
import dev.workbench.model.ParameterGroup;
import dev.workbench.model.Trunk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Llama trunk, shared by {@link LlamaModel} and a classifier on it: token embedding (no position embedding:
 * positions are rotary, inside attention), the decoder layers and a final RMSNorm.
 *
 * <p>Inputs: token ids (B, T), T at most {@code contextLength}; optionally a padding mask (B, T), 1 = token, 0 =
 * padding (right padding: positions count from 0 in every row); or, for packed rows, segment ids and position ids
 * (B, T) ({@link AttentionBias#packed}), the rotary tables then taken per position id. Output: hidden states
 * (B, T, D).
 */
final class LlamaTrunk extends AbstractBlock implements Trunk {
    /** Added to attention scores that must be ignored; finite so that a fully masked row gives no NaN. */
    static final String TOKEN_EMBEDDING = "token_embedding.weight";
    static final String LAYERS = "layers.";
    static final String FINAL_NORM = "final_norm";

    private final LlamaConfig config;
    private final Rotary rotary;
    private final Parameter tokenEmbedding;
    private final List<LlamaLayer> layers = new ArrayList<>();
    private final RmsNorm finalNorm;

    LlamaTrunk(LlamaConfig config) {
        this.config = config;
        this.rotary = new Rotary(config);
        tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), config.embeddingDim())).build());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock(LAYERS + i, new LlamaLayer(config)));
        }
        finalNorm = addChildBlock(FINAL_NORM, new RmsNorm(config.embeddingDim(), config.rmsNormEps()));
    }

    @Override
    public LlamaConfig architecture() {
        return config;
    }

    Parameter tokenEmbedding() {
        return tokenEmbedding;
    }

    @Override
    public ParameterGroup group(String name) {
        if (name.equals(TOKEN_EMBEDDING)) {
            return ParameterGroup.EMBEDDINGS;
        }
        Optional<ParameterGroup> layer = Trunk.layerGroup(name, LAYERS);
        if (layer.isPresent()) {
            return layer.get();
        }
        if (name.startsWith(FINAL_NORM + ".")) {
            return ParameterGroup.FINAL;
        }
        throw new IllegalArgumentException("the Llama trunk has no parameter '" + name + "'");
    }

    /** q, k, v, o in the layer's attention; gate, up, down in its MLP. */
    @Override
    public Projection projection(int layer, String role) {
        LlamaLayer block = layers.get(layer);
        return Projection.inLayer(LAYERS, layer, block.attention().projections(), block.mlp().projections(), role,
                "a Llama layer", config.projectionRoles());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        if (ids.getShape().dimension() != 2) {
            throw new IllegalArgumentException("token ids must be (batch, time), got " + ids.getShape());
        }
        int time = Math.toIntExact(ids.getShape().get(1));
        if (time > config.contextLength()) {
            throw new IllegalArgumentException(
                    "sequence of " + time + " tokens exceeds context_length " + config.contextLength());
        }
        NDArray x = embed(store, ids, training);
        boolean packed = AttentionBias.isPacked(inputs);
        NDArray bias = packed ? AttentionBias.packed(inputs.get(1))
                : AttentionBias.causal(ids.getManager(), time, inputs.size() > 1 ? inputs.get(1) : null);
        NDArray[] rotation = rotary.tables(ids.getManager(), 0, time);
        if (packed) {
            // each packed segment rotated by its own positions (from 0): rows of the tables picked by position id
            NDArray positions = inputs.get(2).toType(DataType.INT64, false);
            for (int i = 0; i < 2; i++) {
                NDArray table = rotation[i].reshape(time, config.headDim());
                rotation[i] = Embedding.embedding(positions, table, SparseFormat.DENSE).head().expandDims(1);
            }
        }
        for (LlamaLayer layer : layers) {
            // Every intermediate array of the layer (attention scores, the MLP's wide activations, LoRA's products) is
            // closed when the layer is done: DJL keeps an array alive as long as its Java handle, so without this all
            // of them would stay until the step's manager closes, several times what autograd needs (it holds its own
            // references to the tensors it saved). Only the layer's output survives. The parameters are not
            // created here (one device: the store hands out the parameter arrays themselves), so none is closed.
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray next = layer.forward(store, new NDList(x, bias, rotation[0], rotation[1]), training).head();
                NDScope.unregister(next);
                x = next;
            }
        }
        return new NDList(finalNorm.apply(store, x, training));
    }

    /**
     * Hidden states (B, n, D) of the next n positions of a text whose earlier positions are in {@code cache}: either
     * the cache is empty (a prompt, causal among its n tokens) or n == 1.
     */
    NDArray forwardCached(ParameterStore store, NDArray ids, KvCache cache) {
        int time = Math.toIntExact(ids.getShape().get(1));
        int offset = cache.length();
        if (offset > 0 && time != 1) {
            throw new IllegalArgumentException("after the prompt the cache extends one token at a time, got " + time);
        }
        if (offset + time > config.contextLength()) {
            throw new IllegalArgumentException("position " + (offset + time - 1) + " is beyond context_length "
                    + config.contextLength() + "; the caller slides the window without the cache");
        }
        NDArray x = embed(store, ids, false);
        NDArray bias = time == 1 ? null : AttentionBias.causal(ids.getManager(), time, null);
        NDArray[] rotation = rotary.tables(ids.getManager(), offset, time);
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forwardCached(store, x, bias, rotation[0], rotation[1], cache.layer(i));
        }
        cache.advance(time);
        return finalNorm.apply(store, x, false);
    }

    private NDArray embed(ParameterStore store, NDArray ids, boolean training) {
        NDArray longIds = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        NDArray table = store.getValue(tokenEmbedding, ids.getDevice(), training);
        return Embedding.embedding(longIds, table, SparseFormat.DENSE).head();
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
        Shape rotation = new Shape(1, 1, ids.get(1), config.headDim());
        for (LlamaLayer layer : layers) {
            layer.initialize(manager, dataType, hidden, bias, rotation, rotation);
        }
        finalNorm.initialize(manager, dataType, hidden);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put(TOKEN_EMBEDDING, tokenEmbedding);
        for (int i = 0; i < layers.size(); i++) {
            NamedParameters.addAll(named, LAYERS + i, layers.get(i));
        }
        NamedParameters.addAll(named, FINAL_NORM, finalNorm);
        return named;
    }
}
