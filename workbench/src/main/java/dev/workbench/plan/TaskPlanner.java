package dev.workbench.plan;

import dev.workbench.data.Splits;
import dev.workbench.data.chat.ChatMessage;
import dev.workbench.data.chat.ChatTemplate;
import dev.workbench.data.chat.ChatTemplates;
import dev.workbench.data.chat.ChatTokens;
import dev.workbench.data.chat.Conversation;
import dev.workbench.data.chat.Packing;
import dev.workbench.plan.TaskPlan.InstructPlan;

import dev.workbench.data.LabelledExample;
import dev.workbench.data.PreparedData;
import dev.workbench.data.TextDocument;
import dev.workbench.model.Architecture;
import dev.workbench.model.ModelFamilies;
import dev.workbench.model.ModelFamily;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.io.CheckpointManifest;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.model.tokenizer.Tokenizers;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one computation of what the finetune stage does for a task: which base, which tokenizer, which architecture,
 * which window, how many steps and tokens per step. The stage runs what this returns; {@code workbench plan} prints it.
 */
public final class TaskPlanner {
    private TaskPlanner() {
    }

    /**
     * @param baseCheckpoint the base checkpoint folder when the recipe starts from one ({@link #baseCheckpoint})
     */
    public static TaskPlan plan(Recipe recipe, PreparedData data, Finetune.Task task, Optional<Path> baseCheckpoint) {
        BaseModel base = recipe.baseModel();
        List<String> texts = trainingTexts(recipe, data, task);
        Tokenizer tokenizer;
        Architecture model;
        BaseModel.TokenizerKind tokenizerKind;
        Optional<Checkpoint> checkpoint = Optional.empty();
        Optional<Path> hf = Optional.empty();
        String from;
        if (baseCheckpoint.isPresent()) {
            checkpoint = Optional.of(openBase(recipe, baseCheckpoint.get(), task));
            tokenizer = baseTokenizer(recipe, checkpoint.get());
            model = checkpoint.get().config().model();
            tokenizerKind = checkpoint.get().config().tokenizer();
            from = "checkpoint " + baseCheckpoint.get();
        } else if (base.hf().isPresent()) {
            hf = base.hf();
            tokenizer = HfImporter.loadTokenizer(hf.get());
            model = HfImporter.config(hf.get()).architecture();
            tokenizerKind = BaseModel.TokenizerKind.FILE;
            from = "hf " + hf.get();
        } else {
            // A classifier's tokenizer also learns from the language-model corpus when there is one.
            List<String> tokenizerTexts = new ArrayList<>(texts);
            if (task == Finetune.Task.CLASSIFIER) {
                tokenizerTexts.addAll(data.text().map(s -> texts(s.train())).orElse(List.of()));
            }
            tokenizer = Tokenizers.train(base.tokenizer(), tokenizerTexts);
            model = ModelFamilies.presets().architecture(base, tokenizer.vocabSize());
            tokenizerKind = base.tokenizer().kind();
            from = "preset " + base.preset().orElse("?");
        }
        requireTask(recipe, model.family(), task);
        if (recipe.finetune().isPresent()) {
            mismatch(recipe.finetune().get(), model).ifPresent(m -> {
                throw WorkbenchException.invalid(recipe.source() + ": " + m.key() + ": " + m.message());
            });
        }
        Optional<Finetune.Pooling> pooling = Optional.empty();
        if (task == Finetune.Task.CLASSIFIER) {
            pooling = Optional.of(pooling(recipe, model.family()));
            model = model.forClassifier(pooling.get()); // e.g. a BERT pooler only for cls pooling
        }
        int context = trainingContext(base, model);
        Training training = recipe.training();
        long perStep = training.effectiveBatchSize();
        if (task == Finetune.Task.INSTRUCT) {
            Optional<Path> folder = checkpoint.isPresent() ? checkpoint.map(Checkpoint::folder) : hf;
            InstructPlan instruct = instructPlan(recipe, data, tokenizer, folder, context);
            long rows = instruct.packing().rows().size();
            return new TaskPlan(task, from, model, context, tokenizer, tokenizerKind, checkpoint, hf, rows,
                    StepSchedule.of(training, rows), perStep * context, instruct.train().isEmpty() ? 0
                    : Math.round(1000.0 * instruct.truncated() / instruct.train().size()) / 1000.0, pooling,
                    Optional.of(instruct));
        }
        long tokens = 0;
        long longer = 0;
        for (String text : texts) {
            // a classifier sees each text with its tokenizer's special tokens (BERT's [CLS] .. [SEP])
            int n = task == Finetune.Task.CLASSIFIER ? tokenizer.encodeWithSpecialTokens(text).length
                    : tokenizer.encode(text).length;
            tokens += n + 1;
            if (n > context) {
                longer++;
            }
        }
        // Same packing as finetune.TokenWindows: <eot> d1 <eot> d2 <eot> ..., windows of `context` predicted tokens,
        // the last one possibly shorter; a classifier trains on one truncated row per example.
        long examples = task == Finetune.Task.LANGUAGE_MODEL ? (tokens == 0 ? 0 : (tokens - 1) / context + 1)
                : texts.size();
        return new TaskPlan(task, from, model, context, tokenizer, tokenizerKind, checkpoint, hf, examples,
                StepSchedule.of(training, examples), perStep * context,
                texts.isEmpty() ? 0 : Math.round(1000.0 * longer / texts.size()) / 1000.0, pooling, Optional.empty());
    }

