package dev.workbench.eval.task;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.hf.CheckpointRef;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.TaskPlan;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.Finetune;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The two models a run's evaluation tasks compare: the base as the finetune stage started from it (its plan: a
 * checkpoint with adapters merged, a Hugging Face folder, or a preset's seeded initial weights with the planned
 * tokenizer) and the fine-tuned causal language model's best checkpoint.
 */
public final class TaskModels {
    /**
     * Finetune task folders whose best checkpoint is a causal language model, in order of preference: the
     * instruction-tuned model where the run trained one, else the plain language model.
     */
    static final List<String> CAUSAL_TASK_FOLDERS = List.of("instruct",
            TaskPlanner.folderName(Finetune.Task.LANGUAGE_MODEL));

    private TaskModels() {
    }

    /** The run's fine-tuned causal language model checkpoint, if it has one. */
    public static Optional<Path> finetunedCheckpoint(Path runFolder) {
        return CAUSAL_TASK_FOLDERS.stream().map(task -> RunFolder.bestCheckpoint(runFolder, task))
                .filter(Files::isDirectory).findFirst();
    }

    /** {@code base} and {@code finetuned}, both on {@code manager}. */
    public static List<TaskEvaluation.Subject> open(RunContext context, Path finetuned, NDManager manager)
            throws IOException {
        TaskPlan plan = TaskPlanner.plan(context.recipe(), context.data(), Finetune.Task.LANGUAGE_MODEL,
                TaskPlanner.baseCheckpoint(context.recipe(), context.runsRoot()));
        LanguageModel base;
        if (plan.checkpoint().isPresent()) {
            base = plan.checkpoint().get().loadLanguageModel(manager);
            Lora.merge(base);
        } else if (plan.hf().isPresent()) {
            base = HfImporter.loadModel(plan.hf().get(), manager);
        } else {
            base = plan.model().family().newLanguageModel(plan.model(), context.recipe().seed(), manager);
        }
        CheckpointRef tuned = CheckpointRef.resolve(finetuned.toString());
        return List.of(
                new TaskEvaluation.Subject("base", new LanguageModelScoring(base, plan.tokenizer(), manager)),
                new TaskEvaluation.Subject("finetuned", new LanguageModelScoring(tuned.loadLanguageModel(manager),
                        tuned.loadTokenizer(), manager)));
    }
}
