package dev.workbench.eval.task;

import dev.workbench.data.TextHash;

import dev.workbench.recipe.TaskFile;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Scores one task on one model, item by item, as lm-evaluation-harness does: the prompt is the few-shot examples
 * ({@code doc_to_text + target_delimiter + target}, joined and followed by {@code fewshot_delimiter}) and then the
 * item's {@code doc_to_text}; a multiple-choice item asks for the log-likelihood of {@code target_delimiter + choice}
 * for every choice, a generate_until item for a greedy generation, filtered and compared with {@code doc_to_target}.
 *
 * <p>Few-shot examples are drawn with one {@link Random} seeded by {@code fewshot_seed}, item after item, so the same
 * task file gives the same prompts for every model; the item itself (same record of the same file, or the same prompt
 * text from another file) is never its own example.
 */
public final class TaskRunner {
    private final TaskFile task;
    private final TaskTemplates templates = new TaskTemplates();

    public TaskRunner(TaskFile task) {
        this.task = task;
    }

    /**
     * One scored item.
     *
     * @param index position in the dataset (0-based); with {@code itemSha256} what pairs items across models and runs
     * @param where {@code FILE:LINE} of the record
     * @param itemSha256 SHA-256 of the item's {@code doc_to_text} and target (without few-shot examples)
     * @param prompt the model's input (few-shot examples, chat format included)
     * @param target {@code doc_to_target}; for multiple choice the gold choice's text
     * @param choices multiple choice: every choice; else empty
     * @param logLikelihoods multiple choice: the log-likelihood of each choice; else null
     * @param gold multiple choice: the gold choice's index; else -1
     * @param output generate_until: the generation (cut at the stop strings); else null
     * @param answer generate_until: the generation after the task's filter; else null
     * @param scores metric name -> this item's score
     */
    public record ItemResult(int index, String where, String itemSha256, String prompt, String target,
                             List<String> choices, double[] logLikelihoods, int gold, String output, String answer,
                             Map<String, Double> scores) {
    }

    /** The task's items (the first {@code limit}) and the records few-shot examples come from. */
    public record Inputs(List<TaskItems.Item> items, List<TaskItems.Item> fewshotPool, boolean poolIsItems) {
    }

    public Inputs inputs() throws IOException {
        List<TaskItems.Item> all = TaskItems.read(task.datasetPath());
        if (all.isEmpty()) {
            throw WorkbenchException.invalid(task.datasetPath() + ": task " + task.task() + " has no items");
        }
        List<TaskItems.Item> items = task.limit().isPresent() && task.limit().getAsInt() < all.size()
                ? all.subList(0, task.limit().getAsInt()) : all;
        if (task.numFewshot() == 0) {
            return new Inputs(items, List.of(), false);
        }
        if (task.fewshotPath().isEmpty()) {
            return new Inputs(items, all, true);
        }
        List<TaskItems.Item> pool = new ArrayList<>();
        for (TaskItems.Item item : TaskItems.read(task.fewshotPath().get())) {
            pool.add(item.renamed(task.fewshotColumns()));
        }
        return new Inputs(items, pool, false);
    }

    /** Scores every item of {@code inputs} on {@code model}; {@code format} shapes chat-template prompts. */
    public List<ItemResult> run(Inputs inputs, ScoringModel model, PromptFormat format) {
        int needed = task.numFewshot() + (inputs.poolIsItems() ? 1 : 0);
        if (task.numFewshot() > 0 && inputs.fewshotPool().size() < needed) {
            throw WorkbenchException.invalid(task.file() + ": num_fewshot " + task.numFewshot() + " needs at least "
                    + needed + " few-shot records, " + (task.fewshotPath().isPresent() ? task.fewshotPath().get()
                    : task.datasetPath()) + " has " + inputs.fewshotPool().size());
        }
        Random random = new Random(task.fewshotSeed());
        List<ItemResult> out = new ArrayList<>();
        for (int i = 0; i < inputs.items().size(); i++) {
            out.add(score(i, inputs, random, model, format));
        }
        return out;
    }

