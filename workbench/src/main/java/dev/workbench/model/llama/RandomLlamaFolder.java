package dev.workbench.model.llama;

import dev.workbench.model.Init;
import dev.workbench.model.hf.HfConfig;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.io.TensorSource;
import dev.workbench.model.tokenizer.ByteTokenizer;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A Hugging Face folder ({@code config.json}, {@code model.safetensors}, a byte-level {@code tokenizer.json}) holding a Llama-family model of a published
 * shape with random weights, for memory and speed measurements without a download ({@code workbench bench llama
 * --write}). Weights are drawn one tensor at a time (linear and embedding weights Normal(0, 0.02), norms 1, biases 0,
 * seeded per name) and streamed to the file, so writing a 0.5B model holds one tensor in memory, not the model.
 */
public final class RandomLlamaFolder {
    /** Qwen/Qwen2.5-0.5B's config.json (the benchmark shape of issue 14: 494M parameters). */
    public static final String QWEN25_05B = """
            {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
             "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
             "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 24,
             "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
             "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true,
             "torch_dtype": "bfloat16", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}""";
    /** A few-MB model of the same kind, for checking the benchmark itself in seconds. */
    public static final String TINY = """
            {"architectures": ["Qwen2ForCausalLM"], "hidden_act": "silu", "hidden_size": 64,
             "intermediate_size": 160, "max_position_embeddings": 1024, "model_type": "qwen2",
             "num_attention_heads": 4, "num_hidden_layers": 2, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
             "rope_theta": 1000000.0, "tie_word_embeddings": true, "use_sliding_window": false,
             "vocab_size": 2048, "eos_token_id": 0}""";
    private static final Map<String, String> SHAPES = Map.of("qwen2.5-0.5b", QWEN25_05B, "tiny", TINY);

    private RandomLlamaFolder() {
    }

    public static Set<String> shapes() {
        return SHAPES.keySet();
    }

    /**
     * Writes {@code folder} (must not exist) for shape {@code name} with weights stored as {@code dtype}; returns the
     * architecture.
     */
    public static LlamaConfig write(String name, Path folder, Safetensors.DType dtype, long seed) throws IOException {
        String json = SHAPES.get(name);
        if (json == null) {
            throw WorkbenchException.invalid("unknown shape '" + name + "' (" + String.join(", ", SHAPES.keySet())
                    + ")");
        }
        if (Files.exists(folder)) {
            throw WorkbenchException.invalid(folder + ": already exists; choose a new folder");
        }
        LlamaConfig config = (LlamaConfig) HfLlamaConfig.parse(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json), Path.of(name)).architecture();
        Files.createDirectories(folder);
        // a byte-level tokenizer (257 ids, <|endoftext|> = 256) so that plan and run accept the folder; the model's
        // own vocabulary is larger, as a padded embedding is
        ByteTokenizer tokenizer = new ByteTokenizer();
        tokenizer.save(folder);
        Files.writeString(folder.resolve(HfConfig.FILE), HfLlamaConfig.toJson(config, tokenizer.endOfTextId()));
        Map<String, long[]> shapes = LlamaWeights.hfShapes(config);
        TensorSource random = new TensorSource() {
            @Override
            public Set<String> names() {
                return shapes.keySet();
            }

            @Override
            public long[] shape(String tensor) {
                return shapes.get(tensor).clone();
            }

            @Override
            public Safetensors.Tensor read(String tensor) {
                long[] shape = shapes.get(tensor);
                float[] values = new float[Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact))];
                if (tensor.endsWith("norm.weight")) {
                    java.util.Arrays.fill(values, 1f);
                } else if (!tensor.endsWith(".bias")) {
                    Random random = Init.random(seed, tensor);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (random.nextGaussian() * 0.02);
                    }
                }
                return new Safetensors.Tensor(Safetensors.DType.F32, shape, values);
            }
        };
        Safetensors.write(folder.resolve("model.safetensors"), random, dtype, Map.of("format", "pt"));
        return config;
    }
}
