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
        };
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'");
        }
        return value;
    }
}
