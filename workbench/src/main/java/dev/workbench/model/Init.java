package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Initial values drawn in Java from a generator seeded by (run seed, parameter name). This makes initialisation
 * deterministic, independent of the order in which DJL initialises blocks, of PyTorch's global generator and of the
 * device (CUDA's generator would give other numbers than the CPU's for the same seed). A family's scheme
 * ({@link ModelFamily#initializers}) is built from these.
 */
public final class Init {
    private Init() {
    }

    /** Normal(0, std), as GPT-2 initialises linear and embedding weights. */
    public static Initializer normal(long seed, String name, double std) {
        return (manager, shape, dataType) -> {
            Random random = random(seed, name);
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * std);
            }
            return create(manager, values, shape, dataType);
        };
    }

    /** Uniform(-bound, bound), as PyTorch's kaiming_uniform_(a=sqrt(5)) gives bound 1/sqrt(fan_in). */
    public static Initializer uniform(long seed, String name, double bound) {
        return (manager, shape, dataType) -> {
            Random random = random(seed, name);
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            return create(manager, values, shape, dataType);
        };
    }

    public static Initializer constant(float value) {
        return (manager, shape, dataType) -> manager.full(shape, value, dataType);
    }

    /** Sets each parameter's initializer, then lets DJL create the arrays (shapes follow from the input shapes). */
    public static void initialize(Block block, NamedParameters named, NDManager manager,
                           BiFunction<String, Parameter, Initializer> initializers, Shape... inputShapes) {
        named.namedParameters().forEach((name, parameter) -> {
            if (!parameter.isInitialized()) {
                parameter.setInitializer(initializers.apply(name, parameter));
            }
        });
        block.initialize(manager, DataType.FLOAT32, inputShapes);
    }

    public static NDArray create(NDManager manager, float[] values, Shape shape, DataType dataType) {
        NDArray array = manager.create(values, shape);
        return dataType == DataType.FLOAT32 ? array : array.toType(dataType, false);
    }

    /** 64-bit FNV-1a of the name mixed with the seed (String.hashCode alone is only 32 bits). */
    public static Random random(long seed, String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return new Random(hash ^ (seed * 0x9E3779B97F4A7C15L));
    }
}
