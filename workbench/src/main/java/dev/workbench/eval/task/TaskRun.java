package dev.workbench.eval.task;

import ai.djl.ndarray.NDManager;
import dev.workbench.eval.PairedTestResult;
import dev.workbench.data.chat.ChatTemplate;
import dev.workbench.model.hf.CheckpointRef;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.recipe.TaskFile;
import dev.workbench.store.MetricRow;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code workbench tasks run}: evaluation tasks on any checkpoint outside a run (lm-evaluation-harness's
 * {@code lm_eval --model ... --tasks ...}), optionally against a second one on the same items with the paired tests.
 */
public final class TaskRun {
    /** Subject name of a checkpoint scored on its own. */
    public static final String ALONE = "model";

    private TaskRun() {
    }

    /**
     * Scores {@code tasks} on {@code checkpoint} (as {@code finetuned} when {@code base} is given, else as
     * {@value #ALONE}); per-item files go to {@code out/eval/tasks/<model>/<task>.jsonl}.
     *
     * @param checkpoint a workbench checkpoint folder or {@code hf:DIR}
     */
    public static TaskEvaluation.Outcome run(List<TaskFile> tasks, String checkpoint, Optional<String> base, Path out,
                                             TaskEvaluation.Statistics stats, PrintStream log) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TaskEvaluation.Subject> subjects = new ArrayList<>();
            if (base.isPresent()) {
                subjects.add(new TaskEvaluation.Subject("base", open(base.get(), manager)));
            }
            CheckpointRef scored = CheckpointRef.resolve(checkpoint);
            Tokenizer tokenizer = scored.loadTokenizer();
            subjects.add(new TaskEvaluation.Subject(base.isPresent() ? "finetuned" : ALONE,
                    new LanguageModelScoring(scored.loadLanguageModel(manager), tokenizer, manager)));
            return TaskEvaluation.run(tasks, subjects, chatFormat(tasks, checkpoint, scored, tokenizer), out, stats,
                    log);
        }
    }

    /**
     * For tasks with {@code apply_chat_template}: the scored checkpoint's chat template (an instruct checkpoint
     * records the one it trained with; a Hugging Face folder has its tokenizer_config.json's), given to both models
     * so that they see the same prompts. Refused when a task asks for one and the checkpoint has none.
     */
    private static PromptFormat chatFormat(List<TaskFile> tasks, String checkpoint, CheckpointRef scored,
                                           Tokenizer tokenizer) {
        Optional<TaskFile> asking = tasks.stream().filter(TaskFile::applyChatTemplate).findFirst();
        if (asking.isEmpty()) {
            return PromptFormat.PLAIN;
        }
        ChatTemplate template = TaskPlanner.checkpointChatTemplate(scored.folder(), tokenizer)
                .orElseThrow(() -> WorkbenchException.invalid("task " + asking.get().task()
                        + " sets apply_chat_template, but " + checkpoint + " has no chat template (no"
                        + " chat_template.jinja, no chat_template in tokenizer_config.json); hint: score an instruct"
                        + " checkpoint, or set apply_chat_template: false"));
        return template::userTurn;
    }

    private static ScoringModel open(String reference, NDManager manager) {
        CheckpointRef ref = CheckpointRef.resolve(reference);
        return new LanguageModelScoring(ref.loadLanguageModel(manager), ref.loadTokenizer(), manager);
    }

    /** A plain-text table of the scores (as lm-eval prints), then the paired tests. */
    public static String table(TaskEvaluation.Outcome outcome) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-24s %-10s %-12s %8s  %-19s %5s%n",
                "task", "model", "metric", "value", "95% CI", "n"));
        for (MetricRow r : outcome.rows()) {
            out.append(String.format(Locale.ROOT, "%-24s %-10s %-12s %8.4f  [%.4f, %.4f] %5d%n",
                    r.dataset().substring(TaskEvaluation.DATASET_PREFIX.length()), r.subject(), r.metric(),
                    r.value(), r.ciLow(), r.ciHigh(), r.n()));
        }
        for (PairedTestResult t : outcome.tests()) {
            out.append(String.format(Locale.ROOT, "%s %s: finetuned - base = %+.4f [%.4f, %.4f], %s p = %.4g"
                            + " (Holm within the task %.4g)%n", t.family().substring(
                                    PairedTestResult.TASK_FAMILY_PREFIX.length()), t.metric(), t.difference(),
                    t.ciLow(), t.ciHigh(), t.test(), t.pValue(), t.pValueHolm()));
        }
        return out.toString();
    }
}
