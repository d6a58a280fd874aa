package dev.workbench.recipe;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the evaluation stage measures. Every switch defaults to true when its inputs exist.
 *
 * @param prompts fixed prompts for side-by-side generations (seeded)
 * @param baselines classifier baselines: majority, tfidf-logreg
 * @param outOfScopeLabels labels that mark out-of-scope examples (CLINC150's {@code oos}); when one occurs in the
 *     labelled data, every scored classifier also gets in-scope accuracy and out-of-scope recall and precision
 * @param tasks task files (lm-eval-harness style) scored on the base and the fine-tuned language model
 */
public record Evaluate(
        boolean languageModel,
        boolean classifier,
        boolean synthetic,
        int bootstrapSamples,
        double confidence,
        List<String> prompts,
        int maxNewTokens,
        double temperature,
        List<String> baselines,
        List<String> outOfScopeLabels,
        List<TaskRef> tasks) {
    /** evaluate.out_of_scope_label when the recipe leaves it out: CLINC150's name for its out-of-scope class. */
    public static final List<String> DEFAULT_OUT_OF_SCOPE_LABELS = List.of("oos");

    public Evaluate {
        tasks = List.copyOf(tasks);
    }

    /** Settings without evaluation tasks. */
    public Evaluate(boolean languageModel, boolean classifier, boolean synthetic, int bootstrapSamples,
                    double confidence, List<String> prompts, int maxNewTokens, double temperature,
                    List<String> baselines, List<String> outOfScopeLabels) {
        this(languageModel, classifier, synthetic, bootstrapSamples, confidence, prompts, maxNewTokens, temperature,
                baselines, outOfScopeLabels, List.of());
    }

    /**
     * One item of {@code evaluate.tasks}: a task file and what the recipe overrides in it.
     *
     * @param path the task file (YAML, {@link TaskFile})
     * @param datasetPath replaces the file's {@code dataset_path} (e.g. the shared GSM8K test split)
     * @param limit replaces the file's {@code limit}: score only the first N items
     * @param numFewshot replaces the file's {@code num_fewshot}
     * @param applyChatTemplate replaces the file's {@code apply_chat_template} (lm-eval's {@code --apply_chat_template}):
     *     a task file written for bases scores an instruct run through its chat template
     * @param task replaces the file's {@code task} name (one task file on two datasets needs two names)
     */
    public record TaskRef(Path path, Optional<Path> datasetPath, OptionalInt limit, OptionalInt numFewshot,
                          Optional<String> task, Optional<Boolean> applyChatTemplate) {
        public TaskRef(Path path, Optional<Path> datasetPath, OptionalInt limit, OptionalInt numFewshot) {
            this(path, datasetPath, limit, numFewshot, Optional.empty(), Optional.empty());
        }

        public static TaskRef of(Path path) {
            return new TaskRef(path, Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
        }
    }

}
