package dev.workbench.model.llama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.ModelFamily;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code config.json} of {@code LlamaForCausalLM}, {@code MistralForCausalLM}, {@code Qwen2ForCausalLM}
 * or {@code Qwen3ForCausalLM}, read into a {@link LlamaConfig} and written back for export. Every field that changes
 * the forward pass is read with transformers' default for that model_type when absent; what the workbench does not
 * implement is refused, naming the field: an active sliding window shorter than the context, mixture-of-experts keys,
 * rope scaling other than {@code llama3} and {@code linear}, partial rotary, an activation other than silu, quantized
 * weights. Both the transformers 4 keys ({@code rope_theta}, {@code rope_scaling}) and the transformers 5 key
 * ({@code rope_parameters}) are read.
 */
final class HfLlamaConfig {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** model_type -> the causal-LM class transformers builds for it. */
    static final Map<String, String> ARCHITECTURES = Map.of("llama", "LlamaForCausalLM",
            "mistral", "MistralForCausalLM", "qwen2", "Qwen2ForCausalLM", "qwen3", "Qwen3ForCausalLM");
    /** Keys of mixture-of-experts configs (Mixtral, Qwen MoE, DeepSeek): a dense Llama layer is not what they build. */
    private static final List<String> EXPERT_KEYS = List.of("num_experts", "num_local_experts", "n_routed_experts",
            "num_experts_per_tok", "moe_intermediate_size");

    private HfLlamaConfig() {
    }

    static ModelFamily.HfArchitecture parse(JsonNode root, Path file) {
        String type = root.path("model_type").asText();
        JsonNode architectures = root.path("architectures");
        if (architectures.isArray()) {
            for (JsonNode name : architectures) {
                if (!name.asText().equals(ARCHITECTURES.get(type))) {
                    throw refuse(file, "architectures", "is " + architectures + "; the workbench loads "
                            + ARCHITECTURES.get(type) + " (a causal language model) for model_type " + type);
                }
            }
        }
        for (String key : EXPERT_KEYS) {
            if (root.hasNonNull(key) && !(root.get(key).isNumber() && root.get(key).asInt() == 0)) {
                throw refuse(file, key, "is " + root.get(key) + ": mixture-of-experts layers are not supported");
            }
        }
        if (root.hasNonNull("quantization_config")) {
            throw refuse(file, "quantization_config", "is set: quantized weights are not supported (use the "
                    + "unquantized model)");
        }
        String activation = root.path("hidden_act").asText("silu");
        if (!activation.equals("silu")) {
            throw refuse(file, "hidden_act", "is '" + activation + "'; the Llama family uses silu (SwiGLU)");
        }
        int hidden = positive(root, "hidden_size", file);
        int heads = positive(root, "num_attention_heads", file);
        int kvHeads = root.hasNonNull("num_key_value_heads") ? positive(root, "num_key_value_heads", file) : heads;
        int headDim = root.hasNonNull("head_dim") ? positive(root, "head_dim", file) : hidden / heads;
        if (!root.hasNonNull("head_dim") && hidden % heads != 0) {
            throw refuse(file, "hidden_size", hidden + " is not divisible by num_attention_heads " + heads
                    + " and no head_dim is given");
        }
        int context = positive(root, "max_position_embeddings", file);
        checkSlidingWindow(root, type, context, file);
        JsonNode rope = root.path("rope_parameters"); // transformers 5
        double theta = rope.isObject() && rope.has("rope_theta") ? rope.get("rope_theta").asDouble()
                : root.path("rope_theta").asDouble(10000.0);
        LlamaConfig.RopeScaling scaling = ropeScaling(rope.isObject() ? rope : root.path("rope_scaling"),
                rope.isObject() ? "rope_parameters" : "rope_scaling", file);
        double partial = rope.isObject() && rope.has("partial_rotary_factor")
                ? rope.get("partial_rotary_factor").asDouble() : root.path("partial_rotary_factor").asDouble(1.0);
        if (partial != 1.0) {
            throw refuse(file, "partial_rotary_factor", "is " + partial + "; only full rotary embeddings are "
                    + "supported");
        }
        boolean attentionBias = root.path("attention_bias").asBoolean(false);
        boolean qkvBias = switch (type) {
            case "qwen2" -> true;              // Qwen2Attention: q/k/v always with bias, o without
            case "mistral" -> false;
            default -> attentionBias;          // llama, qwen3: attention_bias adds biases to q, k, v and o
        };
        boolean outputBias = !type.equals("qwen2") && !type.equals("mistral") && attentionBias;
        if (type.equals("mistral") && attentionBias) {
            throw refuse(file, "attention_bias", "is true, which MistralForCausalLM does not implement");
        }
        boolean mlpBias = type.equals("llama") && root.path("mlp_bias").asBoolean(false);
        if (!type.equals("llama") && root.path("mlp_bias").asBoolean(false)) {
            throw refuse(file, "mlp_bias", "is true, which only LlamaForCausalLM implements");
        }
        double dropout = root.path("attention_dropout").asDouble(0.0);
        LlamaConfig config;
        try {
            config = new LlamaConfig(type, positive(root, "vocab_size", file), context,
                    positive(root, "num_hidden_layers", file), heads, kvHeads, hidden, headDim,
                    positive(root, "intermediate_size", file), root.path("rms_norm_eps").asDouble(1e-6), theta,
                    scaling, qkvBias, outputBias, mlpBias, type.equals("qwen3"),
                    root.path("tie_word_embeddings").asBoolean(false), dropout);
        } catch (WorkbenchException e) {
            throw WorkbenchException.invalid(file + ": " + e.getMessage());
        }
        return new ModelFamily.HfArchitecture(config, endOfText(root.get("eos_token_id")));
    }

