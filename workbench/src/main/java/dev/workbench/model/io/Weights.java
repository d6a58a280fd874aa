package dev.workbench.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import dev.workbench.model.Architecture;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.Init;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.ModelFamily;
import dev.workbench.model.Trunk;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Builds a model from named FP32 tensors already in memory, e.g. weights imported from another format (Hugging Face)
 * and renamed to the family's parameter names ({@link dev.workbench.model.NamedParameters}). Like {@link Checkpoint},
 * parameters are created through initializers, not {@code Model.load}, so {@code Model.newTrainer} does not unfreeze
 * them and they train normally.
 */
public final class Weights {
    private Weights() {
    }

    /**
     * Overwrites {@code target} in place with {@code values} (same shape, converted to its type), keeping its gradient.
     * Not {@code NDArray.set(Buffer)}: on an array with a gradient, DJL's native copy runs under libtorch's deprecated
     * {@code AutoNonVariableTypeMode}, which prints a warning on stderr; an indexed put of the same values does not.
     */
    public static void overwrite(NDArray target, float[] values) {
        try (NDArray source = target.getManager().create(values, target.getShape())
                .toType(target.getDataType(), false)) {
            target.set(new NDIndex("..."), source); // "...": every element
        }
    }

    /**
     * A language model of {@code architecture} (built by its family) holding exactly {@code tensors}.
     *
     * @param source names the origin in error messages (a file or folder)
     * @throws WorkbenchException INVALID_INPUT when a name is missing or unexpected, or a shape differs
     */
    public static LanguageModel languageModel(Architecture architecture, Map<String, Safetensors.Tensor> tensors,
                                              String source, NDManager manager) {
        return languageModel(architecture, TensorSource.of(tensors), source, manager);
    }

    /**
     * A language model of {@code architecture} holding exactly the tensors of {@code tensors}, each read when its
     * parameter is created (one tensor in Java memory at a time).
     *
     * @throws WorkbenchException INVALID_INPUT when a name is missing or unexpected, or a shape differs
     */
    public static LanguageModel languageModel(Architecture architecture, TensorSource tensors, String source,
                                              NDManager manager) {
        LanguageModel model = architecture.family().languageModel(architecture);
        Set<String> expected = model.namedParameters().keySet();
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(tensors.names());
        Set<String> unexpected = new HashSet<>(tensors.names());
        unexpected.removeAll(expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw WorkbenchException.invalid(source + ": weights do not match the model: " + missing.size()
                    + " missing " + CheckpointIO.firstFew(missing) + ", " + unexpected.size() + " unexpected "
                    + CheckpointIO.firstFew(unexpected));
        }
        model.initializeParameters(manager, (name, parameter) ->
                (m, shape, dataType) -> fromTensor(tensors, name, shape, dataType, source, m));
        return model;
    }

    /**
     * A classifier whose trunk ({@code transformer.*}) holds {@code trunk} (e.g. the tensors of
     * {@link #languageModel}'s names) and whose head is freshly initialised from {@code seed} by the family's scheme.
     */
    public static ClassifierModel classifierBase(Architecture architecture, Map<String, Safetensors.Tensor> trunk,
                                                 int numClasses, Finetune.Pooling pooling, long seed, String source,
                                                 NDManager manager) {
        return classifierBase(architecture, TensorSource.of(trunk), numClasses, pooling, seed, source, manager);
    }

    /** {@link #classifierBase(Architecture, Map, int, Finetune.Pooling, long, String, NDManager)}, read lazily. */
    public static ClassifierModel classifierBase(Architecture architecture, TensorSource trunk, int numClasses,
                                                 Finetune.Pooling pooling, long seed, String source,
                                                 NDManager manager) {
        ModelFamily family = architecture.family();
        ClassifierModel model = ClassifierModel.of(architecture, numClasses, pooling);
        Set<String> expected = new HashSet<>();
        model.namedParameters().keySet().stream().filter(n -> n.startsWith(Trunk.NAME + "."))
                .forEach(expected::add);
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(trunk.names());
        if (!missing.isEmpty()) {
            throw WorkbenchException.invalid(source + ": weights do not match the model: " + missing.size()
                    + " missing " + CheckpointIO.firstFew(missing));
        }
        BiFunction<String, Parameter, Initializer> fresh = family.initializers(architecture, seed);
        model.initializeParameters(manager, (name, parameter) -> expected.contains(name)
                ? (m, shape, dataType) -> fromTensor(trunk, name, shape, dataType, source, m)
                : fresh.apply(name, parameter));
        return model;
    }

    /** The tensor's array, shape checked before its values are read; the values are garbage once copied. */
    private static ai.djl.ndarray.NDArray fromTensor(TensorSource tensors, String name, Shape shape,
                                                     ai.djl.ndarray.types.DataType dataType, String source,
                                                     NDManager manager) {
        long[] stored = tensors.shape(name);
        if (!Arrays.equals(stored, shape.getShape())) {
            throw WorkbenchException.invalid(source + ": weight '" + name + "' has shape "
                    + new Shape(stored) + " but the model needs " + shape);
        }
        return array(tensors, name, shape, dataType, manager);
    }

    /** Values per slice when a large tensor is copied into its array: 16 MiB as FP32. */
    private static final int SLICE_VALUES = 1 << 22;

    /**
     * The array of tensor {@code name} (of {@code shape}, already checked), filled from {@code tensors}: whole when
     * small, else a block of leading-dimension rows at a time into an array created up front, so that Java memory
     * never holds more than {@value #SLICE_VALUES} values of it (and a 0.5B model loads with about one copy of its
     * weights resident).
     */
    public static ai.djl.ndarray.NDArray array(TensorSource tensors, String name, Shape shape,
                                               ai.djl.ndarray.types.DataType dataType, NDManager manager) {
        long size = shape.size();
        if (size <= SLICE_VALUES || shape.dimension() < 2) {
            return Init.create(manager, tensors.read(name).values(), shape, dataType);
        }
        long rowValues = size / shape.get(0);
        long rowsPerSlice = Math.max(1, SLICE_VALUES / rowValues);
        ai.djl.ndarray.NDArray target = manager.zeros(shape, dataType);
        Shape rest = shape.slice(1);
        for (long row = 0; row < shape.get(0); row += rowsPerSlice) {
            long rows = Math.min(rowsPerSlice, shape.get(0) - row);
            float[] values = tensors.readRange(name, row * rowValues, Math.toIntExact(rows * rowValues));
            try (ai.djl.ndarray.NDArray slice = Init.create(manager, values, new Shape(rows).addAll(rest),
                    dataType)) {
                target.set(new NDIndex("{}:{}", row, row + rows), slice);
            }
        }
        return target;
    }
}
