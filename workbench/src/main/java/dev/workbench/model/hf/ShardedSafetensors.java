package dev.workbench.model.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.io.TensorSource;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The weights of a Hugging Face model folder: {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code {"metadata": {...}, "weight_map": {tensor: shard file}}}). Every file is
 * read with {@link Safetensors}' validation; the index is checked against the shards (each listed tensor is in the
 * shard it names, no shard holds an unlisted tensor, shard names are plain file names inside the folder). PyTorch
 * pickle files ({@code pytorch_model.bin}, {@code *.pt}) are never opened: see {@link Safetensors#PICKLE_REFUSAL}.
 */
public final class ShardedSafetensors {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The index is read whole into memory, so bounded. */
    private static final long MAX_INDEX_BYTES = 16L << 20;
    /** A shard is a plain file name: no folder separators, no "..", no hidden file. */
    private static final Pattern SHARD_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*\\.safetensors");
    private static final List<String> PICKLE_FILES = List.of("pytorch_model.bin", "pytorch_model.bin.index.json",
            "model.pt", "model.pth", "model.ckpt");

    private ShardedSafetensors() {
    }

    /** All tensors of the folder whose names {@code wanted} accepts, widened to FP32, in file then header order. */
    public static Map<String, Safetensors.Tensor> read(Path folder, Predicate<String> wanted) {
        return open(folder, wanted).readAll();
    }

    /**
     * The tensors of the folder whose names {@code wanted} accepts, in file then header order: every file and the
     * index validated now, each tensor read (and widened to FP32) only when asked, so a model loads without a second
     * full copy of its weights in Java memory.
     */
    public static TensorSource open(Path folder, Predicate<String> wanted) {
        Path single = folder.resolve(SINGLE);
        Path index = folder.resolve(INDEX);
        try {
            if (Files.isRegularFile(single)) { // as transformers does, a single file wins over an index
                return Safetensors.open(single, wanted);
            }
            if (Files.isRegularFile(index)) {
                return openSharded(folder, index, wanted);
            }
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.INVALID_INPUT, folder + ": cannot read weights: "
                    + e.getMessage(), e);
        }
        for (String pickle : PICKLE_FILES) {
            if (Files.exists(folder.resolve(pickle))) {
                throw WorkbenchException.invalid(folder + ": has " + pickle + " but no " + SINGLE + ". "
                        + Safetensors.PICKLE_REFUSAL);
            }
        }
        throw WorkbenchException.invalid(folder + ": no " + SINGLE + " or " + INDEX + " (weights must be in "
                + "safetensors format)");
    }

    /**
     * Checks, without reading any tensor, that the folder's weights are all there: {@code model.safetensors}, or an
     * index whose every shard exists. Throws as {@link #read} would.
     */
    public static void requirePresent(Path folder) {
        try {
            if (Files.isRegularFile(folder.resolve(SINGLE))) {
                return;
            }
            Path index = folder.resolve(INDEX);
            if (Files.isRegularFile(index)) {
                for (String shard : new java.util.TreeSet<>(weightMap(index).values())) {
                    if (!Files.isRegularFile(folder.resolve(shard))) {
                        throw WorkbenchException.invalid(index + ": lists shard " + shard + ", which is missing from "
                                + folder);
                    }
                }
                return;
            }
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.INVALID_INPUT, folder + ": cannot read weights: "
                    + e.getMessage(), e);
        }
        open(folder, name -> false); // no weights file: the same refusal as a load
    }

    /**
     * The names of the tensors the folder's weights hold, read from the safetensors header or the index alone (no
     * tensor is read); empty when the folder has no weights file (then {@link #read} and {@link #requirePresent} say
     * what is missing). For a family whose config.json leaves a part optional (BERT's pooler).
     */
    public static java.util.Set<String> storedNames(Path folder) {
        try {
            Path single = folder.resolve(SINGLE);
            if (Files.isRegularFile(single)) {
                return Safetensors.readHeader(single).entries().keySet();
            }
            Path index = folder.resolve(INDEX);
            if (Files.isRegularFile(index)) {
                return weightMap(index).keySet();
            }
            return java.util.Set.of();
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.INVALID_INPUT, folder + ": cannot read weights: "
                    + e.getMessage(), e);
        }
    }

    private static TensorSource openSharded(Path folder, Path index, Predicate<String> wanted)
            throws IOException {
        Map<String, String> weightMap = weightMap(index);
        // shard -> tensors it should hold; sorted so files are read in a fixed order
        Map<String, List<String>> byShard = new TreeMap<>();
        weightMap.forEach((tensor, shard) -> byShard.computeIfAbsent(shard, s -> new java.util.ArrayList<>())
                .add(tensor));
        Map<String, TensorSource> byName = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : byShard.entrySet()) {
            Path shard = folder.resolve(entry.getKey());
            if (!Files.isRegularFile(shard)) {
                throw WorkbenchException.invalid(index + ": lists shard " + entry.getKey()
                        + ", which is missing from " + folder);
            }
            Safetensors.Header header = Safetensors.readHeader(shard);
            for (String name : entry.getValue()) {
                if (!header.entries().containsKey(name)) {
                    throw WorkbenchException.invalid(index + ": says tensor '" + name + "' is in " + entry.getKey()
                            + ", but that file does not hold it");
                }
            }
            for (String name : header.entries().keySet()) {
                if (!entry.getKey().equals(weightMap.get(name))) {
                    throw WorkbenchException.invalid(shard + ": holds tensor '" + name + "', which " + INDEX
                            + (weightMap.containsKey(name) ? " places in " + weightMap.get(name) : " does not list"));
                }
            }
            TensorSource source = Safetensors.open(shard, wanted);
            source.names().forEach(name -> byName.put(name, source));
        }
        return new ShardSource(byName);
    }

    /** Tensors spread over validated shards, each read from its own shard when asked. */
    private record ShardSource(Map<String, TensorSource> byName) implements TensorSource {
        @Override
        public java.util.Set<String> names() {
            return java.util.Collections.unmodifiableSet(byName.keySet());
        }

        @Override
        public long[] shape(String name) {
            return shard(name).shape(name);
        }

        @Override
        public Safetensors.Tensor read(String name) {
            return shard(name).read(name);
        }

        @Override
        public float[] readRange(String name, long offset, int count) {
            return shard(name).readRange(name, offset, count);
        }

        private TensorSource shard(String name) {
            TensorSource shard = byName.get(name);
            if (shard == null) {
                throw new IllegalArgumentException("no tensor '" + name + "' in the shards");
            }
            return shard;
        }
    }

    private static Map<String, String> weightMap(Path index) throws IOException {
        if (Files.size(index) > MAX_INDEX_BYTES) {
            throw WorkbenchException.invalid(index + ": " + Files.size(index) + " bytes, over the " + MAX_INDEX_BYTES
                    + "-byte limit for an index (a 70B-parameter model's is about 100 KB)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(index));
        } catch (JsonProcessingException e) {
            throw WorkbenchException.invalid(index + ": not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode map = root == null ? null : root.path("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw WorkbenchException.invalid(index + ": needs a non-empty \"weight_map\" object (tensor -> shard)");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String shard = field.getValue().asText("");
            if (!field.getValue().isTextual() || !SHARD_NAME.matcher(shard).matches()) {
                throw WorkbenchException.invalid(index + ": tensor '" + field.getKey() + "' maps to "
                        + field.getValue() + "; a shard must be a plain *.safetensors file name in the same folder");
            }
            weightMap.put(field.getKey(), shard);
        }
        return weightMap;
    }
}
