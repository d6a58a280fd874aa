package dev.workbench.model.bert;

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
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A Hugging Face encoder {@code config.json} ({@code model_type} {@code bert}, {@code roberta} or
 * {@code distilbert}: transformers' {@code BertConfig}, {@code RobertaConfig}, {@code DistilBertConfig}), mapped to
 * and from {@link BertConfig}.
 *
 * <p>Every field that would change the encoder's forward pass is checked, and a value the workbench does not implement
 * is refused with the field's name ({@code position_embedding_type "relative_key"}, {@code is_decoder true},
 * {@code hidden_act "relu"}, ...), never silently approximated. A missing field takes transformers' default for that
 * model_type. Fields that concern task heads ({@code num_labels}, {@code id2label}, {@code classifier_dropout},
 * {@code seq_classif_dropout}, {@code qa_dropout}) or not the forward pass ({@code initializer_range},
 * {@code use_cache}, {@code torch_dtype}, {@code chunk_size_feed_forward}: the same function computed in pieces) are
 * ignored: only the encoder's weights are used, the workbench puts its own head on top.
 */
final class HfBertConfig {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** BERT-large has 24 layers of width 1024; far above this is a broken file. */
    private static final long MAX_PARAMETERS = 20_000_000_000L;
    /** DistilBERT's LayerNorms are built with eps 1e-12; its config has no field for it. */
    private static final double DISTILBERT_EPSILON = 1e-12;
    /** transformers' names for the tanh approximation (gelu_fast is the same function, factored differently). */
    private static final Set<String> GELU_TANH = Set.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast");
    /** The class name prefix of every transformers model of each type (BertModel, RobertaForMaskedLM, ...). */
    private static final Map<BertConfig.Variant, String> CLASS_PREFIX = Map.of(BertConfig.Variant.BERT, "Bert",
            BertConfig.Variant.ROBERTA, "Roberta", BertConfig.Variant.DISTILBERT, "DistilBert");

    private HfBertConfig() {
    }

    /**
     * The architecture in {@code root}, the parsed config.json {@code file} (named in every error).
     *
     * @param hasPooler whether the folder's weights hold BERT's pooler ({@code pooler.dense.*}): config.json does not
     *     say, and only a checkpoint that has one can give CLS pooling its pretrained dense + tanh
     */
    static ModelFamily.HfArchitecture parse(JsonNode root, Path file, boolean hasPooler) {
        BertConfig.Variant variant = BertConfig.Variant.parse(root.path("model_type").asText());
        checkArchitectures(root, file, variant);
        requireFlag(root, file, "is_decoder", false, "the encoder attends both ways; a causal BERT decoder is not "
                + "implemented");
        requireFlag(root, file, "add_cross_attention", false, "cross-attention (encoder-decoder use) is not "
                + "implemented");
        BertConfig config = variant == BertConfig.Variant.DISTILBERT ? distilBert(root, file)
                : bertOrRoberta(root, file, variant, hasPooler);
        long d = config.embeddingDim();
        long approxParameters = ((long) config.vocabSize() + config.maxPositions()) * d
                + config.layers() * (4 * d * d + 2 * d * config.intermediateSize());
        if (approxParameters > MAX_PARAMETERS) {
            throw bad(file, "describes a model of about " + approxParameters + " parameters, beyond any encoder");
        }
        // An encoder generates nothing: no end-of-text id is checked against the tokenizer or written on export.
        return new ModelFamily.HfArchitecture(config, -1);
    }

