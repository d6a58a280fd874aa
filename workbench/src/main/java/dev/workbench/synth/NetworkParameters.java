package dev.workbench.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.io.Weights;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Named weight arrays of one network, owned by one long-lived manager. Names follow the CTGAN PyTorch state_dict
 * ({@code seq.0.fc.weight}, ...) under a {@code generator.} / {@code critic.} prefix (TVAE's under {@code encoder.} /
 * {@code decoder.}), so a checkpoint can be loaded
 * into the Python modules. Trainable arrays get gradients; buffers (BatchNorm running statistics) do not.
 */
final class NetworkParameters {
    private final NDManager manager;
    private final DataType dataType;
    private final Map<String, NDArray> trainable = new LinkedHashMap<>();
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();

    NetworkParameters(NDManager manager, DataType dataType) {
        this.manager = manager;
        this.dataType = dataType;
    }

    DataType dataType() {
        return dataType;
    }

    NDManager manager() {
        return manager;
    }

    /** PyTorch's nn.Linear default: weight and bias uniform in +-1/sqrt(fan_in). Values come from {@code random}. */
    void linear(String prefix, int in, int out, Random random) {
        double bound = 1 / Math.sqrt(in);
        trainable(prefix + ".weight", uniform(new Shape(out, in), bound, random));
        trainable(prefix + ".bias", uniform(new Shape(out), bound, random));
    }

    /** BatchNorm1d: weight 1, bias 0, running mean 0, running variance 1. */
    void batchNorm(String prefix, int width) {
        trainable(prefix + ".weight", manager.ones(new Shape(width), dataType));
        trainable(prefix + ".bias", manager.zeros(new Shape(width), dataType));
        buffer(prefix + ".running_mean", manager.zeros(new Shape(width), dataType));
        buffer(prefix + ".running_var", manager.ones(new Shape(width), dataType));
    }

    /** A trainable vector of {@code width} entries, all {@code value} (TVAE's decoder sigma: ones * 0.1). */
    void constantVector(String name, int width, double value) {
        trainable(name, manager.full(new Shape(width), (float) value, dataType));
    }

    private NDArray uniform(Shape shape, double bound, Random random) {
        double[] values = new double[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextDouble() * 2 - 1) * bound;
        }
        return manager.create(values).toType(dataType, false).reshape(shape);
    }

    private void trainable(String name, NDArray array) {
        array.setRequiresGradient(true);
        trainable.put(name, array);
    }

    private void buffer(String name, NDArray array) {
        buffers.put(name, array);
    }

    NDArray get(String name) {
        NDArray array = trainable.get(name);
        if (array == null) {
            array = buffers.get(name);
        }
        if (array == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return array;
    }

    Map<String, NDArray> trainable() {
        return trainable;
    }

    /** Sets every gradient to zero (PyTorch accumulates; DJL's collector does not clear them). */
    void zeroGradients() {
        zeroGradients(false);
    }

    /**
     * Sets every gradient to exactly zero. After a non-finite step multiplying by zero is not enough (NaN times zero is
     * NaN, and a skipped step must not poison the next one), so non-finite entries are overwritten first
     * ({@code nonFinite}), as fine-tuning's ModelParameters does.
     */
    void zeroGradients(boolean nonFinite) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (NDArray array : trainable.values()) {
                try (NDArray gradient = array.getGradient()) {
                    if (nonFinite) {
                        gradient.set(gradient.isNaN().logicalOr(gradient.isInfinite()), 0f);
                    }
                    gradient.muli(0);
                }
            }
        }
    }

    /**
     * Whether every gradient is finite: one reduction (sum of absolute values over all gradients) read back once. Call
     * inside an {@link ai.djl.ndarray.NDScope}; the intermediate arrays belong to the weights' manager.
     */
    boolean gradientsFinite() {
        NDArray total = null;
        for (NDArray array : trainable.values()) {
            NDArray gradient = array.getGradient();
            NDArray sum = gradient.abs().sum().toType(DataType.FLOAT64, false);
            gradient.close();
            total = total == null ? sum : total.add(sum);
        }
        return total == null || Double.isFinite(total.getDouble());
    }

    /** All arrays (trainable, then buffers) as float tensors, in order. */
    Map<String, Safetensors.Tensor> toTensors() {
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        for (Map<String, NDArray> group : java.util.List.of(trainable, buffers)) {
            for (Map.Entry<String, NDArray> entry : group.entrySet()) {
                NDArray array = entry.getValue();
                out.put(entry.getKey(), new Safetensors.Tensor(Safetensors.DType.F32, array.getShape().getShape(),
                        array.toType(DataType.FLOAT32, false).toFloatArray()));
            }
        }
        return out;
    }

    /** Overwrites every array from {@code tensors}; names and shapes must match exactly. */
    void load(Map<String, Safetensors.Tensor> tensors, String source) {
        for (Map<String, NDArray> group : java.util.List.of(trainable, buffers)) {
            for (Map.Entry<String, NDArray> entry : group.entrySet()) {
                Safetensors.Tensor tensor = tensors.get(entry.getKey());
                if (tensor == null) {
                    throw WorkbenchException.invalid(source + ": weight '" + entry.getKey() + "' is missing");
                }
                Shape expected = entry.getValue().getShape();
                if (!expected.equals(new Shape(tensor.shape()))) {
                    throw WorkbenchException.invalid(source + ": weight '" + entry.getKey() + "' has shape "
                            + new Shape(tensor.shape()) + ", the architecture needs " + expected);
                }
                Weights.overwrite(entry.getValue(), tensor.values());
            }
        }
    }
}
