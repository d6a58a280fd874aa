package dev.workbench.recipe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key of the recipe language as a dotted path, in document order. The reader accepts exactly these keys, the
 * resolved-recipe writer emits them in this order, and tests hold the JSON Schema and docs/recipe-reference.md to the
 * same list, so the four cannot drift apart. Enum values are written the one way {@link #valueName} says.
 */
public final class RecipeFields {
    private RecipeFields() {
    }

    /** What a key holds: a nested mapping of further keys, a map with free keys, or a value. */
    public enum Kind { SECTION, MAP, VALUE }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        value("name", "description", "seed", "domain");
        section("base_model");
        value("base_model.preset", "base_model.checkpoint", "base_model.hf");
        section("base_model.tokenizer");
        value("base_model.tokenizer.type", "base_model.tokenizer.vocab_size", "base_model.tokenizer.path");
        value("base_model.context_length", "base_model.layers", "base_model.heads", "base_model.embedding_dim",
                "base_model.dropout");
        section("corpus");
        section("corpus.text");
        value("corpus.text.path", "corpus.text.format", "corpus.text.column");
        section("corpus.labelled");
        value("corpus.labelled.path", "corpus.labelled.format", "corpus.labelled.text_column",
                "corpus.labelled.label_column");
        section("corpus.table");
        value("corpus.table.path", "corpus.table.format", "corpus.table.target");
        KINDS.put("corpus.table.column_types", Kind.MAP);
        value("corpus.table.drop");
        section("corpus.instructions");
        value("corpus.instructions.path", "corpus.instructions.format");
        KINDS.put("corpus.instructions.columns", Kind.MAP);
        value("corpus.on_bad_row");
        section("split");
        value("split.method", "split.validation", "split.test", "split.column", "split.dedupe");
        section("training");
        value("training.devices", "training.precision", "training.batch_size",
                "training.gradient_accumulation_steps", "training.epochs", "training.max_steps",
                "training.learning_rate", "training.lr_schedule", "training.warmup_steps", "training.warmup_ratio",
                "training.weight_decay",
                "training.max_grad_norm", "training.eval_every_steps");
        section("training.early_stopping");
        value("training.early_stopping.patience", "training.early_stopping.min_delta");
        value("training.checkpoint_every_steps", "training.keep_checkpoints", "training.max_non_finite_steps",
                "training.log_every_steps");
        section("finetune");
        value("finetune.tasks", "finetune.method");
        section("finetune.freeze");
        value("finetune.freeze.embeddings", "finetune.freeze.layers");
        section("finetune.lora");
        value("finetune.lora.rank", "finetune.lora.alpha", "finetune.lora.dropout", "finetune.lora.targets");
        value("finetune.classifier_pooling", "finetune.label_smoothing", "finetune.class_weights");
        value("finetune.chat_template", "finetune.train_on_prompt", "finetune.packing");
        section("synthesize");
        value("synthesize.methods", "synthesize.rows", "synthesize.epochs", "synthesize.steps",
                "synthesize.batch_size", "synthesize.pac", "synthesize.noise_dim", "synthesize.generator_dims",
                "synthesize.critic_dims", "synthesize.generator_learning_rate", "synthesize.critic_learning_rate",
                "synthesize.log_frequency", "synthesize.augment", "synthesize.augment_ratio",
                "synthesize.clip_to_range");
        section("evaluate");
        value("evaluate.language_model", "evaluate.classifier", "evaluate.synthetic", "evaluate.bootstrap_samples",
                "evaluate.confidence", "evaluate.prompts", "evaluate.max_new_tokens", "evaluate.temperature",
                "evaluate.baselines", "evaluate.out_of_scope_label", "evaluate.tasks");
        section("report");
        value("report.formats", "report.title");
    }

    /** Every dotted key, sections included, in document order. */
    public static final List<String> ALL = List.copyOf(KINDS.keySet());

    private static void value(String... keys) {
        for (String key : keys) {
            KINDS.put(key, Kind.VALUE);
        }
    }

    private static void section(String key) {
        KINDS.put(key, Kind.SECTION);
    }

    public static Kind kind(String dottedKey) {
        Kind kind = KINDS.get(dottedKey);
        if (kind == null) {
            throw new IllegalArgumentException("not a recipe key: " + dottedKey);
        }
        return kind;
    }

    public static boolean contains(String dottedKey) {
        return KINDS.containsKey(dottedKey);
    }

    /** The keys directly below {@code section} ("" for the top level), unqualified, in document order. */
    public static List<String> children(String section) {
        String prefix = section.isEmpty() ? "" : section + ".";
        List<String> children = new ArrayList<>();
        for (String key : ALL) {
            if (key.startsWith(prefix) && key.indexOf('.', prefix.length()) < 0) {
                children.add(key.substring(prefix.length()));
            }
        }
        return Collections.unmodifiableList(children);
    }

    /** How an enum value is written in a recipe: {@code LANGUAGE_MODEL} as {@code language_model}. */
    public static String valueName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** {@link #valueName} of each value, in declaration order. */
    public static List<String> valueNames(Enum<?>[] values) {
        return Arrays.stream(values).map(RecipeFields::valueName).toList();
    }

    /** Keys that hold a value (not sections), sorted; what {@code ResolvedRecipe.sources} can name. */
    public static Set<String> leaves() {
        Set<String> leaves = new TreeSet<>();
        KINDS.forEach((key, kind) -> {
            if (kind != Kind.SECTION) {
                leaves.add(key);
            }
        });
        return leaves;
    }
}
