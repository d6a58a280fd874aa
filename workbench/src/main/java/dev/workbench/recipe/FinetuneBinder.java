package dev.workbench.recipe;

import dev.workbench.recipe.Finetune.ClassWeights;
import dev.workbench.recipe.Finetune.Freeze;
import dev.workbench.recipe.Finetune.Instruct;
import dev.workbench.recipe.Finetune.Lora;
import dev.workbench.recipe.Finetune.Method;
import dev.workbench.recipe.Finetune.Pooling;
import dev.workbench.recipe.Finetune.Task;
import dev.workbench.recipe.NodeReader.Section;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.workbench.recipe.RecipeFields.valueName;
import static dev.workbench.recipe.RecipeFields.valueNames;

/** Binds {@code finetune}: the tasks, the method with its freeze or lora settings, and the classifier's loss. */
final class FinetuneBinder {
    /** Every projection role of any family's layers; the base model's family may have fewer (GPT has no gate). */
    private static final List<String> LORA_TARGETS = List.of("q", "k", "v", "o", "gate", "up", "down");

    /** The chat templates the workbench ships (resources dev/workbench/data/chat/NAME.jinja). */
    static final List<String> BUILT_IN_TEMPLATES = List.of("chatml", "llama3", "alpaca");

    private FinetuneBinder() {
    }

    static Finetune bind(NodeReader read, Section s, Corpus corpus, BaseModel base) {
        List<String> allowedTasks = valueNames(Task.values());
        List<String> taskNames = s.has("tasks")
                ? read.stringList(s, "tasks", List.of(), allowedTasks, true) : List.of();
        if (!s.has("tasks")) {
            read.missing(s, "tasks");
        }
        List<Task> tasks = new ArrayList<>();
        for (String taskName : taskNames) {
            Task task = Task.values()[allowedTasks.indexOf(taskName)];
            tasks.add(task);
            if (task == Task.LANGUAGE_MODEL && corpus.text().isEmpty()) {
                read.problem(s.item("tasks", taskName), "finetune.tasks", "language_model needs corpus.text",
                        Optional.empty());
            }
            if (task == Task.INSTRUCT && corpus.instructions().isEmpty()) {
                read.problem(s.item("tasks", taskName), "finetune.tasks", "instruct needs corpus.instructions",
                        Optional.empty());
            }
            if (task == Task.INSTRUCT && taskNames.contains(valueName(Task.LANGUAGE_MODEL))) {
                read.problem(s.item("tasks", taskName), "finetune.tasks", "instruct and language_model cannot be"
                        + " trained in one run", Optional.of("both write the run's causal language model; train"
                        + " language_model in one run and use it as base_model.checkpoint of an instruct run"));
            }
            if (task == Task.CLASSIFIER && corpus.labelled().isEmpty()) {
                read.problem(s.item("tasks", taskName), "finetune.tasks", "classifier needs corpus.labelled",
                        Optional.empty());
            }
        }
        Method method = read.enumValue(s, "method", Method.class, Method.FULL);
        Section freezeSection = read.section(s, "freeze");
        Section loraSection = read.section(s, "lora");
        if (freezeSection.present && method != Method.FREEZE) {
            read.problem(s.keyNode("freeze"), "finetune.freeze", "freeze settings need finetune.method: freeze (method"
                    + " is " + valueName(method) + ")", Optional.empty());
        }
        if (loraSection.present && method != Method.LORA) {
            read.problem(s.keyNode("lora"), "finetune.lora", "lora settings need finetune.method: lora (method is "
                    + valueName(method) + ")", Optional.empty());
        }
        // A misplaced freeze or lora section is still checked (to report its own problems), then dropped.
        Optional<Freeze> freeze = Optional.empty();
        if (method == Method.FREEZE || freezeSection.valid()) {
            boolean embeddings = read.bool(freezeSection, "embeddings", true);
            int layers = read.integer(freezeSection, "layers", 0, 0, 256);
            if (base.layers() > 0 && layers > base.layers()) {
                read.problem(freezeSection.value("layers"), "finetune.freeze.layers", "must be at most"
                        + " base_model.layers (" + base.layers() + "), got " + layers, Optional.empty());
            }
            freeze = Optional.of(new Freeze(embeddings, layers)).filter(f -> method == Method.FREEZE);
        }
        Optional<Lora> lora = Optional.empty();
        if (method == Method.LORA || loraSection.valid()) {
            lora = Optional.of(new Lora(read.integer(loraSection, "rank", 8, 1, 4096),
                    read.number(loraSection, "alpha", 16, 0, false, 1e6, true),
                    read.number(loraSection, "dropout", 0.05, 0, true, 1, false),
                    read.stringList(loraSection, "targets", List.of("q", "v"), LORA_TARGETS, true)))
                    .filter(l -> method == Method.LORA);
        }
        // absent: the base family's default (mean for a decoder, cls for an encoder), known once the plan opens the base
        Pooling named = read.enumValue(s, "classifier_pooling", Pooling.class, Pooling.MEAN);
        Optional<Pooling> pooling = s.has("classifier_pooling") ? Optional.of(named) : Optional.empty();
        double labelSmoothing = read.number(s, "label_smoothing", 0, 0, true, 1, false);
        ClassWeights classWeights = read.enumValue(s, "class_weights", ClassWeights.class, ClassWeights.NONE);
        String chatTemplate = read.string(s, "chat_template", Instruct.AUTO);
        if (!chatTemplate.equals(Instruct.AUTO) && !BUILT_IN_TEMPLATES.contains(chatTemplate)) {
            if (!chatTemplate.endsWith(".jinja")) {
                read.problem(s.value("chat_template"), "finetune.chat_template", "unknown template "
                        + Problem.quote(chatTemplate), Optional.of("auto, " + String.join(", ", BUILT_IN_TEMPLATES)
                        + ", or a path to a .jinja file"));
            } else {
                Path file = read.resolvePath(s.value("chat_template"), "finetune.chat_template", chatTemplate);
                chatTemplate = file == null ? chatTemplate : file.toString();
            }
        }
        Instruct instruct = new Instruct(chatTemplate, read.bool(s, "train_on_prompt", false),
                read.bool(s, "packing", true));
        return new Finetune(tasks, method, freeze, lora, pooling, labelSmoothing, classWeights, instruct);
    }
}
