package dev.workbench.model.bert;

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
import dev.workbench.model.LayerNormBlock;
import dev.workbench.model.NamedParameters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One post-LayerNorm encoder layer (BERT): {@code x = norm(x + drop(attention(x)))}, then
 * {@code x = norm(x + drop(mlp(x)))}. Inputs: x (B, T, D) and optionally the key padding bias (B, 1, 1, T).
 */
final class BertLayer extends AbstractBlock implements NamedParameters {
    private final float dropout;
    private final SelfAttention attention;
    private final LayerNormBlock attentionNorm;
    private final FeedForward mlp;
    private final LayerNormBlock mlpNorm;

    BertLayer(BertConfig config) {
        this.dropout = (float) config.dropout();
        attention = addChildBlock("attention", new SelfAttention(config.embeddingDim(), config.heads(),
                config.attentionDropout()));
        attentionNorm = addChildBlock("attention_norm",
                new LayerNormBlock(config.embeddingDim(), config.layerNormEpsilon()));
        mlp = addChildBlock("mlp", new FeedForward(config.embeddingDim(), config.intermediateSize(),
                config.activation()::apply));
        mlpNorm = addChildBlock("mlp_norm", new LayerNormBlock(config.embeddingDim(),
                config.layerNormEpsilon()));
    }

    SelfAttention attention() {
        return attention;
    }

    FeedForward mlp() {
        return mlp;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray attended = attention.forward(store, inputs, training).head();
        x = attentionNorm.forward(store, new NDList(x.add(drop(attended, training))), training).head();
        NDArray fed = mlp.forward(store, new NDList(x), training).head();
        return mlpNorm.forward(store, new NDList(x.add(drop(fed, training))), training);
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
        attention.initialize(manager, dataType, inputShapes);
        attentionNorm.initialize(manager, dataType, x);
        mlp.initialize(manager, dataType, x);
        mlpNorm.initialize(manager, dataType, x);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        NamedParameters.addAll(named, "attention", attention);
        NamedParameters.addAll(named, "attention_norm", attentionNorm);
        NamedParameters.addAll(named, "mlp", mlp);
        NamedParameters.addAll(named, "mlp_norm", mlpNorm);
        return named;
    }
}
