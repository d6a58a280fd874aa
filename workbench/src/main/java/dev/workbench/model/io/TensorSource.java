package dev.workbench.model.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Named tensors handed over one at a time: a model is filled from a source parameter by parameter, each tensor read,
 * widened to FP32, copied into its array and dropped before the next is read. So loading a model holds its weights
 * once (in the arrays) plus one tensor in transit, never a second full copy in Java memory; what a 0.5B-parameter
 * model needs to load on a CPU with a few GiB to spare. Files are validated when the source is opened
 * ({@link Safetensors#open}), so a bad file fails before any array exists.
 */
public interface TensorSource {

    /** Every tensor's name, in a fixed order. */
    Set<String> names();

    /** The shape of tensor {@code name} (known without reading its values). */
    long[] shape(String name);

    /**
     * The values of tensor {@code name}, read now.
     *
     * @throws dev.workbench.recipe.WorkbenchException INVALID_INPUT when the file cannot be read
     */
    Safetensors.Tensor read(String name);

    /**
     * {@code count} values of tensor {@code name} from flat (row-major) position {@code offset}: a large tensor (a
     * 150k x 896 embedding is 0.5 GB as FP32) is copied into its array a slice at a time, so that Java memory holds
     * a slice, not the tensor.
     */
    default float[] readRange(String name, long offset, int count) {
        float[] all = read(name).values();
        return java.util.Arrays.copyOfRange(all, Math.toIntExact(offset), Math.toIntExact(offset + count));
    }

    /** Every tensor, read now (the whole source in memory: for small models and tests). */
    default Map<String, Safetensors.Tensor> readAll() {
        Map<String, Safetensors.Tensor> all = new LinkedHashMap<>();
        for (String name : names()) {
            all.put(name, read(name));
        }
        return all;
    }

    /** Tensors already in memory. */
    static TensorSource of(Map<String, Safetensors.Tensor> tensors) {
        Map<String, Safetensors.Tensor> copy = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        return new TensorSource() {
            @Override
            public Set<String> names() {
                return copy.keySet();
            }

            @Override
            public long[] shape(String name) {
                return require(copy.get(name), name).shape();
            }

            @Override
            public Safetensors.Tensor read(String name) {
                return require(copy.get(name), name);
            }
        };
    }

    /**
     * The tensors of {@code source} under new names: {@code originals} maps each new name to the name in
     * {@code source}, in the order the new source lists them. Nothing is read until asked.
     */
    static TensorSource renamed(TensorSource source, Map<String, String> originals) {
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(originals));
        Function<String, String> original = name -> require(copy.get(name), name);
        return new TensorSource() {
            @Override
            public Set<String> names() {
                return copy.keySet();
            }

            @Override
            public long[] shape(String name) {
                return source.shape(original.apply(name));
            }

            @Override
            public Safetensors.Tensor read(String name) {
                return source.read(original.apply(name));
            }

            @Override
            public float[] readRange(String name, long offset, int count) {
                return source.readRange(original.apply(name), offset, count);
            }
        };
    }

    /**
     * The arrays of {@code parameters} (a model's, by name), each copied to Java memory only when read: what writing a
     * checkpoint needs, without a copy of all weights at once.
     */
    static TensorSource ofParameters(Map<String, ai.djl.nn.Parameter> parameters) {
        Map<String, ai.djl.nn.Parameter> copy = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        return new TensorSource() {
            @Override
            public Set<String> names() {
                return copy.keySet();
            }

            @Override
            public long[] shape(String name) {
                return require(copy.get(name), name).getArray().getShape().getShape();
            }

            @Override
            public Safetensors.Tensor read(String name) {
                return Safetensors.Tensor.of(require(copy.get(name), name).getArray());
            }

            @Override
            public float[] readRange(String name, long offset, int count) {
                ai.djl.ndarray.NDArray array = require(copy.get(name), name).getArray();
                try (ai.djl.ndarray.NDArray flat = array.reshape(-1);
                     ai.djl.ndarray.NDArray slice = flat.get(new ai.djl.ndarray.index.NDIndex("{}:{}", offset,
                             offset + count))) {
                    return slice.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                }
            }
        };
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'");
        }
        return value;
    }
}
