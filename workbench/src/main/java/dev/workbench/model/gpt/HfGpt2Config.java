package dev.workbench.model.gpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.ModelFamily;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Hugging Face GPT-2 {@code config.json} (transformers' {@code GPT2Config}), mapped to and from {@link GptConfig}.
 *
 * <p>Read: {@code model_type} is {@code gpt2} (gpt2, distilgpt2, gpt2-medium/large/xl and their fine-tunes; the
 * {@code hf.HfConfig} reader found this family by it). Every field that would change the forward pass is checked, and
 * a value the workbench's transformer does not implement is refused with the field's name, never silently ignored.
 * Fields that do not affect the forward pass (task heads' {@code summary_*}, {@code initializer_range},
 * {@code use_cache}, {@code torch_dtype}, generation settings) are ignored.
 */
final class HfGpt2Config {
    static final String MODEL_TYPE = "gpt2";
    static final double LAYER_NORM_EPSILON = 1e-5;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The largest GPT-2 (xl) has 48 layers, width 1600, 1024 positions; far above this is a broken file. */
    private static final long MAX_PARAMETERS = 20_000_000_000L;
    private static final Set<String> ARCHITECTURES = Set.of("GPT2LMHeadModel", "GPT2Model");
    /** transformers' names for the tanh approximation (gelu_fast is the same function, factored differently). */
    private static final Set<String> GELU_TANH = Set.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast");

    private HfGpt2Config() {
    }

    /** The architecture in {@code root}, the parsed config.json {@code file} (named in every error). */
    static ModelFamily.HfArchitecture parse(JsonNode root, Path file) {
        JsonNode architectures = root.path("architectures");
        if (architectures.isArray() && architectures.size() > 0) {
            List<String> names = new ArrayList<>();
            architectures.forEach(a -> names.add(a.asText()));
            if (names.stream().noneMatch(ARCHITECTURES::contains)) {
                throw bad(file, "architectures " + names + " are not supported; expected one of " + ARCHITECTURES);
            }
        }
        int embd = positive(root, file, "n_embd", 768);
        int layers = positive(root, file, "n_layer", 12);
        int heads = positive(root, file, "n_head", 12);
        int vocab = positive(root, file, "vocab_size", 50257);
        int positions = root.has("n_positions") ? positive(root, file, "n_positions", 1024)
                : positive(root, file, "n_ctx", 1024);
        if (embd % heads != 0) {
            throw bad(file, "n_embd " + embd + " is not divisible by n_head " + heads);
        }
        JsonNode inner = root.path("n_inner");
        if (!inner.isMissingNode() && !inner.isNull() && inner.asLong(-1) != 4L * embd) {
            throw bad(file, "n_inner " + inner + " is not supported: the MLP width must be 4 * n_embd = " + 4L * embd);
        }
        long approxParameters = (long) vocab * embd + (long) positions * embd + 12L * layers * embd * embd;
        if (approxParameters > MAX_PARAMETERS) {
            throw bad(file, "describes a model of about " + approxParameters + " parameters, beyond any GPT-2");
        }
        GptConfig.Activation activation = activation(root, file);
        double epsilon = root.path("layer_norm_epsilon").asDouble(LAYER_NORM_EPSILON);
        if (Math.abs(epsilon - LAYER_NORM_EPSILON) > 1e-12) {
            throw bad(file, "layer_norm_epsilon " + epsilon + " is not supported (the workbench's LayerNorm uses "
                    + LAYER_NORM_EPSILON + ", as GPT-2 does)");
        }
        requireFlag(root, file, "scale_attn_weights", true, "attention scores are always scaled by 1/sqrt(head_dim)");
        requireFlag(root, file, "scale_attn_by_inverse_layer_idx", false,
                "per-layer 1/(layer+1) attention scaling is not implemented");
        requireFlag(root, file, "add_cross_attention", false, "cross-attention (encoder-decoder use) is not implemented");
        requireFlag(root, file, "tie_word_embeddings", true,
                "the output projection is always tied to the token embedding (wte)");
        // reorder_and_upcast_attn only changes the order and precision of the q.k product for FP16 training; in FP32,
        // which the workbench always computes in, it is the same function, so it is accepted.
        double dropout = dropout(root, file);
        int eos = root.path("eos_token_id").canConvertToInt() ? root.path("eos_token_id").asInt(-1) : -1;
        return new ModelFamily.HfArchitecture(new GptConfig(vocab, positions, layers, heads, embd, dropout,
                activation), eos);
    }

    private static GptConfig.Activation activation(JsonNode root, Path file) {
        String name = root.path("activation_function").asText("gelu_new");
        if (GELU_TANH.contains(name)) {
            return GptConfig.Activation.GELU_TANH;
        }
        if (name.equals("gelu")) {
            return GptConfig.Activation.GELU;
        }
        throw bad(file, "activation_function '" + name + "' is not supported (gelu_new, gelu_pytorch_tanh, "
                + "gelu_fast or gelu)");
    }

    /**
     * The workbench has one dropout rate (embeddings, attention probabilities, residual branches); GPT-2 has three,
     * all 0.1 in every published checkpoint. If they differ, the largest is used. Only training is affected.
     */
    private static double dropout(JsonNode root, Path file) {
        double max = 0;
        for (String key : List.of("resid_pdrop", "embd_pdrop", "attn_pdrop")) {
            double value = root.path(key).asDouble(0.1);
            if (!(value >= 0 && value < 1)) {
                throw bad(file, key + " " + root.path(key) + " is not in [0, 1)");
            }
            max = Math.max(max, value);
        }
        return max;
    }

    private static int positive(JsonNode root, Path file, String key, int defaultValue) {
        JsonNode node = root.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
            throw bad(file, key + " must be a positive integer, got " + node);
        }
        return node.asInt();
    }

    private static void requireFlag(JsonNode root, Path file, String key, boolean supported, String why) {
        JsonNode node = root.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isBoolean() || node.asBoolean() != supported) {
            throw bad(file, key + " " + node + " is not supported: " + why);
        }
    }

    /**
     * The config.json of an exported model: a GPT-2 config that transformers' {@code GPT2LMHeadModel} loads and that
     * {@link #parse} reads back to {@code gpt}.
     */
    static String toJson(GptConfig gpt, int endOfTextId) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add("GPT2LMHeadModel");
        root.put("model_type", MODEL_TYPE);
        root.put("vocab_size", gpt.vocabSize());
        root.put("n_positions", gpt.contextLength());
        root.put("n_ctx", gpt.contextLength());
        root.put("n_embd", gpt.embeddingDim());
        root.put("n_layer", gpt.layers());
        root.put("n_head", gpt.heads());
        root.putNull("n_inner");
        root.put("activation_function", gpt.activation() == GptConfig.Activation.GELU_TANH ? "gelu_new" : "gelu");
        for (String key : List.of("resid_pdrop", "embd_pdrop", "attn_pdrop")) {
            root.put(key, gpt.dropout());
        }
        root.put("layer_norm_epsilon", LAYER_NORM_EPSILON);
        root.put("initializer_range", 0.02);
        root.put("scale_attn_weights", true);
        root.put("scale_attn_by_inverse_layer_idx", false);
        root.put("reorder_and_upcast_attn", false);
        root.put("tie_word_embeddings", true);
        if (endOfTextId >= 0) {
            root.put("bos_token_id", endOfTextId);
            root.put("eos_token_id", endOfTextId);
        }
        root.put("torch_dtype", "float32");
        root.put("use_cache", true);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WorkbenchException bad(Path file, String message) {
        return WorkbenchException.invalid(file + ": " + message);
    }
}
