package dev.workbench.plan;

import dev.workbench.data.LabelledExample;
import dev.workbench.data.PreparedData;
import dev.workbench.data.Splits;
import dev.workbench.model.Architecture;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Works out what {@code workbench run} would do with a recipe, from the recipe, the loaded data and the finetune
 * stage's own {@link TaskPlan}s, without training anything.
 */
public final class RunPlanner {
    private static final double BYTES_PER_FLOAT = 4;
    private static final double MIB = 1024.0 * 1024.0;

    private RunPlanner() {
    }

    /**
     * @param tasks what the finetune stage will do, one plan per task ({@link TaskPlanner#plan}); empty without
     *              finetune
     * @param synthesis what the synthesize stage will do, one line per method (its own {@code planLines})
     */
    public static RunPlan plan(Recipe recipe, PreparedData data, List<TaskPlan> tasks, List<String> synthesis) {
        Map<String, RunPlan.SplitSizes> corpora = new LinkedHashMap<>();
        data.text().ifPresent(s -> corpora.put("text", sizes(s)));
        data.labelled().ifPresent(s -> corpora.put("labelled", sizes(s)));
        data.tableRows().ifPresent(s -> corpora.put("table", sizes(s)));
        List<String> classes = data.labelled()
                .map(s -> List.copyOf(new TreeSet<>(s.train().stream().map(LabelledExample::label).toList())))
                .orElse(List.of());

        Training training = recipe.training();
        List<String> notes = new ArrayList<>();
        long parameters = 0;
        long trainable = 0;
        double memoryMib = 0;
        for (TaskPlan task : tasks) {
            Finetune finetune = recipe.finetune().orElseThrow();
            Architecture config = task.model();
            long head = task.task() == Finetune.Task.CLASSIFIER
                    ? (long) config.embeddingDim() * classes.size() + classes.size() : 0;
            long taskParameters = config.parameterCount() + head;
            long taskTrainable = trainableParameters(finetune, config) + head;
            parameters = Math.max(parameters, taskParameters);
            trainable = Math.max(trainable, taskTrainable);
            memoryMib = Math.max(memoryMib, memoryMib(config, task.contextLength(), taskParameters, taskTrainable,
                    training, task.task() == Finetune.Task.LANGUAGE_MODEL));
        }
        if (!tasks.isEmpty() && recipe.baseModel().preset().isEmpty()) {
            notes.add("the resolved recipe's base_model.layers, heads, embedding_dim and dropout are not used with "
                    + (recipe.baseModel().hf().isPresent() ? "an hf" : "a checkpoint") + " base: the model is the base's "
                    + "own (per task above); context_length 0 means all of its positions");
        }
        data.labelled().ifPresent(s -> {
            int n = s.test().size();
            if (n > 0) {
                // Half-width of a 95% normal interval for an accuracy near 0.5: the widest it gets.
                notes.add(String.format(Locale.ROOT, "classifier test split: %d examples; accuracy intervals are "
                        + "up to +/-%.3f wide (95%%)", n, 1.96 * Math.sqrt(0.25 / n)));
            }
        });
        for (String corpus : List.of("text", "labelled", "table")) {
            // split.method column without validation rows: say where the validation split came from
            if (data.notes().get(corpus) instanceof Map<?, ?> corpusNotes
                    && corpusNotes.get("split_method") instanceof String applied && applied.startsWith("column; ")) {
                notes.add(corpus + ": the split column tags no validation rows; " + applied.substring(8));
            }
        }
        for (TaskPlan task : tasks) {
            if (task.stepsPerEpoch() > 0 && task.totalSteps() > 4 * task.stepsPerEpoch()) {
                notes.add(String.format(Locale.ROOT, "%s: %d steps are %.1f passes over the training data; watch "
                        + "the validation loss for overfitting", task.figures().task(), task.totalSteps(),
                        (double) task.totalSteps() / task.stepsPerEpoch()));
            }
        }
        return new RunPlan(corpora, classes, training.effectiveBatchSize(),
                tasks.stream().map(TaskPlan::figures).toList(), parameters, trainable, round(memoryMib), synthesis,
                notes);
    }

    private static <T> RunPlan.SplitSizes sizes(Splits<T> splits) {
        return new RunPlan.SplitSizes(splits.train().size(), splits.validation().size(), splits.test().size());
    }

    /** What the method leaves trainable, counted the way the model's blocks hold their parameters. */
    public static long trainableParameters(Finetune finetune, Architecture config) {
        long all = config.parameterCount();
        return switch (finetune.method()) {
            case FULL -> all;
            case FREEZE -> {
                Finetune.Freeze freeze = finetune.freeze().orElse(new Finetune.Freeze(true, 0));
                yield all - (freeze.embeddings() ? config.embeddingParameterCount() : 0)
                        - freeze.layers() * config.layerParameterCount();
            }
            case LORA -> {
                Finetune.Lora lora = finetune.lora().orElseThrow();
                long perLayer = 0;
                for (String target : lora.targets()) {
                    // A: rank x in, B: out x rank
                    perLayer += lora.rank() * ((long) config.projectionInputs(target)
                            + config.projectionOutputs(target));
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
    static double memoryMib(Architecture config, int context, long parameters, long trainable, Training training,
                            boolean languageModel) {
        double weights = parameters * BYTES_PER_FLOAT + trainable * 3 * BYTES_PER_FLOAT;
        double tokens = (double) training.batchSize() * context;
        double perBlock = tokens * config.embeddingDim() * 16
                + (double) training.batchSize() * config.heads() * context * context * 2;
        double logits = languageModel ? tokens * config.vocabSize() * 3 : 0;
        double activations = (perBlock * config.layers() + logits) * BYTES_PER_FLOAT;
        return (weights + activations) / MIB;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
