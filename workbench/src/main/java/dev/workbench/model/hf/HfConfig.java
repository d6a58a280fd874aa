package dev.workbench.model.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.model.Architecture;
import dev.workbench.model.ModelFamilies;
import dev.workbench.model.ModelFamily;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face {@code config.json}: its {@code model_type} picks the family ({@link ModelFamilies#byHfModelType}),
 * which reads the rest into its own architecture ({@link ModelFamily.HfArchitecture}: the architecture in workbench
 * terms and {@code eos_token_id}) and refuses, naming the field, whatever it does not implement.
 */
public final class HfConfig {
    public static final String FILE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Read whole into memory, so bounded: real ones are 1-2 KB. */
    private static final long MAX_FILE_BYTES = 1L << 20;

    private HfConfig() {
    }

    /** Reads {@code folder/config.json}. */
    public static ModelFamily.HfArchitecture read(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw WorkbenchException.invalid(folder + ": no " + FILE + " (a Hugging Face model folder has "
                    + "config.json, model.safetensors and tokenizer.json)");
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw bad(file, Files.size(file) + " bytes; a GPT-2 config.json is about 1 KB (limit "
                        + MAX_FILE_BYTES + ")");
            }
            return parse(Files.readString(file), file);
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.INVALID_INPUT, file + ": cannot read: "
                    + e.getMessage(), e);
        }
    }

    /** Parses the content of {@code file} (named in every error). */
    static ModelFamily.HfArchitecture parse(String text, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad(file, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "not a JSON object");
        }
        return ModelFamilies.byHfModelType(root.path("model_type").asText(""), file).readHfConfig(root, file);
    }

    /** The config.json of an exported model of {@code architecture}, which {@link #read} reads back to it. */
    public static String toJson(Architecture architecture, int endOfTextId) {
        return architecture.family().hfConfigJson(architecture, endOfTextId);
    }

    private static WorkbenchException bad(Path file, String message) {
        return WorkbenchException.invalid(file + ": " + message);
    }
}
