package dev.workbench.recipe;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An evaluation task as a YAML file describes it, modelled on lm-evaluation-harness's task configs: where the items
 * are, how an item becomes a prompt and a target (Jinja templates over the record's fields), what the model is asked
 * for (the log-likelihood of each choice, or a greedy generation), and how the answer is scored. Read by
 * {@link TaskFileReader}; every problem of a file is reported at once with its line and column.
 *
 * @param file the task file (relative paths in it start from its folder)
 * @param task the task's name: the per-item file {@code eval/tasks/<model>/<task>.jsonl} and the report rows
 * @param datasetPath the items: JSON Lines, or CSV with a header
 * @param fewshotPath where few-shot examples are drawn from; empty: from the items themselves (never the item scored)
 * @param fewshotColumns renames applied to few-shot records, task field -> the few-shot file's field (a training file
 *                       often names its columns differently from the held-out one)
 * @param numFewshot examples put before each item
 * @param fewshotSeed seeds the draw of few-shot examples
 * @param limit only the first N items
 * @param docToText Jinja template of the prompt
 * @param docToTarget Jinja template of the target: the answer text, or for multiple choice an index or a choice text
 * @param docToChoice multiple choice: a Jinja expression giving a list (e.g. {@code {{choices}}})
 * @param choices multiple choice: the same choices for every item, when written as a YAML list
 * @param targetDelimiter between the prompt and the target (few-shot examples, choice continuations)
 * @param fewshotDelimiter between few-shot examples and before the item
 * @param until generation stops before the first of these strings
 * @param maxGenToks generation stops after this many tokens
 * @param filter applied to each generation before scoring (e.g. GSM8K's {@code #### N})
 * @param metrics what is scored
 * @param applyChatTemplate the prompt goes through the model's chat format as one user turn
 */
public record TaskFile(
        Path file,
        String task,
        Path datasetPath,
        Optional<Path> fewshotPath,
        Map<String, String> fewshotColumns,
        int numFewshot,
        long fewshotSeed,
        OptionalInt limit,
        OutputType outputType,
        String docToText,
        String docToTarget,
        Optional<String> docToChoice,
        List<String> choices,
        String targetDelimiter,
        String fewshotDelimiter,
        List<String> until,
        int maxGenToks,
        Optional<AnswerFilter> filter,
        List<MetricSpec> metrics,
        boolean applyChatTemplate) {

    /** What the model is asked for, as lm-eval names it. */
    public enum OutputType { MULTIPLE_CHOICE, GENERATE_UNTIL }

    /** The metric names a task may list, per output type. */
    public static final List<String> MULTIPLE_CHOICE_METRICS = List.of("acc", "acc_norm");
    public static final List<String> GENERATE_METRICS = List.of("exact_match", "rouge_l", "f1");

    public TaskFile {
        fewshotColumns = Map.copyOf(fewshotColumns);
        choices = List.copyOf(choices);
        until = List.copyOf(until);
        metrics = List.copyOf(metrics);
    }

    /**
     * lm-eval's {@code regex} filter: the answer is capture group {@code group} of the {@code select}-th match
     * ({@code 0} the first, {@code -1} the last), or {@code fallback} when nothing matches.
     */
    public record AnswerFilter(String regex, int group, int select, String fallback) {
    }

    /**
     * One metric with lm-eval's exact-match options (applied to both the answer and the target; the regexes are
     * removed first, then case, then punctuation).
     */
    public record MetricSpec(String name, boolean ignoreCase, boolean ignorePunctuation,
                             List<String> regexesToIgnore) {
        public MetricSpec {
            regexesToIgnore = List.copyOf(regexesToIgnore);
        }

        public static MetricSpec of(String name) {
            return new MetricSpec(name, false, false, List.of());
        }
    }

    /** This task with what a recipe's {@code evaluate.tasks} item overrides. */
    public TaskFile with(Evaluate.TaskRef ref) {
        return new TaskFile(file, ref.task().orElse(task), ref.datasetPath().orElse(datasetPath), fewshotPath, fewshotColumns,
                ref.numFewshot().orElse(numFewshot), fewshotSeed,
                ref.limit().isPresent() ? ref.limit() : limit, outputType, docToText, docToTarget, docToChoice,
                choices, targetDelimiter, fewshotDelimiter, until, maxGenToks, filter, metrics,
                ref.applyChatTemplate().orElse(applyChatTemplate));
    }

    /** The same task reading its items from {@code path}. */
    public TaskFile withDataset(Path path, OptionalInt newLimit) {
        return new TaskFile(file, task, path, fewshotPath, fewshotColumns, numFewshot, fewshotSeed, newLimit,
                outputType, docToText, docToTarget, docToChoice, choices, targetDelimiter, fewshotDelimiter, until,
                maxGenToks, filter, metrics, applyChatTemplate);
    }
}
