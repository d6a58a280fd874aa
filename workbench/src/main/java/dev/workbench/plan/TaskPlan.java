package dev.workbench.plan;

import dev.workbench.data.chat.ChatTemplate;
import dev.workbench.data.chat.ChatTokens;
import dev.workbench.data.chat.Packing;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.model.Architecture;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the finetune stage does for one task, worked out once ({@link TaskPlanner#plan}) and used both by the stage and
 * by {@code workbench plan} (through {@link #figures()}), so that what plan prints is what runs.
 *
 * @param base where the weights start: {@code preset NAME}, {@code checkpoint FOLDER} or {@code hf FOLDER}
 * @param model the architecture the stage builds or loads (any family): the checkpoint's or hf model's own for those
 *              bases
 * @param contextLength the window the stage trains and scores on: {@code base_model.context_length} when it asks for
 *                      less than the model holds, else all of the model's positions
 * @param tokenizer the tokenizer the stage uses (trained on the task's texts for a preset, the base's otherwise)
 * @param tokenizerKind what the checkpoints written by the stage record as their tokenizer
 * @param checkpoint the opened (verified) base checkpoint, for a checkpoint base
 * @param hf the Hugging Face folder, for an hf base (never together with a checkpoint)
 * @param examplesPerEpoch language model: context windows cut from the packed training texts; classifier: rows
 * @param schedule the optimizer steps the stage runs ({@code training.max_steps}, else enough for {@code epochs}),
 *                 the steps per epoch, the warmup and how often validation runs
 * @param tokensPerStep token positions per optimizer step (effective batch times the context)
 * @param longerThanContextShare share of training texts with more tokens than the context (windowed or truncated)
 * @param pooling a classifier's pooling: the recipe's, else the base family's default; empty for a language model
 * @param instruct the instruct task's rendered, tokenized and packed conversations; empty for the other tasks
 */
public record TaskPlan(
        Finetune.Task task,
        String base,
        Architecture model,
        int contextLength,
        Tokenizer tokenizer,
        BaseModel.TokenizerKind tokenizerKind,
        Optional<Checkpoint> checkpoint,
        Optional<Path> hf,
        long examplesPerEpoch,
        StepSchedule schedule,
        long tokensPerStep,
        double longerThanContextShare,
        Optional<Finetune.Pooling> pooling,
        Optional<InstructPlan> instruct) {

    /**
     * The instruct task's data as it trains: conversations rendered by {@code template} and tokenized
     * ({@link ChatTokens}), the training rows ({@link Packing}).
     *
     * @param test the test split's conversations (empty when the recipe keeps none)
     * @param truncated training conversations longer than the window (their first tokens dropped)
     */
    public record InstructPlan(ChatTemplate template, List<ChatTokens> train, List<ChatTokens> validation,
                               List<ChatTokens> test, Packing packing, long truncated, boolean trainOnPrompt) {
        /**
         * The conversations base and fine-tuned are measured on: the test split when the recipe keeps one (never
         * seen in training nor in picking the checkpoint), else the validation split.
         */
        public List<ChatTokens> heldOut() {
            return test.isEmpty() ? validation : test;
        }

        /** The split name of {@link #heldOut()}. */
        public String heldOutSplit() {
            return test.isEmpty() ? "validation" : "test";
        }

        /** Target tokens the loss counts over one epoch. */
        public long trainedTokens() {
            return train.stream().mapToLong(ChatTokens::trainedTargets).sum();
        }
    }

    /** Optimizer steps the stage runs. */
    public long totalSteps() {
        return schedule.totalSteps();
    }

    /** Optimizer steps for one pass over the training examples. */
    public long stepsPerEpoch() {
        return schedule.stepsPerEpoch();
    }

    /** The numbers {@code workbench plan} prints for this task (JSON names as in {@code plan --json}). */
    public Figures figures() {
        return new Figures(TaskPlanner.folderName(task), base, model.family().name(), model.layers(), model.heads(),
                model.embeddingDim(), model.contextLength(), model.vocabSize(), model.dropout(), contextLength,
                pooling.map(p -> p.name().toLowerCase(java.util.Locale.ROOT)).orElse(null), examplesPerEpoch,
                schedule.stepsPerEpoch(), schedule.totalSteps(), schedule.warmupSteps(), schedule.evalEverySteps(),
                schedule.evaluation(), tokensPerStep, longerThanContextShare,
                instruct.map(i -> i.template().name()).orElse(null), instruct.map(i -> i.train().size()).orElse(null),
                instruct.map(InstructPlan::trainedTokens).orElse(null),
                instruct.map(i -> i.packing().efficiency()).orElse(null),
                instruct.map(InstructPlan::truncated).orElse(null));
    }

    /**
     * @param family the model family that builds the base ({@code gpt}, {@code llama}, {@code bert}, ...)
     * @param modelContextLength the positions the model holds
     * @param contextLength the window trained on (at most {@code modelContextLength})
     * @param pooling a classifier's pooling ({@code mean}, {@code last}, {@code cls}); null for a language model
     * @param warmupSteps linear-warmup steps ({@code training.warmup_steps} or {@code warmup_ratio} of the total)
     * @param evalEverySteps validation every N steps (and at the end)
     * @param evaluation the same in words: per epoch or every N steps
     * @param chatTemplate instruct: the template's name; null for the other tasks (as are the next four)
     * @param conversations instruct: training conversations
     * @param trainedTokensPerEpoch instruct: target tokens the loss counts per epoch
     * @param packingEfficiency instruct: filled positions over all positions of the training rows
     * @param truncatedConversations instruct: training conversations cut to the window
     */
    public record Figures(@JsonProperty("task") String task,
                          @JsonProperty("base") String base,
                          @JsonProperty("family") String family,
                          @JsonProperty("layers") int layers,
                          @JsonProperty("heads") int heads,
                          @JsonProperty("embedding_dim") int embeddingDim,
                          @JsonProperty("model_context_length") int modelContextLength,
                          @JsonProperty("vocab_size") int vocabSize,
                          @JsonProperty("dropout") double dropout,
                          @JsonProperty("context_length") int contextLength,
                          @JsonProperty("pooling") String pooling,
                          @JsonProperty("examples_per_epoch") long examplesPerEpoch,
                          @JsonProperty("steps_per_epoch") long stepsPerEpoch,
                          @JsonProperty("total_steps") long totalSteps,
                          @JsonProperty("warmup_steps") int warmupSteps,
                          @JsonProperty("eval_every_steps") int evalEverySteps,
                          @JsonProperty("evaluation") String evaluation,
                          @JsonProperty("tokens_per_step") long tokensPerStep,
                          @JsonProperty("longer_than_context_share") double longerThanContextShare,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("chat_template") String chatTemplate,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("conversations") Integer conversations,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("trained_tokens_per_epoch") Long trainedTokensPerEpoch,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("packing_efficiency") Double packingEfficiency,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("truncated_conversations") Long truncatedConversations) {
    }
}
