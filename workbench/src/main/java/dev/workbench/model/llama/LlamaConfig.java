package dev.workbench.model.llama;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.workbench.model.Architecture;
import dev.workbench.recipe.WorkbenchException;

import java.util.List;

/**
 * Architecture of a Llama-style decoder (Llama 2/3, Mistral, Qwen2/2.5, Qwen3, SmolLM2 and their fine-tunes): what a
 * workbench checkpoint's {@code config.json} stores under {@code "model"} (snake_case keys), read from a Hugging Face
 * config.json by {@link HfLlamaConfig}.
 *
 * @param modelType the Hugging Face {@code model_type} it came from ({@code llama}, {@code mistral}, {@code qwen2},
 *     {@code qwen3}); export writes it back
 * @param contextLength {@code max_position_embeddings}: the longest input accepted (rotary positions are computed,
 *     not learned, but the workbench does not go beyond what the model was built for)
 * @param kvHeads {@code num_key_value_heads}: grouped-query attention shares each key/value head among
 *     {@code heads / kvHeads} query heads
 * @param embeddingDim {@code hidden_size}
 * @param headDim {@code head_dim}, else {@code hidden_size / heads}
 * @param intermediateSize the gated MLP's hidden width
 * @param rmsNormEps epsilon of every RMSNorm
 * @param ropeTheta rotary base ({@code rope_theta})
 * @param ropeScaling null, or the {@code llama3} / {@code linear} rescaling of the rotary frequencies
 * @param qkvBias q, k and v projections have biases (Qwen2 always; Llama/Qwen3 with {@code attention_bias})
 * @param outputBias the attention output projection has a bias (Llama/Qwen3 with {@code attention_bias})
 * @param mlpBias gate, up and down have biases (Llama's {@code mlp_bias})
 * @param qkNorm an RMSNorm over each head of q and of k before the rotation (Qwen3)
 * @param tiedEmbeddings the output projection is the token embedding ({@code tie_word_embeddings})
 * @param dropout attention-probability dropout while training ({@code attention_dropout}; 0 in published models)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LlamaConfig(String modelType, int vocabSize, int contextLength, int layers, int heads, int kvHeads,
                          int embeddingDim, int headDim, int intermediateSize, double rmsNormEps, double ropeTheta,
                          @JsonInclude(JsonInclude.Include.ALWAYS) RopeScaling ropeScaling, boolean qkvBias,
                          boolean outputBias, boolean mlpBias, boolean qkNorm, boolean tiedEmbeddings,
                          double dropout) implements Architecture {
    /** Every projection of a layer, in layer order: attention q, k, v, o, then the gated MLP's gate, up and down. */
    public static final List<String> PROJECTIONS = List.of("q", "k", "v", "o", "gate", "up", "down");
    /** The model_types this family imports. */
    public static final List<String> MODEL_TYPES = List.of("llama", "mistral", "qwen2", "qwen3");

    /**
     * How the rotary frequencies are rescaled for longer contexts: {@code linear} divides every frequency by
     * {@code factor}; {@code llama3} divides only the low frequencies, keeps the high ones and blends in between
     * (Llama 3.1's scheme; the other fields are its parameters, 0 for linear).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositionEmbeddings) {
        public static final String LLAMA3 = "llama3";
        public static final String LINEAR = "linear";

        public RopeScaling {
            require(type.equals(LLAMA3) || type.equals(LINEAR), "rope_scaling type must be llama3 or linear, got "
                    + type);
            require(factor >= 1, "rope_scaling factor must be at least 1, got " + factor);
            if (type.equals(LLAMA3)) {
                require(lowFreqFactor > 0 && highFreqFactor > lowFreqFactor, "rope_scaling needs 0 < "
                        + "low_freq_factor < high_freq_factor, got " + lowFreqFactor + " and " + highFreqFactor);
                require(originalMaxPositionEmbeddings > 0, "rope_scaling original_max_position_embeddings must be "
                        + "positive, got " + originalMaxPositionEmbeddings);
            }
        }
    }

    public LlamaConfig {
        require(modelType != null && MODEL_TYPES.contains(modelType), "model_type must be one of " + MODEL_TYPES
                + ", got " + modelType);
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(contextLength > 0, "context_length must be positive, got " + contextLength);
        require(layers > 0, "layers must be positive, got " + layers);
        require(heads > 0, "heads must be positive, got " + heads);
        require(kvHeads > 0 && heads % kvHeads == 0, "heads (" + heads + ") must be a multiple of kv_heads ("
                + kvHeads + ")");
        require(embeddingDim > 0, "embedding_dim must be positive, got " + embeddingDim);
        require(headDim > 0 && headDim % 2 == 0, "head_dim must be positive and even (rotary pairs), got " + headDim);
        require(intermediateSize > 0, "intermediate_size must be positive, got " + intermediateSize);
        require(rmsNormEps > 0, "rms_norm_eps must be positive, got " + rmsNormEps);
        require(ropeTheta > 0, "rope_theta must be positive, got " + ropeTheta);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
    }

    @Override
    public LlamaFamily family() {
        return LlamaFamily.INSTANCE;
    }

    /** Width of all query heads together (q's output, o's input). */
    public int queryDim() {
        return heads * headDim;
    }

    /** Width of all key (or value) heads together. */
    public int keyValueDim() {
        return kvHeads * headDim;
    }

    @Override
    public long parameterCount() {
        return embeddingParameterCount() + (tiedEmbeddings ? 0 : (long) vocabSize * embeddingDim)
                + layers * layerParameterCount() + embeddingDim; // + final norm
    }

    /** The token embedding (with tied embeddings, also the output projection). */
    @Override
    public long embeddingParameterCount() {
        return (long) vocabSize * embeddingDim;
    }

    /** Two RMSNorms, q, k, v, o (with their biases), q/k norms, gate, up, down (with theirs). */
    @Override
    public long layerParameterCount() {
        long d = embeddingDim;
        long q = queryDim();
        long kv = keyValueDim();
        long i = intermediateSize;
        long attention = d * q + 2 * d * kv + q * d + (qkvBias ? q + 2 * kv : 0) + (outputBias ? d : 0)
                + (qkNorm ? 2L * headDim : 0);
        long mlp = 3 * d * i + (mlpBias ? 2 * i + d : 0);
        return 2 * d + attention + mlp;
    }

    @Override
    public List<String> projectionRoles() {
        return PROJECTIONS;
    }

    @Override
    public int projectionInputs(String role) {
        return switch (requireRole(role)) {
            case "o" -> queryDim();
            case "down" -> intermediateSize;
            default -> embeddingDim;
        };
    }

    @Override
    public int projectionOutputs(String role) {
        return switch (requireRole(role)) {
            case "q" -> queryDim();
            case "k", "v" -> keyValueDim();
            case "gate", "up" -> intermediateSize;
            default -> embeddingDim;
        };
    }

    private static String requireRole(String role) {
        if (!PROJECTIONS.contains(role)) {
            throw new IllegalArgumentException("a Llama layer has no projection '" + role + "' (has " + PROJECTIONS
                    + ")");
        }
        return role;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw WorkbenchException.invalid("model config: " + message);
        }
    }
}
