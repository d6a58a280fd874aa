package dev.workbench.eval.task;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.data.chat.ChatTemplate;
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

    /**
     * What a run's tasks are scored with: {@code base} and {@code finetuned}, both on {@code manager}, and the chat
     * format of tasks that ask for {@code apply_chat_template}: the one both models get, so they see the same prompts.
     */
    public record Models(List<TaskEvaluation.Subject> subjects, PromptFormat chat) {
    }

    /**
     * The base as the finetune stage started from it, the fine-tuned checkpoint {@code finetuned}, and the chat
     * format: the template the instruct task trained with (recorded in its checkpoint), else the template
     * {@code finetune.chat_template} resolves to for the base (auto: the base folder's own, else alpaca).
     */
    public static Models open(RunContext context, Path finetuned, NDManager manager) throws IOException {
        Finetune.Task task = finetuned.getParent() != null && finetuned.getParent().getFileName().toString()
                .equals(TaskPlanner.folderName(Finetune.Task.INSTRUCT)) ? Finetune.Task.INSTRUCT
                : Finetune.Task.LANGUAGE_MODEL;
        TaskPlan plan = TaskPlanner.plan(context.recipe(), context.data(), task,
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
        Tokenizer tunedTokenizer = tuned.loadTokenizer();
        ChatTemplate chat = TaskPlanner.checkpointChatTemplate(finetuned, tunedTokenizer).orElseGet(() -> {
            Optional<Path> baseFolder = plan.checkpoint().isPresent()
                    ? plan.checkpoint().map(Checkpoint::folder) : plan.hf();
            String spec = context.recipe().finetune().map(Finetune::instruct)
                    .orElse(Finetune.Instruct.DEFAULTS).chatTemplate();
            return TaskPlanner.chatTemplate(spec, baseFolder, plan.tokenizer());
        });
        return new Models(List.of(
                new TaskEvaluation.Subject("base", new LanguageModelScoring(base, plan.tokenizer(), manager)),
                new TaskEvaluation.Subject("finetuned", new LanguageModelScoring(tuned.loadLanguageModel(manager),
                        tunedTokenizer, manager))), chat::userTurn);
    }
}
