package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
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
 * Text classifier on any family's {@link Trunk} (same parameter names as that family's language model, so a language
 * model checkpoint is the base of a classifier): pooled features of the sequence, then a linear head to the classes.
 *
 * <p>Inputs: token ids (B, T) and a padding mask (B, T) (1 = token, 0 = padding; optional when nothing is padded).
 * Output: logits (B, numClasses). Pooling MEAN averages the hidden states of the real tokens; LAST takes the hidden
 * state of the last real token (the only one that has seen the whole text under causal attention); CLS takes the
 * first token's through the trunk's pooler ({@link Trunk#poolFirst}: BERT's dense + tanh when the base has one), as
 * Hugging Face's {@code BertForSequenceClassification} does. Which poolings a trunk allows is its family's
 * ({@link ModelFamily#poolings}).
 */
public final class ClassifierModel extends AbstractBlock implements TunableModel {
    /** The head's name: its parameters are {@code head.weight} and {@code head.bias}. */
    public static final String HEAD = "head";

    private final Trunk trunk;
    private final int numClasses;
    private final Finetune.Pooling pooling;
    private final Linear head;

    /**
     * An uninitialised classifier on {@code trunk}; see {@link #of} for one on a base architecture and
     * {@link ModelFamily#newClassifier} for a fresh one.
     *
     * @throws IllegalArgumentException for a pooling the trunk's family does not allow (CLS on a causal decoder)
     */
    public ClassifierModel(Trunk trunk, int numClasses, Finetune.Pooling pooling) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        ModelFamily family = trunk.architecture().family();
        if (!family.poolings().contains(pooling)) {
            throw new IllegalArgumentException(family.name() + " classifiers pool by " + family.poolings()
                    + ", not " + pooling);
        }
        this.numClasses = numClasses;
        this.pooling = pooling;
        this.trunk = addChildBlock(Trunk.NAME, trunk);
        this.head = addChildBlock(HEAD, Linear.builder().setUnits(numClasses).build());
    }

    /**
     * An uninitialised classifier on a trunk of {@code base} as {@code pooling} needs it
     * ({@link Architecture#forClassifier}: BERT's pooler only for CLS).
     */
    public static ClassifierModel of(Architecture base, int numClasses, Finetune.Pooling pooling) {
        Architecture architecture = base.forClassifier(pooling);
        return new ClassifierModel(architecture.family().trunk(architecture), numClasses, pooling);
    }

    @Override
    public void initializeParameters(NDManager manager, BiFunction<String, Parameter, Initializer> initializers) {
        Shape ids = new Shape(1, architecture().contextLength());
        Init.initialize(this, this, manager, initializers, ids, ids);
    }

    @Override
    public Trunk trunk() {
        return trunk;
    }

    public int numClasses() {
        return numClasses;
    }

    public Finetune.Pooling pooling() {
        return pooling;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray pooled = features(store, inputs, training);
        double dropout = architecture().dropout();
        if (training && dropout > 0) {
            pooled = Dropout.dropout(pooled, (float) dropout, true).head();
        }
        return head.forward(store, new NDList(pooled), training);
    }

    /**
     * The pooled features (B, D) of inputs (ids, optional mask) in inference mode (no dropout): what the head sees.
     * A linear probe on the frozen trunk computes these once per example and trains {@link #head()} on them.
     */
    public NDArray pooledFeatures(ParameterStore store, NDList inputs) {
        return features(store, inputs, false);
    }

    /** The linear head: pooled features (B, D) in, logits (B, numClasses) out. */
    public Block head() {
        return head;
    }

    /** Pooled features (B, D) of inputs (ids (B, T), optional padding mask (B, T), all ones when absent). */
    private NDArray features(ParameterStore store, NDList inputs, boolean training) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1).toType(DataType.FLOAT32, false)
                : ids.onesLike().toType(DataType.FLOAT32, false);
        return pooled(store, ids, mask, training);
    }

    /**
     * Pooled features (B, D) of ids (B, T) under a float mask (B, T) (1 = token, 0 = padding): what the head sees,
     * before its dropout.
     */
    public NDArray pooled(ParameterStore store, NDArray ids, NDArray mask, boolean training) {
        NDArray hidden = trunk.forward(store, new NDList(ids, mask), training).head();
        if (pooling == Finetune.Pooling.CLS) {
            // the first position: [CLS] / <s> for the encoders this is meant for (padding is on the right)
            return trunk.poolFirst(store, hidden.get(new NDIndex(":, 0, :")), training);
        }
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
        trunk.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), architecture().embeddingDim()));
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        NamedParameters.addAll(named, Trunk.NAME, trunk);
        NamedParameters.addAll(named, HEAD, head);
        return named;
    }
}
