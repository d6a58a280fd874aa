package dev.workbench.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.ndarray.types.Shape;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a model under stable, human-readable names ({@code blocks.0.attention.q.weight}, or a PyTorch
 * state_dict's {@code generator.seq.0.fc.weight} for the synthesizers' networks). Optimizer state, checkpoints and
 * freezing all key on these names, never on DJL's per-instance parameter ids (random UUIDs), so state written by one
 * process loads into the same architecture built by another. Trainable parameters get gradients; the others (frozen
 * ones, BatchNorm running statistics) do not.
 */
public final class ModelParameters {
    /** Weights file inside a checkpoint folder. */
    public static final String WEIGHTS_FILE = "model.safetensors";

    private final Map<String, Parameter> byName;

    public ModelParameters(Map<String, Parameter> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** The model's own stable names ({@code transformer.blocks.0.attention.q.weight}). */
    public static ModelParameters of(dev.workbench.model.NamedParameters model) {
        return new ModelParameters(model.namedParameters());
    }

    /** Names from DJL's block paths ({@code 01Linear_weight}): good enough for blocks without their own naming. */
    public static ModelParameters ofBlock(Block block) {
        Map<String, Parameter> map = new LinkedHashMap<>();
        block.getParameters().forEach(pair -> map.put(pair.getKey(), pair.getValue()));
        return new ModelParameters(map);
    }

    public Map<String, Parameter> all() {
        return byName;
    }

    /** Parameters that receive gradients (not frozen), in name order of {@link #all()}. */
    public Map<String, Parameter> trainable() {
        Map<String, Parameter> map = new LinkedHashMap<>();
        byName.forEach((name, p) -> {
            if (p.requiresGradient()) {
                map.put(name, p);
            }
        });
        return map;
    }

    /** The array of one parameter (trainable or not). */
    public NDArray get(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return p.getArray();
    }

    public long count() {
        return byName.values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    public long trainableCount() {
        return trainable().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    /**
     * The gradient of a parameter, or empty when backward never reached it (PyTorch leaves such a grad undefined; the
     * optimizer then skips the parameter, as torch.optim does for {@code grad is None}). The returned handle belongs to
     * the current {@link NDScope}/parameter manager; close it (or let a scope do it) after use.
     */
    public static Optional<NDArray> gradient(Parameter p) {
        NDArray array = p.getArray();
        if (!array.hasGradient()) {
            return Optional.empty();
        }
        try {
            return Optional.of(array.getGradient());
        } catch (IllegalStateException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** Sets every accumulated gradient to zero after an update (all gradients were finite). */
    public void zeroGradients() {
        zeroGradients(false);
    }

    /**
     * Sets every accumulated gradient to exactly zero. After a non-finite step multiplying by zero is not enough (NaN
     * times zero is NaN, and a skipped step must not poison the next one), so non-finite entries are overwritten
     * first; that costs three extra ops per parameter and is done only when {@code nonFinite}.
     */
    public void zeroGradients(boolean nonFinite) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Parameter p : byName.values()) {
                if (!p.requiresGradient()) {
                    continue;
                }
                gradient(p).ifPresent(g -> {
                    if (nonFinite) {
                        g.set(g.isNaN().logicalOr(g.isInfinite()), 0f);
                    }
                    g.muli(0f);
                });
            }
        }
    }

    /**
     * Whether every trainable parameter's gradient is finite: one reduction (sum of absolute values over all gradients)
     * read back once. Call inside an {@link NDScope}; the intermediate arrays belong to the weights' manager.
     */
    public boolean gradientsFinite() {
        NDArray total = null;
        for (Parameter p : trainable().values()) {
            NDArray gradient = p.getArray().getGradient();
            NDArray sum = gradient.abs().sum().toType(DataType.FLOAT64, false);
            gradient.close();
            total = total == null ? sum : total.add(sum);
        }
        return total == null || Double.isFinite(total.getDouble());
    }

    /** True when no parameter holds NaN or infinity (checked before a checkpoint is written). */
    public boolean allFinite() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Parameter p : byName.values()) {
                NDArray a = p.getArray();
                if (a.isNaN().logicalOr(a.isInfinite()).any().getBoolean()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Writes every parameter (float32) under its name to a safetensors file (the model package's format). */
    public void saveWeights(Path file) throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        byName.forEach((name, p) -> arrays.put(name, p.getArray()));
        Safetensors.writeArrays(file, arrays, Safetensors.DType.F32, Map.of());
    }

    /**
     * Every parameter as a float tensor: the trainable ones first, then the others, each group in name order of
     * {@link #all()} (the layout of the synthesizers' generator folders).
     */
    public Map<String, Safetensors.Tensor> toTensors() {
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        Map<String, Parameter> trainable = trainable();
        trainable.forEach((name, p) -> out.put(name, tensor(p.getArray())));
        byName.forEach((name, p) -> {
            if (!trainable.containsKey(name)) {
                out.put(name, tensor(p.getArray()));
            }
        });
        return out;
    }

    private static Safetensors.Tensor tensor(NDArray array) {
        return new Safetensors.Tensor(Safetensors.DType.F32, array.getShape().getShape(),
                array.toType(DataType.FLOAT32, false).toFloatArray());
    }

    /**
     * Copies weights by name from a safetensors file into the existing parameter arrays (in place, so gradients stay
     * enabled and a trainer's view of the arrays stays valid). Every parameter must be present with the same shape;
     * extra tensors in the file are an error too (a different architecture).
     */
    public void loadWeights(Path file) throws IOException {
        loadWeights(List.of(file));
    }

    private void loadWeights(List<Path> files) throws IOException {
        Map<String, Safetensors.Tensor> stored = new LinkedHashMap<>();
        for (Path f : files) {
            stored.putAll(Safetensors.read(f));
        }
        load(stored, files.size() == 1 ? files.get(0).toString() : files.toString());
    }

    /**
     * Copies {@code tensors} by name into the existing parameter arrays (in place). Every parameter must be present
     * with the same shape, and every tensor must be a parameter; {@code where} names the source in messages.
     */
    public void load(Map<String, Safetensors.Tensor> tensors, String where) {
        Map<String, Safetensors.Tensor> stored = new LinkedHashMap<>(tensors);
        for (Map.Entry<String, Parameter> e : byName.entrySet()) {
            Safetensors.Tensor source = stored.remove(e.getKey());
            NDArray target = e.getValue().getArray();
            if (source == null) {
                throw WorkbenchException.invalid(where + ": no tensor '" + e.getKey() + "' (a different model?)");
            }
            if (!Arrays.equals(source.shape(), target.getShape().getShape())) {
                throw WorkbenchException.invalid(where + ": tensor '" + e.getKey() + "' has shape "
                        + new Shape(source.shape()) + ", the model expects " + target.getShape());
            }
            if (target.getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException("only float32 parameters are supported, " + e.getKey() + " is "
                        + target.getDataType());
            }
            dev.workbench.model.io.Weights.overwrite(target, source.values());
        }
        if (!stored.isEmpty()) {
            throw WorkbenchException.invalid(where + ": tensors the model does not have: "
                    + List.copyOf(stored.keySet()));
        }
    }

    /** Adapter weights file of a LoRA checkpoint (the frozen base stays in {@link #WEIGHTS_FILE}). */
    public static final String ADAPTER_FILE = "adapter.safetensors";

    /**
     * Loads a checkpoint folder's weights in place: {@code model.safetensors}, plus {@code adapter.safetensors} when
     * present (LoRA checkpoints keep adapters apart from the base). Together they must cover every parameter.
     */
    public void loadCheckpointWeights(Path folder) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        files.add(folder.resolve(WEIGHTS_FILE));
        if (Files.isRegularFile(folder.resolve(ADAPTER_FILE))) {
            files.add(folder.resolve(ADAPTER_FILE));
        }
        loadWeights(files);
    }
}
