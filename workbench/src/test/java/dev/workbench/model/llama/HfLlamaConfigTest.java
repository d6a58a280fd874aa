package dev.workbench.model.llama;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.ModelFamily;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * config.json as published on the hub (transformers 4 keys: rope_theta, rope_scaling) is read with transformers'
 * defaults; parameter counts equal the published ones; whatever the family does not implement is refused, naming the
 * field; export writes a config that reads back to the same architecture.
 */
class HfLlamaConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FILE = Path.of("somewhere", "config.json");

    /** Qwen/Qwen2.5-0.5B's config.json (transformers 4.40). */
    static final String QWEN25_05B = """
            {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
             "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
             "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 24,
             "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
             "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true,
             "torch_dtype": "bfloat16", "transformers_version": "4.40.1", "use_cache": true, "use_mrope": false,
             "use_sliding_window": false, "vocab_size": 151936}""";

    /** meta-llama/Llama-3.2-1B's config.json (transformers 4.45). */
    static final String LLAMA32_1B = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "bos_token_id": 128000, "eos_token_id": 128001, "head_dim": 64, "hidden_act": "silu",
             "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 8192,
             "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32,
             "num_hidden_layers": 16, "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
             "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                              "original_max_position_embeddings": 8192, "rope_type": "llama3"},
             "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true,
             "vocab_size": 128256}""";

    /** mistralai/Mistral-7B-v0.1's config.json: a 4096-token sliding window in a 32768-position model. */
    static final String MISTRAL_7B_V01 = """
            {"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
             "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336,
             "max_position_embeddings": 32768, "model_type": "mistral", "num_attention_heads": 32,
             "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
             "sliding_window": 4096, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "use_cache": true,
             "vocab_size": 32000}""";

    private static ModelFamily.HfArchitecture parse(String json) throws Exception {
        return HfLlamaConfig.parse(JSON.readTree(json), FILE);
    }

    @Test
    void qwen25HalfBillionReadsWithItsPublishedParameterCount() throws Exception {
        ModelFamily.HfArchitecture hf = parse(QWEN25_05B);
        LlamaConfig config = (LlamaConfig) hf.architecture();
        assertEquals(494_032_768L, config.parameterCount()); // "Qwen2.5-0.5B: 0.49B parameters"
        assertEquals(151643, hf.endOfTextId());
        assertTrue(config.qkvBias());
        assertFalse(config.outputBias());
        assertTrue(config.tiedEmbeddings());
        assertEquals(2, config.kvHeads());
        assertEquals(64, config.headDim());
        assertEquals(1e6, config.ropeTheta());
        assertNull(config.ropeScaling());
        assertEquals(32768, config.contextLength());
    }

    @Test
    void llama32ReadsTransformers4RopeScaling() throws Exception {
        LlamaConfig config = (LlamaConfig) parse(LLAMA32_1B).architecture();
        assertEquals(1_235_814_400L, config.parameterCount());
        assertEquals(new LlamaConfig.RopeScaling("llama3", 32, 1, 4, 8192), config.ropeScaling());
        assertEquals(500000.0, config.ropeTheta());
        // llama3 scaling: the highest frequency kept, the lowest divided by the factor
        double[] inverse = Rotary.inverseFrequencies(config);
        assertEquals(1.0, inverse[0], 1e-7);
        double unscaled = 1 / Math.pow(500000.0, 62.0 / 64);
        assertEquals(unscaled / 32, inverse[31], unscaled * 1e-6);
    }

    @Test
    void exportedConfigReadsBackToTheSameArchitecture() throws Exception {
        for (String json : new String[] {QWEN25_05B, LLAMA32_1B}) {
            LlamaConfig config = (LlamaConfig) parse(json).architecture();
            ModelFamily.HfArchitecture back = parse(HfLlamaConfig.toJson(config, 7));
            assertEquals(config, back.architecture());
            assertEquals(7, back.endOfTextId());
        }
    }

    @Test
    void unsupportedOptionsAreRefusedNamingTheField() {
        refused(MISTRAL_7B_V01, c -> { }, "sliding_window is 4096, shorter than max_position_embeddings 32768");
        refused(QWEN25_05B, c -> c.put("use_sliding_window", true).put("sliding_window", 4096)
                .put("max_window_layers", 0), "sliding_window is 4096");
        refused(QWEN25_05B, c -> c.put("num_experts", 60), "num_experts is 60: mixture-of-experts");
        refused(MISTRAL_7B_V01, c -> c.put("sliding_window", 32768).put("num_local_experts", 8),
                "num_local_experts is 8");
        refused(LLAMA32_1B, c -> ((ObjectNode) c.get("rope_scaling")).put("rope_type", "yarn"),
                "rope_scaling.rope_type is 'yarn'; supported: llama3, linear");
        refused(LLAMA32_1B, c -> c.putObject("rope_scaling").put("type", "dynamic").put("factor", 2.0),
                "rope_scaling.type is 'dynamic'");
        refused(LLAMA32_1B, c -> c.put("hidden_act", "gelu"), "hidden_act is 'gelu'");
        refused(LLAMA32_1B, c -> c.put("partial_rotary_factor", 0.5), "partial_rotary_factor is 0.5");
        refused(LLAMA32_1B, c -> c.putObject("quantization_config").put("quant_method", "gptq"),
                "quantization_config is set");
        refused(LLAMA32_1B, c -> c.putArray("architectures").add("LlamaForSequenceClassification"),
                "architectures is [\"LlamaForSequenceClassification\"]");
        refused(LLAMA32_1B, c -> c.remove("hidden_size"), "hidden_size must be a positive integer, got null");
        refused(LLAMA32_1B, c -> c.put("num_key_value_heads", 5), "heads (32) must be a multiple of kv_heads (5)");
    }

    @Test
    void mistralWithoutAWindowAndQwenWithItsWindowOffAreAccepted() throws Exception {
        ObjectNode mistral = (ObjectNode) JSON.readTree(MISTRAL_7B_V01);
        mistral.putNull("sliding_window"); // Mistral 7B v0.2 and later
        assertEquals("mistral", ((LlamaConfig) parse(mistral.toString()).architecture()).modelType());
        ObjectNode qwen = (ObjectNode) JSON.readTree(QWEN25_05B);
        qwen.put("sliding_window", 4096); // ignored: use_sliding_window is false
        assertEquals(24, parse(qwen.toString()).architecture().layers());
    }

    private static void refused(String json, Consumer<ObjectNode> change, String message) {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> {
            ObjectNode config = (ObjectNode) JSON.readTree(json);
            change.accept(config);
            parse(config.toString());
        });
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(FILE.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
