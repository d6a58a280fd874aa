package dev.workbench.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.Architecture;
import dev.workbench.model.ModelFamilies;
import dev.workbench.model.ModelFamily;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code config.json} of a checkpoint says: the task, the model family and its architecture, the class labels
 * (classifier), the tokenizer kind, the pooling (classifier), the LoRA settings (adapter checkpoints) and the workbench
 * version that wrote it. Enum values are written in lowercase ({@code "language_model"}, {@code "mean"},
 * {@code "byte"}). A config without {@code "family"} was written before families existed and holds a GPT decoder
 * ({@value #UNRECORDED_FAMILY}), e.g. the base shipped before families ({@code models/general-nano}).
 *
 * <pre>
 * {"format": "workbench-checkpoint", "format_version": 1, "workbench_version": "0.1.0",
 *  "task": "classifier", "family": "gpt", "model": {"vocab_size": 257, "context_length": 128, "layers": 2,
 *  "heads": 2, "embedding_dim": 64, "dropout": 0.1, "activation": "gelu"}, "tokenizer": "byte",
 *  "labels": ["neg", "pos"], "pooling": "mean", "lora": {"rank": 8, "alpha": 16.0, "dropout": 0.05,
 *  "targets": ["q", "v"]}}
 * </pre>
 */
public record CheckpointConfig(
        Finetune.Task task,
        Architecture model,
        BaseModel.TokenizerKind tokenizer,
        List<String> labels,
        Optional<Finetune.Pooling> pooling,
        Optional<Finetune.Lora> lora,
        String workbenchVersion) {

    public static final String FORMAT = "workbench-checkpoint";
    public static final int FORMAT_VERSION = 1;
    /** The family of a config.json without {@code "family"} (older than families; readers of those still work). */
    static final String UNRECORDED_FAMILY = "gpt";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CheckpointConfig {
        labels = List.copyOf(labels);
        if (task == Finetune.Task.CLASSIFIER && (labels.size() < 2 || pooling.isEmpty())) {
            throw new IllegalArgumentException("a classifier checkpoint needs at least 2 labels and a pooling");
        }
        if (task == Finetune.Task.LANGUAGE_MODEL && (!labels.isEmpty() || pooling.isPresent())) {
            throw new IllegalArgumentException("a language model checkpoint has no labels or pooling");
        }
    }

    public static CheckpointConfig languageModel(Architecture model, BaseModel.TokenizerKind tokenizer) {
        return new CheckpointConfig(Finetune.Task.LANGUAGE_MODEL, model, tokenizer, List.of(), Optional.empty(),
                Optional.empty(), workbenchVersionOfThisBuild());
    }

    public static CheckpointConfig classifier(Architecture model, BaseModel.TokenizerKind tokenizer,
                                              List<String> labels, Finetune.Pooling pooling) {
        return new CheckpointConfig(Finetune.Task.CLASSIFIER, model, tokenizer, labels, Optional.of(pooling),
                Optional.empty(), workbenchVersionOfThisBuild());
    }

    /** The same checkpoint with adapters; the base weights and the adapter are stored in separate files. */
    public CheckpointConfig withLora(Finetune.Lora spec) {
        return new CheckpointConfig(task, model, tokenizer, labels, pooling, Optional.of(spec), workbenchVersion);
    }

    /** After {@link dev.workbench.model.Lora#merge}: a plain checkpoint. */
    public CheckpointConfig withoutLora() {
        return new CheckpointConfig(task, model, tokenizer, labels, pooling, Optional.empty(), workbenchVersion);
    }

    public static String workbenchVersionOfThisBuild() {
        String version = CheckpointConfig.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("workbench_version", workbenchVersion);
        root.put("task", lower(task));
        root.put("family", model.family().name());
        root.set("model", JSON.valueToTree(model));
        root.put("tokenizer", lower(tokenizer));
        ArrayNode labelArray = root.putArray("labels");
        labels.forEach(labelArray::add);
        pooling.ifPresentOrElse(p -> root.put("pooling", lower(p)), () -> root.putNull("pooling"));
        lora.ifPresentOrElse(l -> root.set("lora", loraJson(l)), () -> root.putNull("lora"));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode loraJson(Finetune.Lora spec) {
        ObjectNode node = JSON.createObjectNode();
        node.put("rank", spec.rank());
        node.put("alpha", spec.alpha());
        node.put("dropout", spec.dropout());
        ArrayNode targets = node.putArray("targets");
        spec.targets().forEach(targets::add);
        return node;
    }

    /** Parses {@code json} (the content of {@code file}, named in every error). */
    public static CheckpointConfig fromJson(String json, Path file) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw bad(file, "not a JSON object");
            }
            if (!FORMAT.equals(root.path("format").asText())) {
                throw bad(file, "\"format\" is not \"" + FORMAT + "\"");
            }
            int version = root.path("format_version").asInt(-1);
            if (version != FORMAT_VERSION) {
                throw bad(file, "format_version " + version + " is not supported (this build reads "
                        + FORMAT_VERSION + ")");
            }
            ModelFamily family = ModelFamilies.byName(root.path("family").asText(UNRECORDED_FAMILY), file
                    + ": invalid checkpoint config");
            Architecture model = family.readArchitecture(required(root, "model", file));
            List<String> labels = new ArrayList<>();
            root.path("labels").forEach(label -> labels.add(label.asText()));
            Optional<Finetune.Pooling> pooling = root.path("pooling").isTextual()
                    ? Optional.of(parse(Finetune.Pooling.class, root.path("pooling").asText(), "pooling", file))
                    : Optional.empty();
            Optional<Finetune.Lora> lora = Optional.empty();
            JsonNode loraNode = root.path("lora");
            if (loraNode.isObject()) {
                List<String> targets = new ArrayList<>();
                loraNode.path("targets").forEach(t -> targets.add(t.asText()));
                lora = Optional.of(new Finetune.Lora(loraNode.path("rank").asInt(), loraNode.path("alpha").asDouble(),
                        loraNode.path("dropout").asDouble(), targets));
            }
            return new CheckpointConfig(
                    parse(Finetune.Task.class, required(root, "task", file).asText(), "task", file),
                    model,
                    parse(BaseModel.TokenizerKind.class, required(root, "tokenizer", file).asText(), "tokenizer",
                            file),
                    labels, pooling, lora, root.path("workbench_version").asText("unknown"));
        } catch (JsonProcessingException e) {
            throw bad(file, e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        } catch (WorkbenchException e) {
            if (e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw bad(file, e.getMessage());
        }
    }

    private static JsonNode required(JsonNode root, String field, Path file) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw bad(file, "missing \"" + field + "\"");
        }
        return node;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field, Path file) {
        for (E constant : type.getEnumConstants()) {
            if (lower(constant).equals(value)) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(lower(constant));
        }
        throw bad(file, "\"" + field + "\" is \"" + value + "\"; expected one of " + allowed);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static WorkbenchException bad(Path file, String message) {
        return WorkbenchException.invalid(file + ": invalid checkpoint config: " + message);
    }
}
