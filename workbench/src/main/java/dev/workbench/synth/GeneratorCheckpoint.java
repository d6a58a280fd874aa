package dev.workbench.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.Safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A reusable generator folder ({@code synthetic/<method>/generator/}): {@code config.json} (format, method, table
 * profile, encoder state, architecture and training facts), {@code model.safetensors} for neural generators, and the
 * commit marker of {@link AtomicDirectory}. It is written into a staging folder and renamed into place, so a folder
 * without the marker is torn and is refused.
 */
public final class GeneratorCheckpoint {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String FORMAT = "workbench-generator";
    public static final int FORMAT_VERSION = 1;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a folder holds. {@code weights} is empty for generators without weights (the baselines). */
    public record Contents(JsonNode config, Map<String, Safetensors.Tensor> weights) {
        public String method() {
            return config.path("method").asText();
        }
    }

    private GeneratorCheckpoint() {
    }

    /** A config object with the common header filled in. */
    static ObjectNode newConfig(String method) {
        ObjectNode config = JSON.createObjectNode();
        config.put("format", FORMAT);
        config.put("format_version", FORMAT_VERSION);
        config.put("method", method);
        return config;
    }

    /** Writes the folder atomically; an existing committed folder at {@code folder} is replaced. */
    static void write(Path folder, ObjectNode config, Map<String, Safetensors.Tensor> weights) throws IOException {
        Path staging = AtomicDirectory.staging(folder);
        try {
            JSON.writeValue(staging.resolve(CONFIG).toFile(), config);
            if (!weights.isEmpty()) {
                Safetensors.write(staging.resolve(WEIGHTS), weights, Map.of("format", FORMAT,
                        "method", config.path("method").asText()));
            }
            if (Files.exists(folder)) {
                AtomicDirectory.deleteRecursively(folder);
            }
            AtomicDirectory.commit(staging, folder);
        } catch (IOException | RuntimeException e) {
            AtomicDirectory.deleteRecursively(staging);
            throw e;
        }
    }

    /** Reads a committed generator folder; a missing marker, config or weights file is INVALID_INPUT. */
    public static Contents read(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw WorkbenchException.invalid(folder + ": no such generator folder");
        }
        if (!AtomicDirectory.isCommitted(folder)) {
            throw WorkbenchException.invalid(folder + ": incomplete generator folder (no "
                    + AtomicDirectory.COMMIT_MARKER + " marker; it was not fully written)");
        }
        Path configFile = folder.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw WorkbenchException.invalid(folder + ": no " + CONFIG);
        }
        JsonNode config = JSON.readTree(configFile.toFile());
        if (!FORMAT.equals(config.path("format").asText())) {
            throw WorkbenchException.invalid(configFile + ": not a workbench generator (format '"
                    + config.path("format").asText() + "')");
        }
        if (config.path("format_version").asInt() > FORMAT_VERSION) {
            throw WorkbenchException.invalid(configFile + ": format_version " + config.path("format_version").asInt()
                    + " is newer than this build reads (" + FORMAT_VERSION + ")");
        }
        Path weightsFile = folder.resolve(WEIGHTS);
        Map<String, Safetensors.Tensor> weights = Files.isRegularFile(weightsFile)
                ? Safetensors.read(weightsFile).tensors() : Map.of();
        return new Contents(config, weights);
    }

    /** Loads any saved synthesizer (ctgan, independent, gaussian-copula) ready to sample. */
    public static Synthesizer load(Path folder) throws IOException {
        return Synthesizers.load(read(folder), folder);
    }
}
