package dev.workbench.model;

import dev.workbench.model.bert.BertFamily;
import dev.workbench.model.gpt.GptFamily;
import dev.workbench.model.llama.LlamaFamily;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The model families this build knows, listed once. Adding a family means adding its package ({@code model/<family>/})
 * and one entry here; checkpoints ({@code "family"} in config.json) and Hugging Face folders ({@code model_type}) find
 * their family through this list, and everything else asks the {@link Architecture} it holds.
 */
public final class ModelFamilies {
    /** Every family, in the order they are listed in messages. */
    public static final List<ModelFamily> ALL = List.of(GptFamily.INSTANCE, LlamaFamily.INSTANCE, BertFamily.INSTANCE);

    private ModelFamilies() {
    }

    /** The family a {@code preset} base builds: presets are GPT-style decoders. */
    public static ModelFamily presets() {
        return GptFamily.INSTANCE;
    }

    /** The family named {@code name} ({@code gpt}), if this build knows it. */
    public static Optional<ModelFamily> find(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * The family named {@code name}.
     *
     * @param where names the file or setting in the error
     * @throws WorkbenchException INVALID_INPUT naming the unknown family and the known ones
     */
    public static ModelFamily byName(String name, String where) {
        return find(name).orElseThrow(() -> WorkbenchException.invalid(where + ": model family '" + name
                + "' is not one this build knows (" + String.join(", ", ALL.stream().map(ModelFamily::name)
                .toList()) + ")"));
    }

    /**
     * The family that imports Hugging Face {@code model_type}.
     *
     * @param file the config.json, named in the error
     * @throws WorkbenchException INVALID_INPUT naming the unsupported model_type and what is supported
     */
    public static ModelFamily byHfModelType(String modelType, Path file) {
        return ALL.stream().filter(f -> f.hfModelTypes().contains(modelType)).findFirst()
                .orElseThrow(() -> WorkbenchException.invalid(file + ": model_type '" + modelType + "' is not "
                        + "supported; the workbench imports " + inWords(ALL.stream()
                        .filter(f -> !f.hfModelTypes().isEmpty()).map(ModelFamily::hfDescription).toList())
                        + " only"));
    }

    /** "a", "a and b", "a, b and c". */
    private static String inWords(List<String> items) {
        return items.size() <= 1 ? String.join("", items)
                : String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
