package dev.workbench.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.workbench.model.KvCache;
import dev.workbench.model.NamedParameters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pre-norm Llama decoder layer: {@code x + attention(attention_norm(x))}, then {@code x + mlp(mlp_norm(x))}; no
 * dropout on the residual branches (transformers has none). Inputs: x (B, T, D), attention bias, cos, sin.
 */
final class LlamaLayer extends AbstractBlock implements NamedParameters {
    private final RmsNorm attentionNorm;
    private final LlamaAttention attention;
    private final RmsNorm mlpNorm;
    private final GatedMlp mlp;

    LlamaLayer(LlamaConfig config) {
        attentionNorm = addChildBlock("attention_norm", new RmsNorm(config.embeddingDim(), config.rmsNormEps()));
        attention = addChildBlock("attention", new LlamaAttention(config));
        mlpNorm = addChildBlock("mlp_norm", new RmsNorm(config.embeddingDim(), config.rmsNormEps()));
        mlp = addChildBlock("mlp", new GatedMlp(config));
    }

    LlamaAttention attention() {
        return attention;
    }

    GatedMlp mlp() {
        return mlp;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray normed = attentionNorm.apply(store, x, training);
        x = x.add(attention.forward(store, new NDList(normed, inputs.get(1), inputs.get(2), inputs.get(3)),
                training).head());
        NDArray fed = mlp.forward(store, new NDList(mlpNorm.apply(store, x, training)), training).head();
        return new NDList(x.add(fed));
    }

    NDArray forwardCached(ParameterStore store, NDArray x, NDArray attentionBias, NDArray cos, NDArray sin,
                          KvCache.Layer cache) {
        x = x.add(attention.forwardCached(store, attentionNorm.apply(store, x, false), attentionBias, cos, sin,
                cache));
        return x.add(mlp.forward(store, new NDList(mlpNorm.apply(store, x, false)), false).head());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        attentionNorm.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, inputShapes);
        mlpNorm.initialize(manager, dataType, x);
        mlp.initialize(manager, dataType, x);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        NamedParameters.addAll(named, "attention_norm", attentionNorm);
        NamedParameters.addAll(named, "attention", attention);
        NamedParameters.addAll(named, "mlp_norm", mlpNorm);
        NamedParameters.addAll(named, "mlp", mlp);
        return named;
    }
}