    /**
     * A sliding window changes attention only where it is shorter than the text; the workbench always attends over
     * the whole context, so a window that could be shorter than max_position_embeddings is refused.
     */
    private static void checkSlidingWindow(JsonNode root, String type, int context, Path file) {
        boolean used = switch (type) {
            case "mistral" -> true;  // MistralConfig's default window is 4096 when the key is absent
            // layers from max_window_layers on slide (transformers' Qwen2Config.layer_types)
            case "qwen2", "qwen3" -> root.path("use_sliding_window").asBoolean(false)
                    && root.path("max_window_layers").asInt(28) < root.path("num_hidden_layers").asInt();
            default -> root.hasNonNull("sliding_window");
        };
        JsonNode layerTypes = root.path("layer_types");
        if (layerTypes.isArray()) {
            used = false;
            for (JsonNode layerType : layerTypes) {
                used |= !layerType.asText().equals("full_attention");
            }
        }
        if (!used) {
            return;
        }
        JsonNode window = root.get("sliding_window");
        if (type.equals("mistral") && window == null) {
            window = JSON.getNodeFactory().numberNode(4096);
        }
        if (window != null && !window.isNull() && window.asLong() < context) {
            throw refuse(file, "sliding_window", "is " + window + ", shorter than max_position_embeddings "
                    + context + ": sliding-window attention is not supported (the workbench attends over the whole "
                    + "context)");
        }
    }

