package dev.workbench.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.workbench.optim.ModelParameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Builds the weights of one synthesizer network with PyTorch's default initialisation, every value drawn from a
 * seeded {@link Random}, on one long-lived manager. Names follow the CTGAN PyTorch state_dict
 * ({@code seq.0.fc.weight}, ...) under a {@code generator.} / {@code critic.} prefix (TVAE's under {@code encoder.} /
 * {@code decoder.}), so a checkpoint can be loaded into the Python modules. Trainable arrays get gradients; buffers
 * (BatchNorm running statistics) do not.
 */
final class NetworkBuilder {
    private final NDManager manager;
    private final DataType dataType;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    NetworkBuilder(NDManager manager, DataType dataType) {
        this.manager = manager;
        this.dataType = dataType;
    }

    /** PyTorch's nn.Linear default: weight and bias uniform in +-1/sqrt(fan_in). Values come from {@code random}. */
    NetworkBuilder linear(String prefix, int in, int out, Random random) {
        double bound = 1 / Math.sqrt(in);
        trainable(prefix + ".weight", Parameter.Type.WEIGHT, uniform(new Shape(out, in), bound, random));
        return trainable(prefix + ".bias", Parameter.Type.BIAS, uniform(new Shape(out), bound, random));
    }

    /** BatchNorm1d: weight 1, bias 0, running mean 0, running variance 1. */
    NetworkBuilder batchNorm(String prefix, int width) {
        trainable(prefix + ".weight", Parameter.Type.GAMMA, manager.ones(new Shape(width), dataType));
        trainable(prefix + ".bias", Parameter.Type.BETA, manager.zeros(new Shape(width), dataType));
        buffer(prefix + ".running_mean", Parameter.Type.RUNNING_MEAN, manager.zeros(new Shape(width), dataType));
        return buffer(prefix + ".running_var", Parameter.Type.RUNNING_VAR, manager.ones(new Shape(width), dataType));
    }

    /** A trainable vector of {@code width} entries, all {@code value} (TVAE's decoder sigma: ones * 0.1). */
    NetworkBuilder constantVector(String name, int width, double value) {
        return trainable(name, Parameter.Type.OTHER, manager.full(new Shape(width), (float) value, dataType));
    }

    ModelParameters build() {
        return new ModelParameters(parameters);
    }

    private NDArray uniform(Shape shape, double bound, Random random) {
        double[] values = new double[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextDouble() * 2 - 1) * bound;
        }
        return manager.create(values).toType(dataType, false).reshape(shape);
    }

    private NetworkBuilder trainable(String name, Parameter.Type type, NDArray array) {
        array.setRequiresGradient(true);
        return add(name, type, array, true);
    }

    private NetworkBuilder buffer(String name, Parameter.Type type, NDArray array) {
        return add(name, type, array, false);
    }

    private NetworkBuilder add(String name, Parameter.Type type, NDArray array, boolean requiresGradient) {
        parameters.put(name, Parameter.builder().setName(name).setType(type).optShape(array.getShape())
                .optArray(array).optRequiresGrad(requiresGradient).build());
        return this;
    }
}
