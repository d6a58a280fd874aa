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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRA adapter around a frozen linear layer: {@code y = W x + b + (alpha / rank) * B(A(dropout(x)))} with A (rank, in)
 * and B (out, rank). B starts at zero, so a fresh adapter leaves the base model's output unchanged.
 *
 * <p>Parameter names: the base keeps {@code weight} and {@code bias} (so {@code model.safetensors} names do not change
 * when adapters are added), the adapter adds {@code lora_a} and {@code lora_b}.
 */
public final class LoraLinear extends AbstractBlock implements NamedParameters {
    private final Linear base;
    private final Parameter loraA;
    private final Parameter loraB;
    private final int rank;
    private final double alpha;
    private final float dropout;

    /** Wraps an initialised {@code base}; call {@link #initializeAdapter} before use. */
    LoraLinear(Linear base, int rank, double alpha, double dropout) {
        Shape weight = base.getParameters().get("weight").getShape();
        this.base = addChildBlock("base", base);
        this.rank = rank;
        this.alpha = alpha;
        this.dropout = (float) dropout;
        loraA = addParameter(Parameter.builder().setName("lora_a").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rank, weight.get(1))).build());
        loraB = addParameter(Parameter.builder().setName("lora_b").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(weight.get(0), rank)).build());
    }

    void initializeAdapter(Initializer a, Initializer b) {
        loraA.setInitializer(a);
        loraB.setInitializer(b);
        NDManager manager = base.getParameters().get("weight").getArray().getManager();
        initialize(manager, DataType.FLOAT32, base.getInputShapes());
    }

    public Linear base() {
        return base;
    }

    public int rank() {
        return rank;
    }

    public double scale() {
        return alpha / rank;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray y = base.forward(store, inputs, training).head();
        NDArray a = store.getValue(loraA, x.getDevice(), training);
        NDArray b = store.getValue(loraB, x.getDevice(), training);
        NDArray adapterInput = training && dropout > 0 ? Dropout.dropout(x, dropout, true).head() : x;
        NDArray update = Linear.linear(Linear.linear(adapterInput, a).head(), b).head();
        // the scale as an array on x's manager, not mul(Number): see Activations.geluTanh (DJL frees that scalar before backward)
        return new NDList(y.add(update.mul(x.getManager().create((float) scale()))));
    }

    /** Adds {@code scale * B A} to the base weight in place (gradients not tracked) and returns the base layer. */
    Linear mergeIntoBase() {
        Parameter weight = base.getParameters().get("weight");
        boolean wasFrozen = !weight.requiresGradient();
        // PyTorch refuses in-place updates of a leaf that requires grad; detach the adapter for the same reason
        weight.freeze(true);
        NDArray a = loraA.getArray().stopGradient();
        NDArray b = loraB.getArray().stopGradient();
        NDArray product = b.matMul(a);
        NDArray delta = product.mul((float) scale());
        weight.getArray().addi(delta);
        for (NDArray temporary : List.of(a, b, product, delta)) {
            temporary.close();
        }
        weight.freeze(wasFrozen);
        loraA.close();
        loraB.close();
        return base;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return base.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        base.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        base.getDirectParameters().forEach(p -> named.put(p.getKey(), p.getValue()));
        named.put("lora_a", loraA);
        named.put("lora_b", loraB);
        return named;
    }
}