    /** The rope scaling of a v4 {@code rope_scaling} object or a v5 {@code rope_parameters} object; null for none. */
    private static LlamaConfig.RopeScaling ropeScaling(JsonNode node, String key, Path file) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw refuse(file, key, "must be an object or null, got " + node);
        }
        String type = node.has("rope_type") ? node.get("rope_type").asText() : node.path("type").asText("default");
        String field = key + "." + (node.has("rope_type") ? "rope_type" : "type");
        try {
            return switch (type) {
                case "default" -> null;
                case LlamaConfig.RopeScaling.LINEAR -> new LlamaConfig.RopeScaling(type,
                        required(node, "factor", key, file).asDouble(), 0, 0, 0);
                case LlamaConfig.RopeScaling.LLAMA3 -> new LlamaConfig.RopeScaling(type,
                        required(node, "factor", key, file).asDouble(),
                        required(node, "low_freq_factor", key, file).asDouble(),
                        required(node, "high_freq_factor", key, file).asDouble(),
                        required(node, "original_max_position_embeddings", key, file).asInt());
                default -> throw refuse(file, field, "is '" + type + "'; supported: llama3, linear (or none)");
            };
        } catch (WorkbenchException e) {
            if (e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw WorkbenchException.invalid(file + ": " + key + ": " + e.getMessage());
        }
    }

    private static JsonNode required(JsonNode node, String name, String key, Path file) {
        if (!node.path(name).isNumber()) {
            throw refuse(file, key + "." + name, "must be a number, got " + node.get(name));
        }
        return node.get(name);
    }

    /** eos_token_id as one id; -1 when absent or a list (instruct models list several; the tokenizer's is used). */
    private static int endOfText(JsonNode node) {
        return node != null && node.isIntegralNumber() ? node.asInt() : -1;
    }

    private static int positive(JsonNode root, String key, Path file) {
        JsonNode node = root.get(key);
        if (node == null || !node.isIntegralNumber() || node.asLong() <= 0 || node.asLong() > Integer.MAX_VALUE) {
            throw refuse(file, key, "must be a positive integer, got " + node);
        }
        return node.asInt();
    }

    private static WorkbenchException refuse(Path file, String key, String problem) {
        return WorkbenchException.invalid(file + ": " + key + " " + problem);
    }

    /** The config.json transformers reads back to {@code config} (transformers 4 keys, which 5 also reads). */
    static String toJson(LlamaConfig config, int endOfTextId) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode architectures = root.putArray("architectures");
        architectures.add(ARCHITECTURES.get(config.modelType()));
        root.put("model_type", config.modelType());
        root.put("vocab_size", config.vocabSize());
        root.put("hidden_size", config.embeddingDim());
        root.put("intermediate_size", config.intermediateSize());
        root.put("num_hidden_layers", config.layers());
        root.put("num_attention_heads", config.heads());
        root.put("num_key_value_heads", config.kvHeads());
        root.put("head_dim", config.headDim());
        root.put("max_position_embeddings", config.contextLength());
        root.put("hidden_act", "silu");
        root.put("rms_norm_eps", config.rmsNormEps());
        root.put("rope_theta", config.ropeTheta());
        if (config.ropeScaling() == null) {
            root.putNull("rope_scaling");
        } else {
            ObjectNode scaling = root.putObject("rope_scaling");
            scaling.put("rope_type", config.ropeScaling().type());
            scaling.put("factor", config.ropeScaling().factor());
            if (config.ropeScaling().type().equals(LlamaConfig.RopeScaling.LLAMA3)) {
                scaling.put("low_freq_factor", config.ropeScaling().lowFreqFactor());
                scaling.put("high_freq_factor", config.ropeScaling().highFreqFactor());
                scaling.put("original_max_position_embeddings", config.ropeScaling().originalMaxPositionEmbeddings());
            }
        }
        switch (config.modelType()) {
            case "llama", "qwen3" -> root.put("attention_bias", config.qkvBias());
            case "mistral" -> root.putNull("sliding_window");
            case "qwen2" -> {
                root.put("use_sliding_window", false);
                root.putNull("sliding_window");
            }
            default -> throw new IllegalStateException(config.modelType());
        }
        if (config.modelType().equals("qwen3")) {
            root.put("use_sliding_window", false);
            root.putNull("sliding_window");
        }
        if (config.modelType().equals("llama")) {
            root.put("mlp_bias", config.mlpBias());
        }
        root.put("attention_dropout", config.dropout());
        root.put("tie_word_embeddings", config.tiedEmbeddings());
        root.put("initializer_range", 0.02);
        root.put("use_cache", true);
        root.put("torch_dtype", "float32");
        if (endOfTextId >= 0) {
            root.put("eos_token_id", endOfTextId);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config.json", e);
        }
    }
}
