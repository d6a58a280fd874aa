package dev.workbench.model.bert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.workbench.model.Architecture;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.util.List;
import java.util.Locale;

/**
 * Architecture of a BERT-style encoder (BERT, RoBERTa, DistilBERT): what a checkpoint's {@code config.json} stores
 * under {@code "model"} (snake_case keys) and all a {@link BertEncoder} needs to be rebuilt before its weights are
 * read back. The three variants compute the same function up to what these fields say (token types or none, where
 * position ids start, epsilon); {@link #variant} only decides the Hugging Face names and config.json.
 *
 * @param variant which Hugging Face model_type the weights came from (names and config.json on export)
 * @param vocabSize size of the token id space
 * @param maxPositions rows of the learned position table ({@code max_position_embeddings})
 * @param typeVocabSize rows of the token type table; 0 for none (DistilBERT). Inputs are always type 0 (one text).
 * @param embeddingDim width of the residual stream ({@code hidden_size}); divisible by {@code heads}
 * @param intermediateSize width of the feed-forward layer ({@code intermediate_size}, 4 x hidden in published models)
 * @param activation the feed-forward non-linearity
 * @param layerNormEpsilon every LayerNorm's epsilon (BERT and DistilBERT 1e-12, RoBERTa 1e-5)
 * @param dropout on embeddings, residual branches and the classifier head's input while training
 *     ({@code hidden_dropout_prob})
 * @param attentionDropout on attention probabilities while training ({@code attention_probs_dropout_prob})
 * @param positionPaddingIndex -1: token i has position i (BERT, DistilBERT); otherwise RoBERTa's scheme: real tokens
 *     count positions from {@code positionPaddingIndex + 1}, padding sits at {@code positionPaddingIndex}, so only
 *     {@code maxPositions - positionPaddingIndex - 1} tokens fit
 * @param pooler whether the trunk ends in BERT's pooler (dense + tanh over the first token), which
 *     {@link Finetune.Pooling#CLS} pooling uses; true only when pretrained pooler weights exist (and for a classifier
 *     with CLS pooling on them)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BertConfig(Variant variant, int vocabSize, int maxPositions, int typeVocabSize, int layers, int heads,
                         int embeddingDim, int intermediateSize, Activation activation, double layerNormEpsilon,
                         double dropout, double attentionDropout, int positionPaddingIndex, boolean pooler)
        implements Architecture {
    /** Every projection of a layer, in layer order: attention q, k, v, o, then the feed-forward up and down. */
    private static final List<String> PROJECTIONS = List.of("q", "k", "v", "o", "up", "down");

    /** The Hugging Face model_type a BERT-style encoder came from, written to config.json in lowercase. */
    public enum Variant {
        BERT, ROBERTA, DISTILBERT;

        @JsonValue
        public String lower() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Variant parse(String value) {
            for (Variant variant : values()) {
                if (variant.lower().equals(value)) {
                    return variant;
                }
            }
            throw WorkbenchException.invalid("model config: unknown bert variant '" + value
                    + "' (bert, roberta or distilbert)");
        }
    }

    /** Feed-forward non-linearity, written to config.json in lowercase. */
    public enum Activation {
        /** x * Phi(x) with the exact normal CDF (transformers' {@code gelu}, what BERT uses). */
        GELU,
        /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (transformers' {@code gelu_new}). */
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

    public BertConfig {
        require(variant != null, "variant is missing");
        require(activation != null, "activation is missing");
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(layers > 0, "layers must be positive, got " + layers);
        require(heads > 0, "heads must be positive, got " + heads);
        require(embeddingDim > 0, "embedding_dim must be positive, got " + embeddingDim);
        require(embeddingDim % heads == 0,
                "embedding_dim (" + embeddingDim + ") must be divisible by heads (" + heads + ")");
        require(intermediateSize > 0, "intermediate_size must be positive, got " + intermediateSize);
        require(typeVocabSize >= 0, "type_vocab_size must not be negative, got " + typeVocabSize);
        require(layerNormEpsilon > 0 && layerNormEpsilon < 1, "layer_norm_epsilon must be in (0, 1), got "
                + layerNormEpsilon);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(attentionDropout >= 0 && attentionDropout < 1, "attention_dropout must be in [0, 1), got "
                + attentionDropout);
        require(positionPaddingIndex >= -1, "position_padding_index must be -1 or an index, got "
                + positionPaddingIndex);
        require(maxPositions > positionPaddingIndex + 1, "max_positions (" + maxPositions + ") leaves no position "
                + "for a token after position_padding_index " + positionPaddingIndex);
    }

    /**
     * An encoder of BERT's own design at the given size (what a fresh model built without a Hugging Face folder gets):
     * token types 0/1, exact GELU, 4 x wide feed-forward, epsilon 1e-12, a pooler.
     */
    public static BertConfig bert(int vocabSize, int contextLength, int layers, int heads, int embeddingDim,
                                  double dropout) {
        return new BertConfig(Variant.BERT, vocabSize, contextLength, 2, layers, heads, embeddingDim,
                4 * embeddingDim, Activation.GELU, 1e-12, dropout, dropout, -1, true);
    }

    @Override
    public BertFamily family() {
        return BertFamily.INSTANCE;
    }

    /** Tokens that fit: all positions, less those RoBERTa's scheme reserves below the first real one. */
    @Override
    public int contextLength() {
        return maxPositions - (positionPaddingIndex + 1);
    }

    @JsonIgnore
    public int headDim() {
        return embeddingDim / heads;
    }

    /** The same encoder with or without the pooler. */
    public BertConfig withPooler(boolean withPooler) {
        return new BertConfig(variant, vocabSize, maxPositions, typeVocabSize, layers, heads, embeddingDim,
                intermediateSize, activation, layerNormEpsilon, dropout, attentionDropout, positionPaddingIndex,
                withPooler);
    }

    /** The pooler serves CLS pooling only: any other pooling drops it, so that no parameter goes untrained. */
    @Override
    public BertConfig forClassifier(Finetune.Pooling pooling) {
        return pooling == Finetune.Pooling.CLS ? this : withPooler(false);
    }

    /** Values of the encoder: embeddings, layers and the pooler when present (there is no output head). */
    @Override
    public long parameterCount() {
        long d = embeddingDim;
        return embeddingParameterCount() + layers * layerParameterCount() + (pooler ? d * d + d : 0);
    }

    /** Token, position and token type tables and the embedding LayerNorm. */
    @Override
    public long embeddingParameterCount() {
        return ((long) vocabSize + maxPositions + typeVocabSize) * embeddingDim + 2L * embeddingDim;
    }

    /** q, k, v, o with biases, the attention LayerNorm, the feed-forward up and down with biases, its LayerNorm. */
    @Override
    public long layerParameterCount() {
        long d = embeddingDim;
        long i = intermediateSize;
        return 4 * (d * d + d) + 2 * d + (d * i + i) + (i * d + d) + 2 * d;
    }

    @Override
    public List<String> projectionRoles() {
        return PROJECTIONS;
    }

    /** The down projection reads the intermediate layer; every other projection reads the stream. */
    @Override
    public int projectionInputs(String role) {
        return requireRole(role).equals("down") ? intermediateSize : embeddingDim;
    }

    /** The up projection writes the intermediate layer; every other projection writes the stream. */
    @Override
    public int projectionOutputs(String role) {
        return requireRole(role).equals("up") ? intermediateSize : embeddingDim;
    }

    private static String requireRole(String role) {
        if (!PROJECTIONS.contains(role)) {
            throw new IllegalArgumentException("a BERT layer has no projection '" + role + "' (has " + PROJECTIONS
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