    private ItemResult score(int index, Inputs inputs, Random random, ScoringModel model, PromptFormat format) {
        TaskItems.Item item = inputs.items().get(index);
        String text = templates.render(task.docToText(), item);
        String context = fewshotContext(index, text, inputs, random) + text;
        if (task.applyChatTemplate()) {
            context = format.userTurn(context);
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        if (task.outputType() == TaskFile.OutputType.MULTIPLE_CHOICE) {
            List<String> choices = choices(item);
            int gold = gold(item, choices);
            List<String> continuations = choices.stream().map(c -> task.targetDelimiter() + c).toList();
            double[] ll = model.logLikelihoods(context, continuations);
            for (TaskFile.MetricSpec m : task.metrics()) {
                scores.put(m.name(), m.name().equals("acc") ? TaskMetrics.acc(ll, gold)
                        : TaskMetrics.accNorm(ll, choices, gold));
            }
            String target = choices.get(gold);
            return new ItemResult(index, item.where(), TextHash.sha256(text + "\u0000" + target), context, target, choices,
                    ll, gold, null, null, scores);
        }
        String target = templates.render(task.docToTarget(), item);
        String output = model.generateUntil(context, task.until(), task.maxGenToks());
        String answer = task.filter().map(f -> TaskMetrics.filter(output, f)).orElse(output);
        for (TaskFile.MetricSpec m : task.metrics()) {
            double score = switch (m.name()) {
                case "exact_match" -> TaskMetrics.exactMatch(answer, target, m);
                case "rouge_l" -> TaskMetrics.rougeL(answer, target);
                case "f1" -> TaskMetrics.f1(answer, target);
                default -> throw new IllegalStateException("metric " + m.name()); // the reader allows no other
            };
            scores.put(m.name(), score);
        }
        return new ItemResult(index, item.where(), TextHash.sha256(text + "\u0000" + target), context, target, List.of(),
                null, -1, output, answer, scores);
    }

    private List<String> choices(TaskItems.Item item) {
        List<String> choices = task.docToChoice().isPresent()
                ? templates.choices(task.docToChoice().get(), item) : task.choices();
        if (choices.isEmpty()) {
            throw WorkbenchException.invalid(item.where() + ": no choices");
        }
        return choices;
    }

    /** lm-eval's gold: an index, or the text of one of the choices. */
    private int gold(TaskItems.Item item, List<String> choices) {
        String target = templates.render(task.docToTarget(), item).strip();
        if (target.matches("[0-9]+")) {
            int index = Integer.parseInt(target);
            if (index < choices.size()) {
                return index;
            }
            throw WorkbenchException.invalid(item.where() + ": target index " + index + " but only "
                    + choices.size() + " choices");
        }
        int index = choices.indexOf(target);
        if (index < 0) {
            throw WorkbenchException.invalid(item.where() + ": target '" + target + "' is not one of the choices "
                    + choices);
        }
        return index;
    }

    /** The few-shot examples for item {@code index}, joined, with the delimiter before the item (empty with none). */
    private String fewshotContext(int index, String itemText, Inputs inputs, Random random) {
        if (task.numFewshot() == 0) {
            return "";
        }
        List<TaskItems.Item> pool = inputs.fewshotPool();
        // lm-eval draws one more than needed and drops the item itself; a partial Fisher-Yates shuffle draws them
        int draw = Math.min(pool.size(), task.numFewshot() + 1);
        int[] order = new int[pool.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < draw && examples.size() < task.numFewshot(); i++) {
            int j = i + random.nextInt(order.length - i);
            int pick = order[j];
            order[j] = order[i];
            order[i] = pick;
            TaskItems.Item example = pool.get(pick);
            String exampleText = templates.render(task.docToText(), example);
            if ((inputs.poolIsItems() && pick == index) || (!inputs.poolIsItems() && exampleText.equals(itemText))) {
                continue;
            }
            examples.add(exampleText + task.targetDelimiter() + exampleTarget(example));
        }
        return String.join(task.fewshotDelimiter(), examples) + task.fewshotDelimiter();
    }

    private String exampleTarget(TaskItems.Item example) {
        if (task.outputType() == TaskFile.OutputType.MULTIPLE_CHOICE) {
            List<String> choices = choices(example);
            return choices.get(gold(example, choices));
        }
        return templates.render(task.docToTarget(), example);
    }
}
