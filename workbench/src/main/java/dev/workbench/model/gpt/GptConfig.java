package dev.workbench.model.gpt;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.workbench.model.Architecture;
import dev.workbench.recipe.WorkbenchException;

import java.util.List;
import java.util.Locale;

/**
 * Architecture of a GPT-style decoder: what {@code config.json} stores under {@code "model"} (snake_case keys) and all a
 * {@link GptModel} or a classifier on its {@link Transformer} needs to be rebuilt before its weights are read back.
 *
 * @param vocabSize size of the token id space (the tokenizer's, special tokens included)
 * @param contextLength longest input; also the number of learned position embeddings
 * @param embeddingDim width of the residual stream; must be divisible by {@code heads}
 * @param dropout used on embeddings, attention probabilities and residual branches while training
 * @param activation the MLP's non-linearity; {@code gelu} (exact, erf) unless a pretrained model needs GPT-2's
 *     tanh approximation. Absent in config.json written before it existed, which means {@code gelu}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GptConfig(int vocabSize, int contextLength, int layers, int heads, int embeddingDim, double dropout,
                        Activation activation) implements Architecture {
    /** Every projection of a block, in block order: attention q, k, v, o, then the MLP's up and down. */
    private static final List<String> PROJECTIONS = List.of("q", "k", "v", "o", "up", "down");

    /** MLP non-linearity, written to config.json in lowercase. */
    public enum Activation {
        /** x * Phi(x) with the exact normal CDF (PyTorch's default {@code gelu}). */
        GELU,
        /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): OpenAI GPT-2's "gelu_new". */
        GELU_TANH;

        /** This GELU applied to {@code x}. */
        public ai.djl.ndarray.NDArray apply(ai.djl.ndarray.NDArray x) {
            return this == GELU ? ai.djl.nn.Activation.gelu(x) : dev.workbench.model.Activations.geluTanh(x);
        }

        @JsonValue
        public String lower() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Activation parse(String value) {
            for (Activation activation : values()) {
                if (activation.lower().equals(value)) {
                    return activation;
                }
            }
            throw WorkbenchException.invalid("model config: unknown activation '" + value + "' (gelu or gelu_tanh)");
        }
    }

    /** The workbench's own architecture: exact GELU. */
    public GptConfig(int vocabSize, int contextLength, int layers, int heads, int embeddingDim, double dropout) {
        this(vocabSize, contextLength, layers, heads, embeddingDim, dropout, Activation.GELU);
    }

    public GptConfig {
        if (activation == null) {
            activation = Activation.GELU;
        }
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(contextLength > 0, "context_length must be positive, got " + contextLength);
        require(layers > 0, "layers must be positive, got " + layers);
        require(heads > 0, "heads must be positive, got " + heads);
        require(embeddingDim > 0, "embedding_dim must be positive, got " + embeddingDim);
        require(embeddingDim % heads == 0,
                "embedding_dim (" + embeddingDim + ") must be divisible by heads (" + heads + ")");
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
    }

    @Override
    public GptFamily family() {
        return GptFamily.INSTANCE;
    }

    public int headDim() {
        return embeddingDim / heads;
    }

    /** Number of trainable values of the language model (output projection tied, so not counted twice). */
    @Override
    public long parameterCount() {
        return embeddingParameterCount() + layers * layerParameterCount() + 2L * embeddingDim; // + final norm
    }

    /** Values of the token and position embeddings. */
    @Override
    public long embeddingParameterCount() {
        return (long) vocabSize * embeddingDim + (long) contextLength * embeddingDim;
    }

    /** Values of one transformer block: q, k, v, o with biases, the MLP up and down, two layer norms. */
    @Override
    public long layerParameterCount() {
        long d = embeddingDim;
        return 4 * (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + 4 * d;
    }

    @Override
    public List<String> projectionRoles() {
        return PROJECTIONS;
    }

    /** The MLP's down projection reads the 4x wider hidden layer; every other projection reads the stream. */
    @Override
    public int projectionInputs(String role) {
        return requireRole(role).equals("down") ? 4 * embeddingDim : embeddingDim;
    }

    /** The MLP's up projection writes the 4x wider hidden layer; every other projection writes the stream. */
    @Override
    public int projectionOutputs(String role) {
        return requireRole(role).equals("up") ? 4 * embeddingDim : embeddingDim;
    }

    private static String requireRole(String role) {
        if (!PROJECTIONS.contains(role)) {
            throw new IllegalArgumentException("a GPT block has no projection '" + role + "' (has " + PROJECTIONS
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
