package dev.workbench.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.Architecture;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code manifest.json} of a checkpoint folder: what the checkpoint is (task, architecture, tokenizer, labels, LoRA) in
 * one readable line plus the config, and the SHA-256 and size of every other file. Written after every other file and
 * before the {@code COMPLETE} marker; {@link #verify} re-hashes the files on load so a checkpoint changed on disk since
 * it was written (bit rot, a half-copied file, a hand edit) is refused instead of silently loaded.
 *
 * <pre>
 * {"format": "workbench-checkpoint-manifest", "format_version": 1,
 *  "what": "language_model: gpt, 2 layers, 2 heads, dim 32, context 16, vocab 257; byte tokenizer",
 *  "config": {... config.json ...} | null,
 *  "files": {"config.json": {"bytes": 312, "sha256": "9f86d0..."}, "model.safetensors": {...}, ...}}
 * </pre>
 */
public final class CheckpointManifest {
    public static final String FILE = "manifest.json";
    public static final String FORMAT = "workbench-checkpoint-manifest";
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointManifest() {
    }

    /**
     * Hashes every regular file below {@code staging} (except the manifest and the marker) and writes
     * {@code manifest.json}. {@code config} describes the checkpoint; empty for a generic one (the training loop's
     * own tests write such folders).
     */
    public static void write(Path staging, Optional<CheckpointConfig> config) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("what", config.map(CheckpointManifest::describe).orElse("generic checkpoint (no model config)"));
        if (config.isPresent()) {
            root.set("config", JSON.readTree(config.get().toJson()));
        } else {
            root.putNull("config");
        }
        writeFiles(staging, root);
    }

    /**
     * The same manifest for a folder that is not a model checkpoint (a synthesizer's generator folder): {@code what}
     * is its one-line description, {@code config} is null; {@link #verify} checks it the same way.
     */
    public static void write(Path staging, String what) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("what", what);
        root.putNull("config");
        writeFiles(staging, root);
    }

    private static void writeFiles(Path staging, ObjectNode root) throws IOException {
        ObjectNode files = root.putObject("files");
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = staging.relativize(file).toString().replace('\\', '/');
                if (name.equals(FILE) || name.equals(CheckpointIO.MARKER)) {
                    continue;
                }
                ObjectNode entry = files.putObject(name);
                entry.put("bytes", Files.size(file));
                entry.put("sha256", sha256(file));
            }
        }
        Files.writeString(staging.resolve(FILE), JSON.writeValueAsString(root) + "\n");
    }

    /**
     * "language_model: gpt, 2 layers, 2 heads, dim 32, context 16, vocab 257; byte tokenizer[; labels [..]][; LoRA]"
     * (the family after the task).
     */
    public static String describe(CheckpointConfig config) {
        Architecture m = config.model();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%s: %s, %d layers, %d heads, dim %d, context %d, vocab %d; %s tokenizer",
                CheckpointConfig.lower(config.task()), m.family().name(), m.layers(), m.heads(), m.embeddingDim(),
                m.contextLength(), m.vocabSize(), CheckpointConfig.lower(config.tokenizer())));
        if (!config.labels().isEmpty()) {
            s.append("; labels ").append(config.labels());
        }
        config.lora().ifPresent(l -> s.append("; LoRA adapters rank ").append(l.rank()).append(" on ")
                .append(l.targets()));
        return s.toString();
    }

    /** Whether {@code folder} has a manifest (every checkpoint written by this build has one). */
    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve(FILE));
    }

    /**
     * Re-hashes every file the manifest lists and refuses the first one that is missing or whose SHA-256 differs.
     *
     * @throws WorkbenchException INVALID_INPUT naming the folder and the file: "checkpoint file model.safetensors
     *     changed since it was written (sha256 ab12..., manifest.json lists 9f86...)"
     */
    public static void verify(Path folder) {
        Path manifest = folder.resolve(FILE);
        if (!Files.isRegularFile(manifest)) {
            throw WorkbenchException.invalid(folder + ": no " + FILE + " (checkpoints list the SHA-256 of every file "
                    + "there; this one was written by an older build or assembled by hand, so it cannot be verified)");
        }
        JsonNode files;
        try {
            JsonNode root = JSON.readTree(manifest.toFile());
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw WorkbenchException.invalid(manifest + ": not a checkpoint manifest (\"format\" is not \""
                        + FORMAT + "\")");
            }
            files = root.path("files");
            if (!files.isObject() || files.isEmpty()) {
                throw WorkbenchException.invalid(manifest + ": lists no files");
            }
        } catch (IOException e) {
            throw WorkbenchException.invalid(manifest + ": cannot read: " + e.getMessage());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String expected = entry.getValue().path("sha256").asText();
            Path file = folder.resolve(name).normalize();
            if (!file.startsWith(folder.normalize()) || !Files.isRegularFile(file)) {
                throw WorkbenchException.invalid(folder + ": checkpoint file " + name + " is missing (" + FILE
                        + " lists it)");
            }
            String actual;
            try {
                actual = sha256(file);
            } catch (IOException e) {
                throw WorkbenchException.invalid(folder + ": cannot read checkpoint file " + name + ": "
                        + e.getMessage());
            }
            if (!actual.equals(expected)) {
                throw WorkbenchException.invalid(folder + ": checkpoint file " + name
                        + " changed since it was written (sha256 " + actual + ", " + FILE + " lists " + expected
                        + "); refusing to load it");
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
