package dev.workbench.plan;

import dev.workbench.data.LabelledExample;
import dev.workbench.data.PreparedData;
import dev.workbench.data.Splits;
import dev.workbench.data.TextDocument;
import dev.workbench.model.Checkpoint;
import dev.workbench.model.GptConfig;
import dev.workbench.model.Tokenizer;
import dev.workbench.model.Tokenizers;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Works out what {@code workbench run} would do with a recipe, from the recipe and the loaded data, without training
 * anything: the tokenizer is built (or loaded from the base checkpoint) because step counts depend on token counts.
 */
public final class RunPlanner {
    private static final double BYTES_PER_FLOAT = 4;
    private static final double MIB = 1024.0 * 1024.0;

    private RunPlanner() {
    }

    /**
     * @param baseCheckpoint the base model's checkpoint folder when the recipe starts from one
     * @param synthesis what the synthesize stage will do, one line per method (its own {@code planLines})
     */
    public static RunPlan plan(Recipe recipe, PreparedData data, Optional<Path> baseCheckpoint,
                               List<String> synthesis) {
        Map<String, RunPlan.SplitSizes> corpora = new LinkedHashMap<>();
        data.text().ifPresent(s -> corpora.put("text", sizes(s)));
        data.labelled().ifPresent(s -> corpora.put("labelled", sizes(s)));
        data.tableRows().ifPresent(s -> corpora.put("table", sizes(s)));
        List<String> classes = data.labelled()
                .map(s -> List.copyOf(new TreeSet<>(s.train().stream().map(LabelledExample::label).toList())))
                .orElse(List.of());

        Training training = recipe.training();
        List<RunPlan.TaskPlan> tasks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long parameters = 0;
        long trainable = 0;
        double memoryMib = 0;
        if (recipe.finetune().isPresent()) {
            Finetune finetune = recipe.finetune().get();
            Optional<Checkpoint> base = baseCheckpoint.map(Checkpoint::open);
            Tokenizer tokenizer = base.isPresent() ? base.get().loadTokenizer(Tokenizers::load)
                    : Tokenizers.train(recipe.baseModel().tokenizer(), data.text()
                            .map(s -> s.train().stream().map(TextDocument::text).toList()).orElse(List.of()));
            GptConfig config = base.map(c -> c.config().model())
                    .orElseGet(() -> GptConfig.from(recipe.baseModel(), tokenizer.vocabSize()));
            for (Finetune.Task task : finetune.tasks()) {
                List<String> texts = task == Finetune.Task.LANGUAGE_MODEL
                        ? data.text().map(s -> s.train().stream().map(TextDocument::text).toList()).orElse(List.of())
                        : data.labelled().map(s -> s.train().stream().map(LabelledExample::text).toList())
                                .orElse(List.of());
                tasks.add(taskPlan(task, texts, tokenizer, config.contextLength(), training));
                long head = task == Finetune.Task.CLASSIFIER
                        ? (long) config.embeddingDim() * classes.size() + classes.size() : 0;
                long taskParameters = config.parameterCount() + head;
                long taskTrainable = trainableParameters(finetune, config) + head;
                parameters = Math.max(parameters, taskParameters);
                trainable = Math.max(trainable, taskTrainable);
                memoryMib = Math.max(memoryMib, memoryMib(config, taskParameters, taskTrainable, training,
                        task == Finetune.Task.LANGUAGE_MODEL));
            }
            notes.add(String.format(Locale.ROOT, "model: %d layers, %d heads, embedding %d, context %d, vocabulary %d"
                            + " (%s)", config.layers(), config.heads(), config.embeddingDim(), config.contextLength(),
                    config.vocabSize(), base.map(c -> "from " + c.folder()).orElse("initialised from seed "
                            + recipe.seed())));
        }
        data.labelled().ifPresent(s -> {
            int n = s.test().size();
            if (n > 0) {
                // Half-width of a 95% normal interval for an accuracy near 0.5: the widest it gets.
                notes.add(String.format(Locale.ROOT, "classifier test split: %d examples; accuracy intervals are "
                        + "up to +/-%.3f wide (95%%)", n, 1.96 * Math.sqrt(0.25 / n)));
            }
        });
        for (RunPlan.TaskPlan task : tasks) {
            if (task.stepsPerEpoch() > 0 && task.totalSteps() > 4 * task.stepsPerEpoch()) {
                notes.add(String.format(Locale.ROOT, "%s: %d steps are %.1f passes over the training data; watch "
                        + "the validation loss for overfitting", task.task(), task.totalSteps(),
                        (double) task.totalSteps() / task.stepsPerEpoch()));
            }
        }
        return new RunPlan(corpora, classes, training.effectiveBatchSize(), tasks, parameters, trainable,
                round(memoryMib), synthesis, notes);
    }

