package dev.workbench.recipe;

import dev.workbench.recipe.NodeReader.Section;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Binds {@code evaluate}: which evaluations run, their statistics, the prompts, the baselines and the out-of-scope
 * label.
 */
final class EvaluateBinder {
    private static final List<String> BASELINES = List.of("majority", "tfidf-logreg");

    private EvaluateBinder() {
    }

    static Evaluate bind(NodeReader read, Section s, Corpus corpus) {
        boolean languageModel = read.bool(s, "language_model", true);
        boolean classifier = read.bool(s, "classifier", true);
        boolean synthetic = read.bool(s, "synthetic", true);
        int bootstrap = read.integer(s, "bootstrap_samples", 1000, 1, 1_000_000);
        double confidence = read.number(s, "confidence", 0.95, 0, false, 1, false);
        List<String> prompts = read.stringList(s, "prompts", List.of(), null, false);
        if (!prompts.isEmpty() && corpus.text().isEmpty()) {
            read.problem(s.value("prompts"), "evaluate.prompts", "prompts need corpus.text (generations come from the"
                    + " language model)", Optional.empty());
        }
        int maxNewTokens = read.integer(s, "max_new_tokens", 64, 1, 1 << 16);
        double temperature = read.number(s, "temperature", 0.8, 0, true, 100, true);
        List<String> baselines = read.stringList(s, "baselines", BASELINES, BASELINES, false);
        List<String> outOfScope = read.stringList(s, "out_of_scope_label", Evaluate.DEFAULT_OUT_OF_SCOPE_LABELS,
                null, true);
        List<Evaluate.TaskRef> tasks = tasks(read, s);
        return new Evaluate(languageModel, classifier, synthetic, bootstrap, confidence, prompts, maxNewTokens,
                temperature, baselines, outOfScope, tasks);
    }

    /** The keys of an {@code evaluate.tasks} item written as a mapping. */
    static final List<String> TASK_KEYS = List.of("path", "task", "dataset_path", "limit", "num_fewshot",
            "apply_chat_template");

    /**
     * {@code evaluate.tasks}: task files, each a path or {@code {path, task, dataset_path, limit, num_fewshot,
     * apply_chat_template}}. The files
     * themselves are read by {@link TaskFileReader} in the plan's preflight, so their problems come with theirs.
     */
    private static List<Evaluate.TaskRef> tasks(NodeReader read, Section s) {
        Node node = s.value("tasks");
        if (node == null) {
            read.noteSource("evaluate.tasks", "default");
            return List.of();
        }
        read.source("evaluate.tasks", node);
        if (!(node instanceof SequenceNode seq)) {
            read.problem(node, "evaluate.tasks", "must be a list of task files, got " + NodeReader.describe(node),
                    Optional.of("tasks: [datasets/education/tasks/word-problems.yaml]"));
            return List.of();
        }
        List<Evaluate.TaskRef> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String key = "evaluate.tasks[" + i + "]";
            read.located(key, item);
            if (item instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
                out.add(Evaluate.TaskRef.of(read.resolvePath(item, key, scalar.getValue())));
            } else if (item instanceof MappingNode map) {
                Section t = read.itemSection(key, map, TASK_KEYS);
                Path path = read.requiredPath(t, "path");
                Optional<Path> dataset = Optional.ofNullable(t.has("dataset_path")
                        ? read.requiredPath(t, "dataset_path") : null);
                OptionalInt limit = read.optionalInteger(t, "limit", 1, Integer.MAX_VALUE)
                        .map(OptionalInt::of).orElse(OptionalInt.empty());
                OptionalInt shots = read.optionalInteger(t, "num_fewshot", 0, 1000)
                        .map(OptionalInt::of).orElse(OptionalInt.empty());
                Optional<String> name = read.optionalString(t, "task");
                name.filter(n -> !TaskFileReader.isTaskName(n)).ifPresent(n -> read.problem(t.value("task"),
                        key + ".task", "must be a file-name-safe name (letters, digits, . _ -), got '" + n + "'",
                        Optional.empty()));
                Optional<Boolean> chat = Optional.ofNullable(t.has("apply_chat_template")
                        ? read.bool(t, "apply_chat_template", false) : null);
                if (path != null) {
                    out.add(new Evaluate.TaskRef(path, dataset, limit, shots, name, chat));
                }
            } else {
                read.problem(item, key, "must be a task file path or a mapping with 'path', got "
                        + NodeReader.describe(item), Optional.empty());
            }
        }
        read.forgetSources("evaluate.tasks[");
        return List.copyOf(out);
    }
}
