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
        LanguageModel model = architecture.family().languageModel(architecture);
        Set<String> expected = model.namedParameters().keySet();
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(tensors.keySet());
        Set<String> unexpected = new HashSet<>(tensors.keySet());
        unexpected.removeAll(expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw WorkbenchException.invalid(source + ": weights do not match the model: " + missing.size()
                    + " missing " + CheckpointIO.firstFew(missing) + ", " + unexpected.size() + " unexpected "
                    + CheckpointIO.firstFew(unexpected));
        }
        model.initializeParameters(manager, (name, parameter) ->
                (m, shape, dataType) -> fromTensor(tensors.get(name), name, shape, dataType, source, m));
        return model;
    }

    /**
     * A classifier whose trunk ({@code transformer.*}) holds {@code trunk} (e.g. the tensors of
     * {@link #languageModel}'s names) and whose head is freshly initialised from {@code seed} by the family's scheme.
     */
    public static ClassifierModel classifierBase(Architecture architecture, Map<String, Safetensors.Tensor> trunk,
                                                 int numClasses, Finetune.Pooling pooling, long seed, String source,
                                                 NDManager manager) {
        ModelFamily family = architecture.family();
        ClassifierModel model = ClassifierModel.of(architecture, numClasses, pooling);
        Set<String> expected = new HashSet<>();
        model.namedParameters().keySet().stream().filter(n -> n.startsWith(Trunk.NAME + "."))
                .forEach(expected::add);
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(trunk.keySet());
        if (!missing.isEmpty()) {
            throw WorkbenchException.invalid(source + ": weights do not match the model: " + missing.size()
                    + " missing " + CheckpointIO.firstFew(missing));
        }
        BiFunction<String, Parameter, Initializer> fresh = family.initializers(architecture, seed);
        model.initializeParameters(manager, (name, parameter) -> expected.contains(name)
                ? (m, shape, dataType) -> fromTensor(trunk.get(name), name, shape, dataType, source, m)
                : fresh.apply(name, parameter));
        return model;
    }

    private static ai.djl.ndarray.NDArray fromTensor(Safetensors.Tensor tensor, String name, Shape shape,
                                                     ai.djl.ndarray.types.DataType dataType, String source,
                                                     NDManager manager) {
        if (!Arrays.equals(tensor.shape(), shape.getShape())) {
            throw WorkbenchException.invalid(source + ": weight '" + name + "' has shape "
                    + new Shape(tensor.shape()) + " but the model needs " + shape);
        }
        return Init.create(manager, tensor.values(), shape, dataType);
    }
}