    private static <T> RunPlan.SplitSizes sizes(Splits<T> splits) {
        return new RunPlan.SplitSizes(splits.train().size(), splits.validation().size(), splits.test().size());
    }

    /**
     * A language model trains on windows of {@code context} predicted tokens cut from the packed corpus (documents
     * joined by end-of-text); a classifier on one truncated example per row.
     */
    static RunPlan.TaskPlan taskPlan(Finetune.Task task, List<String> texts, Tokenizer tokenizer, int context,
                                     Training training) {
        long tokens = 0;
        long longer = 0;
        for (String text : texts) {
            int n = tokenizer.encode(text).length;
            tokens += n + 1;
            if (n > context) {
                longer++;
            }
        }
        // Same packing as finetune.TokenWindows: <eot> d1 <eot> d2 <eot> ..., windows of `context` predicted tokens,
        // the last one possibly shorter.
        long examples = task == Finetune.Task.LANGUAGE_MODEL ? (tokens == 0 ? 0 : (tokens - 1) / context + 1)
                : texts.size();
        long perStep = training.effectiveBatchSize();
        long stepsPerEpoch = (examples + perStep - 1) / perStep;
        long totalSteps = training.maxSteps().map(Integer::longValue)
                .orElse(stepsPerEpoch * training.epochs().orElse(1));
        return new RunPlan.TaskPlan(task.name().toLowerCase(Locale.ROOT), examples, stepsPerEpoch, totalSteps,
                perStep * context, texts.isEmpty() ? 0 : round((double) longer / texts.size()));
    }

    /** What the method leaves trainable, counted the way the model's blocks hold their parameters. */
    static long trainableParameters(Finetune finetune, GptConfig config) {
        long d = config.embeddingDim();
        long all = config.parameterCount();
        return switch (finetune.method()) {
            case FULL -> all;
            case FREEZE -> {
                Finetune.Freeze freeze = finetune.freeze().orElse(new Finetune.Freeze(true, 0));
                yield all - (freeze.embeddings() ? config.embeddingParameterCount() : 0)
                        - freeze.layers() * config.blockParameterCount();
            }
            case LORA -> {
                Finetune.Lora lora = finetune.lora().orElseThrow();
                long perLayer = 0;
                for (String target : lora.targets()) {
                    // A: rank x in, B: out x rank
                    long in = "down".equals(target) ? 4 * d : d;
                    long out = "up".equals(target) ? 4 * d : d;
                    perLayer += (long) lora.rank() * (in + out);
                }
                yield perLayer * config.layers();
            }
        };
    }

    /**
     * A rough peak estimate: fp32 weights, gradients and two AdamW moments for trainable values, plus the activations
     * autograd keeps for one micro-batch (per block: about 16 values per token and channel, plus the attention
     * matrices) and the logits with their gradient. Good to a factor of about two; the run logs the measured peak.
     */
    static double memoryMib(GptConfig config, long parameters, long trainable, Training training,
                            boolean languageModel) {
        double weights = parameters * BYTES_PER_FLOAT + trainable * 3 * BYTES_PER_FLOAT;
        double tokens = (double) training.batchSize() * config.contextLength();
        double perBlock = tokens * config.embeddingDim() * 16
                + (double) training.batchSize() * config.heads() * config.contextLength() * config.contextLength() * 2;
        double logits = languageModel ? tokens * config.vocabSize() * 3 : 0;
        double activations = (perBlock * config.layers() + logits) * BYTES_PER_FLOAT;
        return (weights + activations) / MIB;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
