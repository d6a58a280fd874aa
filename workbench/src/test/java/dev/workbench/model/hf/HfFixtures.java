package dev.workbench.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.model.LanguageModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The committed tiny GPT-2 (see src/test/resources/hf/README.md) and the logits the independent PyTorch reference
 * computed for it.
 */
final class HfFixtures {
    private HfFixtures() {
    }

    static Path tinyGpt2() {
        return resource("/hf/tiny-gpt2");
    }

    /** {@code gpt2_reference.py}'s output: inputs[s] (ids) and logits[s][t][v] in float64. */
    static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(resource("/hf/tiny-gpt2-expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long[] ids(JsonNode expected, int sequence) {
        JsonNode row = expected.path("inputs").get(sequence);
        long[] ids = new long[row.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = row.get(i).asLong();
        }
        return ids;
    }

    static float[] expectedLogits(JsonNode expected, int sequence) {
        JsonNode positions = expected.path("logits").get(sequence);
        int vocab = positions.get(0).size();
        float[] flat = new float[positions.size() * vocab];
        for (int t = 0; t < positions.size(); t++) {
            for (int v = 0; v < vocab; v++) {
                flat[t * vocab + v] = (float) positions.get(t).get(v).asDouble();
            }
        }
        return flat;
    }

    /** Logits (T x V, flattened) of one unpadded sequence, inference mode. */
    static float[] logits(LanguageModel model, NDManager manager, long[] ids) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = sub.create(new long[][] {ids});
            return model.forward(new ParameterStore(sub, false), new NDList(input), false).head().toFloatArray();
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

    /** A writable copy of the fixture folder. */
    static Path copyOfTinyGpt2(Path into) throws IOException {
        Files.createDirectories(into);
        try (Stream<Path> files = Files.list(tinyGpt2())) {
            for (Path file : files.toList()) {
                Files.copy(file, into.resolve(file.getFileName().toString()));
            }
        }
        return into;
    }

    private static Path resource(String name) {
        try {
            return Path.of(HfFixtures.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }
}
