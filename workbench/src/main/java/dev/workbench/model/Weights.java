package dev.workbench.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.workbench.recipe.WorkbenchException;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds a model from named FP32 tensors already in memory, e.g. weights imported from another format (Hugging Face
 * GPT-2) and renamed to this package's parameter names ({@link NamedParameters}). Like {@link Checkpoint}, parameters
 * are created through initializers, not {@code Model.load}, so {@code Model.newTrainer} does not unfreeze them and
 * they train normally.
 */
public final class Weights {
    private Weights() {
    }

    /**
     * A language model of architecture {@code config} holding exactly {@code tensors}.
     *
     * @param source names the origin in error messages (a file or folder)
     * @throws WorkbenchException INVALID_INPUT when a name is missing or unexpected, or a shape differs
     */
    public static GptModel languageModel(GptConfig config, Map<String, Safetensors.Tensor> tensors, String source,
                                         NDManager manager) {
        GptModel model = new GptModel(config);
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
        model.initialize(manager, (name, parameter) -> (m, shape, dataType) -> {
            Safetensors.Tensor tensor = tensors.get(name);
            if (!Arrays.equals(tensor.shape(), shape.getShape())) {
                throw WorkbenchException.invalid(source + ": weight '" + name + "' has shape "
                        + new Shape(tensor.shape()) + " but the model needs " + shape);
            }
            return Init.create(m, tensor.values(), shape, dataType);
        });
        return model;
    }
}
