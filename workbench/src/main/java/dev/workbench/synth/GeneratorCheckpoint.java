package dev.workbench.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.io.CheckpointManifest;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.DiskFullException;
import dev.workbench.model.io.Safetensors;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A reusable generator folder ({@code synthetic/<method>/generator/}): {@code config.json} (format, method, table
 * profile, encoder state, architecture and training facts), {@code model.safetensors} for neural generators,
 * {@code manifest.json} (SHA-256 of every file, {@link CheckpointManifest}, verified on every load) and the commit
 * marker of {@link AtomicDirectory}. It is written into a staging folder and renamed into place, so a folder
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

    /** A neural generator's config: the common header, the table profile and the fitted encoder's state. */
    static ObjectNode newConfig(String method, TableProfile profile, TableEncoder encoder) {
        ObjectNode config = newConfig(method);
        config.set("profile", JSON.valueToTree(profile));
        config.set("encoder", JSON.valueToTree(encoder.state()));
        return config;
    }

    /** The table profile a generator config holds. */
    static TableProfile profile(JsonNode config) throws IOException {
        return JSON.treeToValue(config.get("profile"), TableProfile.class);
    }

    /** The encoder a neural generator config holds, over its {@code profile}. */
    static TableEncoder encoder(JsonNode config, TableProfile profile) throws IOException {
        return TableEncoder.fromState(profile, JSON.treeToValue(config.get("encoder"), TableEncoder.State.class));
    }

    /** Writes the folder atomically; an existing committed folder at {@code folder} is replaced. */
    static void write(Path folder, ObjectNode config, Map<String, Safetensors.Tensor> weights) throws IOException {
        Path staging = AtomicDirectory.staging(folder);
        try {
            JSON.writeValue(staging.resolve(CONFIG).toFile(), config);
            if (!weights.isEmpty()) {
                // keys in a fixed order: Map.of's iteration order changes from one JVM start to the next, and a
                // seeded run's weights file must come out the same byte for byte
                Safetensors.write(staging.resolve(WEIGHTS), weights, Safetensors.DType.F32, new TreeMap<>(Map.of(
                        "format", FORMAT, "method", config.path("method").asText())));
            }
            // hashes of config.json and the weights, checked on every load (model checkpoints do the same)
            CheckpointManifest.write(staging, "generator: " + config.path("method").asText()
                    + (weights.isEmpty() ? "" : ", " + weights.size() + " weight tensors"));
            if (Files.exists(folder)) {
                AtomicDirectory.deleteRecursively(folder);
            }
            AtomicDirectory.commit(staging, folder);
        } catch (IOException e) {
            IOException named = DiskFullException.namingNewestIn(staging, e);
            AtomicDirectory.deleteRecursively(staging);
            throw named;
        } catch (RuntimeException e) {
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
        // a changed, truncated or missing file is refused here, before it is parsed
        CheckpointManifest.verify(folder);
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
                ? Safetensors.read(weightsFile) : Map.of();
        return new Contents(config, weights);
    }

    /**
     * The generator folder that {@code checkpoint} names: a generator folder itself (it has {@code config.json}), or a
     * run folder, whose {@code synthetic/<method>/generator} is taken ({@code method} defaults to ctgan). With a
     * generator folder, a given {@code method} must match the one it holds.
     *
     * @throws WorkbenchException INVALID_INPUT saying which generators a run folder has when the one asked for is not
     *     there
     */
    public static Path resolve(Path checkpoint, Optional<String> method) throws IOException {
        if (!Files.isDirectory(checkpoint)) {
            throw WorkbenchException.invalid(checkpoint + ": no such folder (expected a generator folder or a run "
                    + "folder with " + RunFolder.SYNTHETIC + "/<method>/" + RunFolder.GENERATOR + ")");
        }
        if (Files.isRegularFile(checkpoint.resolve(CONFIG))) {
            if (method.isPresent()) {
                String held = JSON.readTree(checkpoint.resolve(CONFIG).toFile()).path("method").asText();
                if (!held.equals(method.get())) {
                    throw WorkbenchException.invalid(checkpoint + ": this generator folder holds method '" + held
                            + "', not '" + method.get() + "' (--method picks a generator inside a run folder)");
                }
            }
            return checkpoint;
        }
        Path synthetic = checkpoint.resolve(RunFolder.SYNTHETIC);
        String wanted = method.orElse(CtganSynthesizer.NAME);
        Path folder = synthetic.resolve(wanted).resolve(RunFolder.GENERATOR);
        if (Files.isDirectory(folder)) {
            return folder;
        }
        List<String> available = new ArrayList<>();
        if (Files.isDirectory(synthetic)) {
            try (Stream<Path> children = Files.list(synthetic)) {
                children.filter(p -> Files.isDirectory(p.resolve(RunFolder.GENERATOR)))
                        .map(p -> p.getFileName().toString()).sorted().forEach(available::add);
            }
        }
        if (!Files.isDirectory(synthetic)) {
            throw WorkbenchException.invalid(checkpoint + ": neither a generator folder (no " + CONFIG + ") nor a run "
                    + "folder with generators (no " + RunFolder.SYNTHETIC + "/; did the recipe have a synthesize "
                    + "section?)");
        }
        throw WorkbenchException.invalid(checkpoint + ": the run has no " + wanted + " generator ("
                + RunFolder.SYNTHETIC + "/" + wanted + "/" + RunFolder.GENERATOR + " is missing); it has "
                + (available.isEmpty() ? "none" : String.join(", ", available)) + "; pick one with --method");
    }

    /** Loads any saved synthesizer (ctgan, tvae, independent, gaussian-copula) ready to sample. */
    public static Synthesizer load(Path folder) throws IOException {
        return Synthesizers.load(read(folder), folder);
    }
}
