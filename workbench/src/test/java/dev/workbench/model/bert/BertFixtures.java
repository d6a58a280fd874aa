package dev.workbench.model.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed tiny BERT, RoBERTa and DistilBERT folders and what transformers computed for them
 * ({@code scripts/hf_reference/make_tiny_bert.py}; src/test/resources/hf/README.md).
 */
public final class BertFixtures {
    /** The model types, as the folders are named ({@code hf/tiny-<type>}). */
    public static final List<String> TYPES = List.of("bert", "roberta", "distilbert");

    private BertFixtures() {
    }

    public static Path folder(String type) {
        return resource("/hf/tiny-" + type);
    }

    /** texts, ids (unpadded, special tokens included), input_ids / attention_mask (padded batch), outputs. */
    public static JsonNode expected(String type) {
        try {
            return new ObjectMapper().readTree(resource("/hf/tiny-" + type + "-expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A (rows, columns) integer matrix of the JSON. */
    static long[][] longs(JsonNode matrix) {
        long[][] out = new long[matrix.size()][];
        for (int r = 0; r < out.length; r++) {
            JsonNode row = matrix.get(r);
            out[r] = new long[row.size()];
            for (int c = 0; c < out[r].length; c++) {
                out[r][c] = row.get(c).asLong();
            }
        }
        return out;
    }

    /** Every number of a nested JSON array, flattened in order. */
    static float[] flat(JsonNode nested) {
        List<Float> values = new java.util.ArrayList<>();
        collect(nested, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void collect(JsonNode node, List<Float> into) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, into));
        } else {
            into.add((float) node.asDouble());
        }
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** A writable copy of a fixture folder. */
    public static Path copy(String type, Path into) throws IOException {
        Files.createDirectories(into);
        try (Stream<Path> files = Files.list(folder(type))) {
            for (Path file : files.toList()) {
                Files.copy(file, into.resolve(file.getFileName().toString()));
            }
        }
        return into;
    }

    private static Path resource(String name) {
        try {
            return Path.of(BertFixtures.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }
}