    /**
     * Why a base of {@code family} cannot do {@code task} for this recipe, if it cannot: a language model on an
     * encoder (no token head), or a classifier pooling the family does not allow (cls on a causal decoder, whose first
     * position has seen only itself). {@code Preflight} reports it at the recipe key, the plan refuses with it.
     */
    public static Optional<FinetuneMismatch> refusal(Recipe recipe, ModelFamily family, Finetune.Task task) {
        if (task == Finetune.Task.LANGUAGE_MODEL && !family.hasLanguageModel()) {
            return Optional.of(new FinetuneMismatch("finetune.tasks", "language_model needs a base that predicts "
                    + "tokens; the " + family.name() + " base is an encoder without a language-model head (use it "
                    + "for tasks: [classifier])"));
        }
        Optional<Finetune.Pooling> named = recipe.finetune().flatMap(Finetune::classifierPooling);
        if (task == Finetune.Task.CLASSIFIER && named.isPresent() && !family.poolings().contains(named.get())) {
            return Optional.of(new FinetuneMismatch("finetune.classifier_pooling", lower(named.get()) + " does not "
                    + "suit a " + family.name() + " base, which pools by " + family.poolings().stream()
                    .map(TaskPlanner::lower).toList() + (family.hasLanguageModel() ? " (a causal decoder's first "
                    + "token has seen only itself)" : " (an encoder's last token is [SEP] / </s>)")));
        }
        return Optional.empty();
    }

    private static void requireTask(Recipe recipe, ModelFamily family, Finetune.Task task) {
        refusal(recipe, family, task).ifPresent(r -> {
            throw WorkbenchException.invalid(recipe.source() + ": " + r.key() + ": " + r.message());
        });
    }

