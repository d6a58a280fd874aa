package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.workbench.recipe.Finetune;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Text classifier on the same {@link Transformer} trunk as {@link GptModel} (same parameter names, so a language
 * model checkpoint is the base of a classifier), pooled over the sequence, then a linear head to the classes.
 *
 * <p>Inputs: token ids (B, T) and a padding mask (B, T) (1 = token, 0 = padding; optional when nothing is padded).
 * Output: logits (B, numClasses). Pooling MEAN averages the hidden states of the real tokens; LAST takes the hidden
 * state of the last real token (the only one that has seen the whole text under causal attention).
 */
public final class ClassifierModel extends AbstractBlock implements NamedParameters {
    private final GptConfig config;
    private final int numClasses;
    private final Finetune.Pooling pooling;
    private final Transformer transformer;
    private final Linear head;

    ClassifierModel(GptConfig config, int numClasses, Finetune.Pooling pooling) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        this.config = config;
        this.numClasses = numClasses;
        this.pooling = pooling;
        this.transformer = addChildBlock(GptModel.TRUNK, new Transformer(config));
        this.head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
    }

    /** A freshly initialised classifier (GPT-2 scheme, deterministic given {@code seed}). */
    public static ClassifierModel create(GptConfig config, int numClasses, Finetune.Pooling pooling, long seed,
                                         NDManager manager) {
        ClassifierModel model = new ClassifierModel(config, numClasses, pooling);
        model.initialize(manager, (name, parameter) -> Init.gpt2(config, seed, name, parameter));
        return model;
    }

    void initialize(NDManager manager, BiFunction<String, Parameter, Initializer> initializers) {
        Shape ids = new Shape(1, config.contextLength());
        Init.initialize(this, this, manager, initializers, ids, ids);
    }

    public GptConfig config() {
        return config;
    }

    public int numClasses() {
        return numClasses;
    }

    public Finetune.Pooling pooling() {
        return pooling;
    }

    public Transformer transformer() {
        return transformer;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1).toType(DataType.FLOAT32, false)
                : ids.onesLike().toType(DataType.FLOAT32, false);
        NDArray hidden = transformer.forward(store, new NDList(ids, mask), training).head();
        NDArray pooled = pool(hidden, mask);
        if (training && config.dropout() > 0) {
            pooled = Dropout.dropout(pooled, (float) config.dropout(), true).head();
        }
        return head.forward(store, new NDList(pooled), training);
    }

    /** (B, T, D) and (B, T) mask to (B, D). */
    private NDArray pool(NDArray hidden, NDArray mask) {
        NDArray weights;
        if (pooling == Finetune.Pooling.MEAN) {
            NDArray counts = mask.sum(new int[] {1}, true).maximum(1f);
            weights = mask.div(counts);
        } else {
            // one-hot of the last real position: index = (number of real tokens) - 1
            long time = mask.getShape().get(1);
            NDArray last = mask.sum(new int[] {1}, true).sub(1f);
            NDArray positions = mask.getManager().arange((float) time).reshape(1, time);
            weights = positions.eq(last).toType(DataType.FLOAT32, false);
        }
        return hidden.mul(weights.expandDims(2)).sum(new int[] {1});
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        transformer.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), config.embeddingDim()));
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        Names.addAll(named, GptModel.TRUNK, transformer);
        Names.addAll(named, "head", head);
        return named;
    }
}
