package dev.workbench.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * The committed tiny Llama-family models and what transformers computed for them
 * (scripts/hf_reference/make_tiny_llama.py; src/test/resources/hf/llama/README.md).
 */
public final class LlamaFixtures {
    /** One fixture per supported model_type. */
    public static final List<String> MODELS = List.of("llama", "mistral", "qwen2", "qwen3");

    private LlamaFixtures() {
    }

    public static Path folder(String name) {
        return resource("/hf/llama/" + name);
    }

    public static JsonNode expected(String name) {
        try {
            return new ObjectMapper().readTree(resource("/hf/llama/" + name + "-expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What scripts/hf_reference/check_llama_export.py measured with transformers and PEFT on the exports. */
    public static JsonNode expectedExportCheck() {
        try {
            return new ObjectMapper().readTree(resource("/hf/llama/export-check.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static Path resource(String name) {
        try {
            return Path.of(LlamaFixtures.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }
}