    /** The recipe's {@code finetune.classifier_pooling}, else the family's default (a decoder mean, an encoder cls). */
    static Finetune.Pooling pooling(Recipe recipe, ModelFamily family) {
        return recipe.finetune().flatMap(Finetune::classifierPooling).orElse(family.poolings().get(0));
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** A fine-tuning setting the base model cannot honour: the recipe key and why. */
    public record FinetuneMismatch(String key, String message) {
    }

    /**
     * What in {@code finetune} does not fit {@code model}: a LoRA target the family's layers do not have (GPT has no
     * {@code gate}), or more layers to freeze than the model has. Empty when everything fits.
     */
    public static Optional<FinetuneMismatch> mismatch(Finetune finetune, Architecture model) {
        if (finetune.method() == Finetune.Method.LORA && finetune.lora().isPresent()) {
            for (String target : finetune.lora().get().targets()) {
                if (!model.projectionRoles().contains(target)) {
                    return Optional.of(new FinetuneMismatch("finetune.lora.targets", "the base model ("
                            + model.family().name() + " family) has no projection '" + target + "'; its layers have "
                            + String.join(", ", model.projectionRoles())));
                }
            }
        }
        if (finetune.method() == Finetune.Method.FREEZE && finetune.freeze().isPresent()
                && finetune.freeze().get().layers() > model.layers()) {
            return Optional.of(new FinetuneMismatch("finetune.freeze.layers", "is " + finetune.freeze().get().layers()
                    + " but the base model has " + model.layers() + " layers"));
        }
        return Optional.empty();
    }

    /** {@code training.max_steps}, else enough optimizer steps to see every example {@code epochs} times (at least 1). */
    public static long totalSteps(Training training, long examples) {
        return StepSchedule.of(training, examples).totalSteps();
    }

    /**
     * Window length for training and scoring: the recipe's {@code context_length} when it asks for less than the base
     * model holds (a 1024-position GPT-2 trained on 128-token windows), else all of the base's positions.
     */
    public static int trainingContext(BaseModel base, Architecture model) {
        return base.contextLength() > 0 ? Math.min(base.contextLength(), model.contextLength())
                : model.contextLength();
    }

    /** The task's folder name in a run ({@code language_model}, {@code classifier}), as the recipe spells it. */
    public static String folderName(Finetune.Task task) {
        return task.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> trainingTexts(Recipe recipe, PreparedData data, Finetune.Task task) {
        return switch (task) {
            case LANGUAGE_MODEL -> texts(data.text().orElseThrow(() -> WorkbenchException.invalid(
                    recipe.source() + ": finetune task language_model needs corpus.text")).train());
            case CLASSIFIER -> data.labelled().orElseThrow(() -> WorkbenchException.invalid(
                    recipe.source() + ": finetune task classifier needs corpus.labelled")).train().stream()
                    .map(LabelledExample::text).toList();
            // a preset's tokenizer learns from the turns' texts (the template's markup is the template's)
            case INSTRUCT -> data.instructions().orElseThrow(() -> WorkbenchException.invalid(
                    recipe.source() + ": finetune task instruct needs corpus.instructions")).train().stream()
                    .map(c -> c.messages().stream().map(ChatMessage::content)
                            .collect(java.util.stream.Collectors.joining("\n"))).toList();
        };
    }

    /**
     * The instruct task's conversations through the chat template ({@code finetune.chat_template}; auto: the base
     * folder's own, else alpaca), tokenized with the trained tokens marked, at most {@code context + 1} tokens each
     * (a window's inputs and the last target), and packed into rows of {@code context} positions.
     */
    public static InstructPlan instructPlan(Recipe recipe, PreparedData data, Tokenizer tokenizer,
                                            Optional<Path> baseFolder, int context) {
        Splits<Conversation> conversations = data.instructions().orElseThrow(() -> WorkbenchException.invalid(
                recipe.source() + ": finetune task instruct needs corpus.instructions"));
        Finetune.Instruct settings = recipe.finetune().map(Finetune::instruct).orElse(Finetune.Instruct.DEFAULTS);
        ChatTemplate template = chatTemplate(settings.chatTemplate(), baseFolder, tokenizer);
        List<ChatTokens> train = tokens(conversations.train(), template, tokenizer, settings, context);
        List<ChatTokens> validation = tokens(conversations.validation(), template, tokenizer, settings, context);
        List<ChatTokens> test = tokens(conversations.test(), template, tokenizer, settings, context);
        int[] lengths = train.stream().mapToInt(t -> t.ids().length).toArray();
        Packing packing = Packing.of(lengths, context, settings.packing(), recipe.seed());
        long truncated = train.stream().filter(t -> t.truncated() > 0).count();
        return new InstructPlan(template, train, validation, test, packing, truncated, settings.trainOnPrompt());
    }

    /**
     * The template of {@code spec} for a base with {@code tokenizer}: bos and eos texts from the base folder's
     * tokenizer_config.json, else the tokenizer's end-of-text token as eos (the workbench's and GPT-2's tokenizers).
     */
    public static ChatTemplate chatTemplate(String spec, Optional<Path> baseFolder, Tokenizer tokenizer) {
        return ChatTemplates.resolve(spec, baseFolder, bosToken(baseFolder), eosToken(baseFolder, tokenizer));
    }

    /**
     * The chat template a checkpoint (or hf folder) records ({@code chat_template.jinja}, as the instruct task writes
     * it, else {@code tokenizer_config.json}'s), with the special tokens resolved as for training; empty when it has
     * none. What {@code generate --chat} and a task's {@code apply_chat_template} render prompts with.
     */
    public static Optional<ChatTemplate> checkpointChatTemplate(Path folder, Tokenizer tokenizer) {
        return ChatTemplates.ofFolder(folder, bosToken(Optional.of(folder)), eosToken(Optional.of(folder), tokenizer));
    }

    private static String bosToken(Optional<Path> baseFolder) {
        return baseFolder.map(f -> ChatTemplates.specialToken(f, "bos_token")).orElse("");
    }

    private static String eosToken(Optional<Path> baseFolder, Tokenizer tokenizer) {
        return baseFolder.map(f -> ChatTemplates.specialToken(f, "eos_token")).filter(t -> !t.isEmpty())
                .orElseGet(() -> tokenizer.decode(new int[] {tokenizer.endOfTextId()}));
    }

    private static List<ChatTokens> tokens(List<Conversation> conversations, ChatTemplate template,
                                           Tokenizer tokenizer, Finetune.Instruct settings, int context) {
        List<ChatTokens> out = new ArrayList<>(conversations.size());
        for (Conversation c : conversations) {
            out.add(ChatTokens.of(c, template, tokenizer::encode, settings.trainOnPrompt(), context + 1));
        }
        return out;
    }

    private static List<String> texts(List<TextDocument> documents) {
        return documents.stream().map(TextDocument::text).toList();
    }

    /**
     * {@code base_model.checkpoint}: a checkpoint folder, a run folder (its language model's {@code best}), or a run
     * id looked up under the runs root. Relative paths are relative to the recipe file.
     */
    public static Optional<Path> baseCheckpoint(Recipe recipe, Path runsRoot) throws IOException {
        BaseModel base = recipe.baseModel();
        if (base.checkpoint().isEmpty()) {
            return Optional.empty();
        }
        String spec = base.checkpoint().get();
        Path asPath = Path.of(spec);
        if (!asPath.isAbsolute() && recipe.source() != null
                && recipe.source().getParent() != null) {
            asPath = recipe.source().getParent().resolve(asPath).normalize();
        }
        String lm = folderName(Finetune.Task.LANGUAGE_MODEL);
        if (Files.isDirectory(asPath)) {
            if (Files.isRegularFile(asPath.resolve(CheckpointIO.CONFIG))) {
                return Optional.of(asPath);
            }
            Path best = RunFolder.bestCheckpoint(asPath, lm);
            if (Files.isDirectory(best)) {
                return Optional.of(best);
            }
            throw WorkbenchException.invalid(recipe.source() + ": base_model.checkpoint " + asPath
                    + " is neither a checkpoint folder (no config.json) nor a run folder with "
                    + "checkpoints/language_model/best");
        }
        Optional<RunStore.RunEntry> run = new RunStore(runsRoot).find(spec);
        if (run.isPresent()) {
            return Optional.of(RunFolder.bestCheckpoint(run.get().folder(), lm));
        }
        throw WorkbenchException.invalid(recipe.source() + ": base_model.checkpoint '" + spec
                + "' is neither a folder nor a run id under " + runsRoot);
    }

    /**
     * Opens (and verifies) a base checkpoint for {@code task}. A language model needs a language-model checkpoint: a
     * classifier's pooled head cannot predict tokens. A classifier may start from either (the head is new).
     */
    public static Checkpoint openBase(Recipe recipe, Path folder, Finetune.Task task) {
        Checkpoint checkpoint = Checkpoint.open(folder);
        if (task == Finetune.Task.LANGUAGE_MODEL && checkpoint.config().task() != Finetune.Task.LANGUAGE_MODEL) {
            throw WorkbenchException.invalid(recipe.source() + ": base_model.checkpoint " + folder + " is a classifier "
                    + "checkpoint (" + CheckpointManifest.describe(checkpoint.config())
                    + "); a language_model task needs a "
                    + "language-model checkpoint as its base (a classifier has no token head); point it at a run's "
                    + "checkpoints/language_model/best");
        }
        return checkpoint;
    }

    /** The base checkpoint's tokenizer, refused when it produces ids the checkpoint's embedding does not have. */
    private static Tokenizer baseTokenizer(Recipe recipe, Checkpoint checkpoint) {
        Tokenizer tokenizer = checkpoint.loadTokenizer(Tokenizers::load);
        int modelVocab = checkpoint.config().model().vocabSize();
        if (tokenizer.vocabSize() > modelVocab) {
            throw WorkbenchException.invalid(recipe.source() + ": base_model.checkpoint " + checkpoint.folder()
                    + ": its tokenizer.json has " + tokenizer.vocabSize() + " tokens but the weights embed only "
                    + modelVocab + " (config.json vocab_size); the tokenizer does not belong to these weights");
        }
        return tokenizer;
    }
}