    private static BertConfig bertOrRoberta(JsonNode root, Path file, BertConfig.Variant variant, boolean hasPooler) {
        boolean roberta = variant == BertConfig.Variant.ROBERTA;
        String positionType = root.path("position_embedding_type").asText("absolute");
        if (!positionType.equals("absolute")) {
            throw bad(file, "position_embedding_type \"" + positionType + "\" is not supported: only \"absolute\" "
                    + "learned positions are implemented");
        }
        int hidden = positive(root, file, "hidden_size", 768);
        int heads = positive(root, file, "num_attention_heads", 12);
        requireDivisible(file, "hidden_size", hidden, "num_attention_heads", heads);
        int vocab = positive(root, file, "vocab_size", roberta ? 50265 : 30522);
        int positions = positive(root, file, "max_position_embeddings", 512);
        int types = nonNegative(root, file, "type_vocab_size", 2);
        int paddingIndex = -1;
        if (roberta) {
            // RoBERTa numbers positions after pad_token_id, which is also the padding row of the position table
            paddingIndex = nonNegative(root, file, "pad_token_id", 1);
            if (paddingIndex + 1 >= positions) {
                throw bad(file, "pad_token_id " + paddingIndex + " leaves no position for a token in "
                        + "max_position_embeddings " + positions + " (RoBERTa numbers positions after it)");
            }
        }
        return new BertConfig(variant, vocab, positions, types, positive(root, file, "num_hidden_layers", 12), heads,
                hidden, positive(root, file, "intermediate_size", 3072), activation(root, file, "hidden_act"),
                epsilon(root, file, "layer_norm_eps", 1e-12), probability(root, file, "hidden_dropout_prob", 0.1),
                probability(root, file, "attention_probs_dropout_prob", 0.1), paddingIndex, hasPooler);
    }

    private static BertConfig distilBert(JsonNode root, Path file) {
        int dim = positive(root, file, "dim", 768);
        int heads = positive(root, file, "n_heads", 12);
        requireDivisible(file, "dim", dim, "n_heads", heads);
        // sinusoidal_pos_embds only decides how a fresh model's position table is filled; a stored one is read as is
        return new BertConfig(BertConfig.Variant.DISTILBERT, positive(root, file, "vocab_size", 30522),
                positive(root, file, "max_position_embeddings", 512), 0, positive(root, file, "n_layers", 6), heads,
                dim, positive(root, file, "hidden_dim", 3072), activation(root, file, "activation"),
                DISTILBERT_EPSILON, probability(root, file, "dropout", 0.1),
                probability(root, file, "attention_dropout", 0.1), -1, false);
    }

    private static void checkArchitectures(JsonNode root, Path file, BertConfig.Variant variant) {
        JsonNode architectures = root.path("architectures");
        if (!architectures.isArray() || architectures.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        architectures.forEach(a -> names.add(a.asText()));
        String prefix = CLASS_PREFIX.get(variant);
        // the encoder of any task model is the same (BertModel inside BertForSequenceClassification, ...)
        Predicate<String> sameFamily = name -> name.startsWith(prefix) && !(variant == BertConfig.Variant.BERT
                && name.startsWith("BertGeneration"));
        if (names.stream().noneMatch(sameFamily)) {
            throw bad(file, "architectures " + names + " are not " + variant.lower() + " models; expected "
                    + prefix + "Model or a " + prefix + "For... task model (only its encoder is used)");
        }
    }

    private static BertConfig.Activation activation(JsonNode root, Path file, String key) {
        JsonNode node = root.path(key);
        String name = node.isMissingNode() || node.isNull() ? "gelu" : node.asText();
        if (name.equals("gelu")) {
            return BertConfig.Activation.GELU;
        }
        if (GELU_TANH.contains(name)) {
            return BertConfig.Activation.GELU_TANH;
        }
        throw bad(file, key + " \"" + name + "\" is not supported (gelu, or gelu_new / gelu_pytorch_tanh / "
                + "gelu_fast)");
    }

    private static double epsilon(JsonNode root, Path file, String key, double defaultValue) {
        JsonNode node = root.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return defaultValue;
        }
        if (!node.isNumber() || !(node.asDouble() > 0 && node.asDouble() < 1)) {
            throw bad(file, key + " must be a number in (0, 1), got " + node);
        }
        return node.asDouble();
    }

