package dev.workbench.recipe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a resolved recipe as YAML: every key with its value (defaults applied), in {@link RecipeFields#ALL} order,
 * each value followed by a comment saying where it came from. Reading the output back gives an equal recipe (apart
 * from {@link Recipe#source()}), so {@code recipe.resolved.yaml} in a run folder re-runs the same configuration.
 */
public final class ResolvedRecipeWriter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final Set<String> YAML_WORDS = Set.of("true", "false", "yes", "no", "on", "off", "y", "n",
            "null", "nan", "inf");
    /** Marks a section that is present in the recipe. */
    private static final Object SECTION = new Object();

    private ResolvedRecipeWriter() {
    }

    public static String toYaml(ResolvedRecipe resolved) {
        Recipe recipe = resolved.recipe();
        Map<String, Object> values = values(recipe);
        Map<String, String> notes = notes(recipe);
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Resolved recipe: every default applied. Read from ").append(recipe.source()).append('\n');
        yaml.append("# Each comment says where the value came from: FILE:LINE, --set, default, or preset NAME.\n");
        for (String key : RecipeFields.ALL) {
            String name = key.substring(key.lastIndexOf('.') + 1);
            String indent = "  ".repeat((int) key.chars().filter(c -> c == '.').count());
            Object value = values.get(key);
            if (value == SECTION) {
                yaml.append(indent).append(name).append(":\n");
            } else if (value != null) {
                yaml.append(indent).append(name).append(": ").append(scalar(value));
                yaml.append("  # ").append(resolved.sources().getOrDefault(key, "default"))
                        .append(baseNote(recipe, key)).append('\n');
            } else if (notes.containsKey(key)) {
                yaml.append(indent).append("# ").append(name).append(": ").append(notes.get(key)).append('\n');
            }
        }
        return yaml.toString();
    }

    /**
     * With a checkpoint or hf base, the architecture keys hold placeholders: the model is the base's own, as
     * {@code workbench plan} shows. Said where the value is, so that {@code layers: 0} is not read as the truth.
     */
    private static String baseNote(Recipe recipe, String key) {
        BaseModel base = recipe.baseModel();
        if (base.preset().isPresent()) {
            return "";
        }
        String whose = base.checkpoint().isPresent() ? "the checkpoint's" : "the hf model's";
        return switch (key) {
            case "base_model.layers", "base_model.heads", "base_model.embedding_dim", "base_model.dropout" ->
                    "; not used: " + whose + " own applies (see workbench plan)";
            case "base_model.context_length" -> base.contextLength() == 0 ? "; 0 = all of " + whose + " positions"
                    : "; capped at " + whose + " positions";
            default -> "";
        };
    }

    /** Why a key of a present section has no value. */
    private static Map<String, String> notes(Recipe recipe) {
        Map<String, String> notes = new LinkedHashMap<>();
        BaseModel base = recipe.baseModel();
        if (base.preset().isEmpty()) {
            notes.put("base_model.tokenizer", "not set: the tokenizer.json of the "
                    + (base.checkpoint().isPresent() ? "checkpoint" : "hf model") + " is used");
        }
        Training training = recipe.training();
        if (training.maxSteps().isEmpty()) {
            notes.put("training.max_steps", "not set: epochs decide the length");
        } else {
            notes.put("training.epochs", "not set: max_steps decides the length");
        }
        if (training.warmupRatio().isPresent()) {
            notes.put("training.warmup_steps", "not set: warmup_ratio decides the warmup");
        }
        if (training.evalEverySteps().isEmpty()) {
            notes.put("training.eval_every_steps", "not set: validation once per epoch (see workbench plan)");
        }
        recipe.finetune().filter(f -> f.classifierPooling().isEmpty()).ifPresent(f -> notes.put(
                "finetune.classifier_pooling", "not set: the base model family's default (mean for a decoder, cls for "
                        + "an encoder; workbench plan shows it)"));
        recipe.synthesize().ifPresent(s -> {
            if (s.rows().isEmpty()) {
                notes.put("synthesize.rows", "not set: as many rows as the real training split");
            }
        });
        return notes;
    }

    /** The recipe as dotted key -> value (String, Number, Boolean, List, Map) or {@link #SECTION}. */
    private static Map<String, Object> values(Recipe recipe) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", recipe.name());
        v.put("description", recipe.description());
        v.put("seed", recipe.seed());
        v.put("domain", recipe.domain());

        BaseModel base = recipe.baseModel();
        v.put("base_model", SECTION);
        base.preset().ifPresent(p -> v.put("base_model.preset", p));
        base.checkpoint().ifPresent(c -> v.put("base_model.checkpoint", c));
        base.hf().ifPresent(h -> v.put("base_model.hf", h));
        if (base.preset().isPresent()) {
            BaseModel.TokenizerSpec tokenizer = base.tokenizer();
            v.put("base_model.tokenizer", SECTION);
            v.put("base_model.tokenizer.type", tokenizer.kind());
            if (tokenizer.kind() != BaseModel.TokenizerKind.FILE) {
                v.put("base_model.tokenizer.vocab_size", tokenizer.vocabSize());
            }
            tokenizer.path().ifPresent(p -> v.put("base_model.tokenizer.path", p));
        }
        v.put("base_model.context_length", base.contextLength());
        v.put("base_model.layers", base.layers());
        v.put("base_model.heads", base.heads());
        v.put("base_model.embedding_dim", base.embeddingDim());
        v.put("base_model.dropout", base.dropout());

        Corpus corpus = recipe.corpus();
        v.put("corpus", SECTION);
        corpus.text().ifPresent(t -> {
            v.put("corpus.text", SECTION);
            // One path as a string, several as a list.
            v.put("corpus.text.path", t.paths().size() == 1 ? t.paths().get(0) : t.paths());
            v.put("corpus.text.format", t.format());
            v.put("corpus.text.column", t.column());
        });
        corpus.labelled().ifPresent(l -> {
            v.put("corpus.labelled", SECTION);
            v.put("corpus.labelled.path", l.path());
            v.put("corpus.labelled.format", l.format());
            v.put("corpus.labelled.text_column", l.textColumn());
            v.put("corpus.labelled.label_column", l.labelColumn());
        });
        corpus.table().ifPresent(t -> {
            v.put("corpus.table", SECTION);
            v.put("corpus.table.path", t.path());
            v.put("corpus.table.format", t.format());
            t.target().ifPresent(target -> v.put("corpus.table.target", target));
            v.put("corpus.table.column_types", t.columnTypes());
            v.put("corpus.table.drop", t.drop());
        });
        corpus.instructions().ifPresent(i -> {
            v.put("corpus.instructions", SECTION);
            v.put("corpus.instructions.path", i.path());
            v.put("corpus.instructions.format", i.format());
            v.put("corpus.instructions.columns", i.columns());
        });
        v.put("corpus.on_bad_row", corpus.onBadRow());

        Split split = recipe.split();
        v.put("split", SECTION);
        v.put("split.method", split.method());
        v.put("split.validation", split.validation());
        v.put("split.test", split.test());
        split.column().ifPresent(c -> v.put("split.column", c));
        v.put("split.dedupe", split.dedupe());

        Training t = recipe.training();
        v.put("training", SECTION);
        v.put("training.devices", t.devices());
        v.put("training.precision", t.precision());
        v.put("training.batch_size", t.batchSize());
        v.put("training.gradient_accumulation_steps", t.gradientAccumulationSteps());
        t.epochs().ifPresent(e -> v.put("training.epochs", e));
        t.maxSteps().ifPresent(m -> v.put("training.max_steps", m));
        v.put("training.learning_rate", t.learningRate());
        v.put("training.lr_schedule", t.lrSchedule());
        if (t.warmupRatio().isPresent()) {
            v.put("training.warmup_ratio", t.warmupRatio().get());
        } else {
            v.put("training.warmup_steps", t.warmupSteps());
        }
        v.put("training.weight_decay", t.weightDecay());
        v.put("training.max_grad_norm", t.maxGradNorm());
        t.evalEverySteps().ifPresent(n -> v.put("training.eval_every_steps", n));
        t.earlyStopping().ifPresent(e -> {
            v.put("training.early_stopping", SECTION);
            v.put("training.early_stopping.patience", e.patience());
            v.put("training.early_stopping.min_delta", e.minDelta());
        });
        v.put("training.checkpoint_every_steps", t.checkpointEverySteps());
        v.put("training.keep_checkpoints", t.keepCheckpoints());
        v.put("training.max_non_finite_steps", t.maxNonFiniteSteps());
        v.put("training.log_every_steps", t.logEverySteps());

        recipe.finetune().ifPresent(f -> {
            v.put("finetune", SECTION);
            v.put("finetune.tasks", f.tasks());
            v.put("finetune.method", f.method());
            f.freeze().ifPresent(z -> {
                v.put("finetune.freeze", SECTION);
                v.put("finetune.freeze.embeddings", z.embeddings());
                v.put("finetune.freeze.layers", z.layers());
            });
            f.lora().ifPresent(l -> {
                v.put("finetune.lora", SECTION);
                v.put("finetune.lora.rank", l.rank());
                v.put("finetune.lora.alpha", l.alpha());
                v.put("finetune.lora.dropout", l.dropout());
                v.put("finetune.lora.targets", l.targets());
            });
            f.classifierPooling().ifPresent(p -> v.put("finetune.classifier_pooling", p));
            v.put("finetune.label_smoothing", f.labelSmoothing());
            v.put("finetune.class_weights", f.classWeights());
            v.put("finetune.chat_template", f.instruct().chatTemplate());
            v.put("finetune.train_on_prompt", f.instruct().trainOnPrompt());
            v.put("finetune.packing", f.instruct().packing());
        });

        recipe.synthesize().ifPresent(s -> {
            v.put("synthesize", SECTION);
            v.put("synthesize.methods", s.methods());
            s.rows().ifPresent(r -> v.put("synthesize.rows", r));
            v.put("synthesize.epochs", s.epochs());
            v.put("synthesize.steps", s.steps());
            v.put("synthesize.batch_size", s.batchSize());
            v.put("synthesize.pac", s.pac());
            v.put("synthesize.noise_dim", s.noiseDim());
            v.put("synthesize.generator_dims", s.generatorDims());
            v.put("synthesize.critic_dims", s.criticDims());
            v.put("synthesize.generator_learning_rate", s.generatorLearningRate());
            v.put("synthesize.critic_learning_rate", s.criticLearningRate());
            v.put("synthesize.log_frequency", s.logFrequency());
            v.put("synthesize.augment", s.augment());
            v.put("synthesize.augment_ratio", s.augmentRatio());
            v.put("synthesize.clip_to_range", s.clipToRange());
        });

        Evaluate e = recipe.evaluate();
        v.put("evaluate", SECTION);
        v.put("evaluate.language_model", e.languageModel());
        v.put("evaluate.classifier", e.classifier());
        v.put("evaluate.synthetic", e.synthetic());
        v.put("evaluate.bootstrap_samples", e.bootstrapSamples());
        v.put("evaluate.confidence", e.confidence());
        v.put("evaluate.prompts", e.prompts());
        v.put("evaluate.max_new_tokens", e.maxNewTokens());
        v.put("evaluate.temperature", e.temperature());
        v.put("evaluate.baselines", e.baselines());
        // One label as a string, several as a list (the key takes either).
        v.put("evaluate.out_of_scope_label", e.outOfScopeLabels().size() == 1 ? e.outOfScopeLabels().get(0)
                : e.outOfScopeLabels());
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (Evaluate.TaskRef ref : e.tasks()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("path", ref.path());
            ref.task().ifPresent(n -> item.put("task", n));
            ref.datasetPath().ifPresent(p -> item.put("dataset_path", p));
            ref.limit().ifPresent(n -> item.put("limit", n));
            ref.numFewshot().ifPresent(n -> item.put("num_fewshot", n));
            ref.applyChatTemplate().ifPresent(b -> item.put("apply_chat_template", b));
            tasks.add(item);
        }
        v.put("evaluate.tasks", tasks);

        v.put("report", SECTION);
        v.put("report.formats", recipe.report().formats());
        v.put("report.title", recipe.report().title());
        return v;
    }

    private static String scalar(Object value) {
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(scalar(item)));
            return "[" + String.join(", ", items) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            List<String> entries = new ArrayList<>();
            map.forEach((k, item) -> entries.add(quoted(k.toString()) + ": " + scalar(item)));
            return "{" + String.join(", ", entries) + "}";
        }
        if (value instanceof Optional<?> optional) {
            return scalar(optional.orElseThrow());
        }
        if (value instanceof Enum<?> e) {
            return text(RecipeFields.valueName(e));
        }
        if (value instanceof Double d) {
            // Double.toString round-trips exactly; the exponent gets a sign so YAML 1.1 readers see a float too.
            String text = d.toString();
            return text.contains("E-") ? text.replace("E-", "e-") : text.replace("E", "e+");
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Path path) {
            return quoted(path.toString());
        }
        return text(value.toString());
    }

    private static String text(String text) {
        boolean plain = PLAIN.matcher(text).matches() && !YAML_WORDS.contains(text.toLowerCase(Locale.ROOT));
        return plain ? text : quoted(text);
    }

    /** A YAML double-quoted scalar; anything that is not printable ASCII or a letter is escaped. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if ((c >= 0x20 && c < 0x7F) || (c > 0xFF && Character.isLetterOrDigit(c))) {
                out.appendCodePoint(c);
            } else if (c > 0xFFFF) {
                out.append(String.format("\\U%08x", c));
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.append('"').toString();
    }
}