    private static double probability(JsonNode root, Path file, String key, double defaultValue) {
        JsonNode node = root.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return defaultValue;
        }
        if (!node.isNumber() || !(node.asDouble() >= 0 && node.asDouble() < 1)) {
            throw bad(file, key + " must be a number in [0, 1), got " + node);
        }
        return node.asDouble();
    }

    private static int positive(JsonNode root, Path file, String key, int defaultValue) {
        int value = integer(root, file, key, defaultValue);
        if (value <= 0) {
            throw bad(file, key + " must be a positive integer, got " + root.path(key));
        }
        return value;
    }

    private static int nonNegative(JsonNode root, Path file, String key, int defaultValue) {
        int value = integer(root, file, key, defaultValue);
        if (value < 0) {
            throw bad(file, key + " must not be negative, got " + root.path(key));
        }
        return value;
    }

    private static int integer(JsonNode root, Path file, String key, int defaultValue) {
        JsonNode node = root.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw bad(file, key + " must be an integer, got " + node);
        }
        return node.asInt();
    }

    private static void requireDivisible(Path file, String widthKey, int width, String headsKey, int heads) {
        if (width % heads != 0) {
            throw bad(file, widthKey + " " + width + " is not divisible by " + headsKey + " " + heads);
        }
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
     * The config.json of the encoder alone ({@code BertModel}, {@code RobertaModel}, {@code DistilBertModel}), which
     * transformers loads and {@link #parse} reads back to {@code config} (given the weights' pooler).
     */
    static String toJson(BertConfig config) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add(CLASS_PREFIX.get(config.variant()) + "Model");
        root.put("model_type", config.variant().lower());
        root.put("vocab_size", config.vocabSize());
        root.put("max_position_embeddings", config.maxPositions());
        String activation = config.activation() == BertConfig.Activation.GELU ? "gelu" : "gelu_new";
        if (config.variant() == BertConfig.Variant.DISTILBERT) {
            root.put("dim", config.embeddingDim());
            root.put("n_layers", config.layers());
            root.put("n_heads", config.heads());
            root.put("hidden_dim", config.intermediateSize());
            root.put("activation", activation);
            root.put("dropout", config.dropout());
            root.put("attention_dropout", config.attentionDropout());
            root.put("sinusoidal_pos_embds", false);
            root.put("pad_token_id", 0);
        } else {
            root.put("hidden_size", config.embeddingDim());
            root.put("num_hidden_layers", config.layers());
            root.put("num_attention_heads", config.heads());
            root.put("intermediate_size", config.intermediateSize());
            root.put("hidden_act", activation);
            root.put("hidden_dropout_prob", config.dropout());
            root.put("attention_probs_dropout_prob", config.attentionDropout());
            root.put("type_vocab_size", config.typeVocabSize());
            root.put("layer_norm_eps", config.layerNormEpsilon());
            root.put("position_embedding_type", "absolute");
            root.put("pad_token_id", Math.max(0, config.positionPaddingIndex()));
        }
        root.put("initializer_range", 0.02);
        root.put("torch_dtype", "float32");
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * config.json of a BERT classifier exported as {@code BertForSequenceClassification}: the encoder's keys
     * ({@link #toJson}), the labels as {@code id2label} / {@code label2id} in the checkpoint's order,
     * {@code problem_type} single-label. {@code classifier_dropout} stays null: transformers then drops out with
     * {@code hidden_dropout_prob}, as the workbench's head does.
     */
    static String classifierJson(BertConfig config, List<String> labels) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(toJson(config));
            root.putArray("architectures").add(CLASS_PREFIX.get(config.variant()) + "ForSequenceClassification");
            root.put("num_labels", labels.size());
            ObjectNode id2label = root.putObject("id2label");
            ObjectNode label2id = root.putObject("label2id");
            for (int i = 0; i < labels.size(); i++) {
                id2label.put(Integer.toString(i), labels.get(i));
                label2id.put(labels.get(i), i);
            }
            root.put("problem_type", "single_label_classification");
            root.putNull("classifier_dropout");
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WorkbenchException bad(Path file, String message) {
        return WorkbenchException.invalid(file + ": " + message);
    }
}
