package dev.workbench.recipe;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.workbench.recipe.NodeReader.Section;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a task file ({@link TaskFile}) with the recipe's machinery ({@link NodeReader}): unknown keys with a
 * suggestion, wrong types, bad regexes, Jinja syntax errors and missing data files, all reported at once as
 * {@code FILE:LINE:COL} problems in one {@link RecipeException}.
 */
public final class TaskFileReader {
    private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** lm-eval's defaults for a generate_until task without generation_kwargs. */
    static final int DEFAULT_MAX_GEN_TOKS = 256;
    private static final Map<String, List<String>> FIELDS = Map.of(
            "", List.of("task", "dataset_path", "fewshot_path", "fewshot_columns", "num_fewshot", "fewshot_seed",
                    "limit", "output_type", "doc_to_text", "doc_to_target", "doc_to_choice", "target_delimiter",
                    "fewshot_delimiter", "generation_kwargs", "filter", "metric_list", "apply_chat_template"),
            "generation_kwargs", List.of("until", "max_gen_toks"),
            "filter", List.of("regex", "group", "select", "fallback"),
            // aggregation and higher_is_better are accepted so that lm-eval's metric entries read unchanged
            "metric_list", List.of("metric", "ignore_case", "ignore_punctuation", "regexes_to_ignore", "aggregation",
                    "higher_is_better"));

    private static final List<String> EVERY_KEY = FIELDS.entrySet().stream()
            .flatMap(e -> e.getValue().stream().map(k -> e.getKey().isEmpty() ? k : e.getKey() + "." + k))
            .sorted().toList();

    private TaskFileReader() {
    }

    /** Whether {@code name} can name a task: it becomes a file name ({@code eval/tasks/<model>/<task>.jsonl}). */
    public static boolean isTaskName(String name) {
        return TASK_NAME.matcher(name).matches();
    }

    /** Reads and checks a task file; throws {@link RecipeException} with every problem found. */
    public static TaskFile read(Path file) {
        return read(file, Optional.empty(), OptionalInt.empty());
    }

    /** As {@link #read(Path)}, with what a recipe's {@code evaluate.tasks} item overrides applied. */
    public static TaskFile read(Evaluate.TaskRef ref) {
        return read(ref.path(), ref.datasetPath(), ref.numFewshot()).with(ref);
    }

    /**
     * As {@link #read(Path)} for a task whose items come from {@code datasetOverride} when present (a recipe's
     * {@code dataset_path}): then the file's own {@code dataset_path} need not exist; {@code fewshot_path} must exist
     * only when examples are drawn ({@code num_fewshot}, or its override, above 0).
     */
    static TaskFile read(Path file, Optional<Path> datasetOverride, OptionalInt numFewshotOverride) {
        String display = file.toString();
        Node root = RecipeReader.compose(RecipeReader.readText(file, display), display, display);
        Path folder = file.toAbsolutePath().normalize().getParent();
        NodeReader read = new NodeReader(display, folder, new Overrides(display, List.of()),
                section -> FIELDS.getOrDefault(section, List.of()), EVERY_KEY);
        if (!(root instanceof MappingNode map)) {
            read.problem(root, "", "a task file must be a mapping of keys (task, dataset_path, output_type, ...)",
                    Optional.empty());
            throw read.failure();
        }
        Section s = read.root(map);
        String task = read.requiredString(s, "task", "task");
        if (s.has("task") && !isTaskName(task)) {
            read.problem(s.value("task"), "task", "must be a file-name-safe name (letters, digits, . _ -), got "
                    + Problem.quote(task), Optional.empty());
        }
        Path dataset = existingFile(read, s, "dataset_path", datasetOverride.isEmpty()).orElse(folder);
        Map<String, String> fewshotColumns = freeMap(read, s, "fewshot_columns");
        int numFewshot = read.integer(s, "num_fewshot", 0, 0, 1000);
        Optional<Path> fewshot = existingFile(read, s, "fewshot_path", numFewshotOverride.orElse(numFewshot) > 0);
        long fewshotSeed = read.longValue(s, "fewshot_seed", 1234, Long.MIN_VALUE, Long.MAX_VALUE);
        OptionalInt limit = read.optionalInteger(s, "limit", 1, Integer.MAX_VALUE).map(OptionalInt::of)
                .orElse(OptionalInt.empty());
        TaskFile.OutputType type = TaskFile.OutputType.GENERATE_UNTIL;
        int before = read.problemCount();
        if (!s.has("output_type")) {
            read.missing(s, "output_type");
        } else {
            type = read.enumValue(s, "output_type", TaskFile.OutputType.class, type);
        }
        boolean typeKnown = read.problemCount() == before; // else the metrics are not checked against a guess
        String docToText = template(read, s, "doc_to_text", true);
        String docToTarget = template(read, s, "doc_to_target", true);
        Optional<String> docToChoice = Optional.empty();
        List<String> choices = List.of();
        boolean multipleChoice = type == TaskFile.OutputType.MULTIPLE_CHOICE;
        if (s.has("doc_to_choice")) {
            if (!multipleChoice) {
                read.problem(s.value("doc_to_choice"), "doc_to_choice", "only multiple_choice tasks have choices",
                        Optional.of("remove it, or set output_type: multiple_choice"));
            } else if (s.value("doc_to_choice") instanceof SequenceNode) {
                choices = read.stringList(s, "doc_to_choice", List.of(), null, true);
            } else {
                docToChoice = Optional.of(template(read, s, "doc_to_choice", true));
            }
        } else if (multipleChoice) {
            read.problem(s.anchor(), "doc_to_choice", "a multiple_choice task needs its choices",
                    Optional.of("doc_to_choice: \"{{choices}}\" (a list field) or a YAML list of the choices"));
        }
        String targetDelimiter = read.string(s, "target_delimiter", " ");
        String fewshotDelimiter = read.string(s, "fewshot_delimiter", "\n\n");
        Section generation = read.section(s, "generation_kwargs");
        if (generation.present && multipleChoice) {
            read.problem(s.value("generation_kwargs"), "generation_kwargs",
                    "only generate_until tasks generate", Optional.empty());
        }
        // lm-eval stops at the few-shot delimiter when a task names no stop strings
        List<String> until = read.stringList(generation, "until", List.of(fewshotDelimiter), null, false);
        int maxGenToks = read.integer(generation, "max_gen_toks", DEFAULT_MAX_GEN_TOKS, 1, 1 << 16);
        Optional<TaskFile.AnswerFilter> filter = filter(read, s, multipleChoice);
        List<TaskFile.MetricSpec> metrics = metrics(read, s, multipleChoice, typeKnown);
        boolean chat = read.bool(s, "apply_chat_template", false);
        if (read.hasProblems()) {
            throw read.failure();
        }
        return new TaskFile(file, task, datasetOverride.orElse(dataset), fewshot, fewshotColumns, numFewshot, fewshotSeed, limit, type,
                docToText, docToTarget, docToChoice, choices, targetDelimiter, fewshotDelimiter, until, maxGenToks,
                filter, metrics, chat);
    }

    /** A path the file names; {@code mustExist}: reported when it is not a file (and when missing, for a required key). */
    private static Optional<Path> existingFile(NodeReader read, Section s, String key, boolean mustExist) {
        if (!s.has(key)) {
            if (key.equals("dataset_path")) {
                read.missing(s, key);
            }
            return Optional.empty();
        }
        Path path = read.requiredPath(s, key);
        if (path == null) {
            return Optional.empty();
        }
        if (mustExist && !Files.isRegularFile(path)) {
            read.problem(s.value(key), key, "no such file: " + path, Optional.of("paths are relative to the task "
                    + "file's folder; the recipe's evaluate.tasks item can override dataset_path"));
        }
        return Optional.of(path);
    }

    /** A Jinja template, checked for syntax errors now rather than on the first item. */
    private static String template(NodeReader read, Section s, String key, boolean required) {
        String text = required ? read.requiredString(s, key, "") : read.string(s, key, "");
        if (!text.isEmpty()) {
            for (TemplateError error : new Jinjava().renderForResult(text, Map.of()).getErrors()) {
                // jinjava reports an unclosed {{ as a warning and renders it as text; for a task that is a typo
                if (error.getSeverity() == TemplateError.ErrorType.FATAL
                        || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
                    read.problem(s.value(key), key, "invalid Jinja template: " + error.getMessage(),
                            Optional.empty());
                    break;
                }
            }
        }
        return text;
    }

    private static Map<String, String> freeMap(NodeReader read, Section s, String key) {
        Node node = s.value(key);
        if (node == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode map)) {
            read.problem(node, key, "must be a mapping of task field to the few-shot file's field, got "
                    + NodeReader.describe(node), Optional.of("fewshot_columns: {question: prompt}"));
            return out;
        }
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && tuple.getValueNode() instanceof ScalarNode v) {
                out.put(k.getValue(), v.getValue());
            } else {
                read.problem(tuple.getValueNode(), key, "names must be strings", Optional.empty());
            }
        }
        return out;
    }

    private static Optional<TaskFile.AnswerFilter> filter(NodeReader read, Section s, boolean multipleChoice) {
        Section f = read.section(s, "filter");
        if (!f.valid()) {
            return Optional.empty();
        }
        if (multipleChoice) {
            read.problem(s.value("filter"), "filter", "only generations are filtered", Optional.empty());
        }
        String regex = read.requiredString(f, "regex", "");
        int groups = 0;
        try {
            groups = Pattern.compile(regex).matcher("").groupCount();
        } catch (PatternSyntaxException e) {
            read.problem(f.value("regex"), "filter.regex", "invalid regular expression: " + e.getDescription(),
                    Optional.empty());
        }
        int group = read.integer(f, "group", groups > 0 ? 1 : 0, 0, 99);
        if (group > groups && f.has("group")) {
            read.problem(f.value("group"), "filter.group", "the regex has " + groups + " capture group(s)",
                    Optional.empty());
        }
        int select = read.integer(f, "select", 0, -1000, 1000);
        String fallback = read.string(f, "fallback", "[invalid]");
        return Optional.of(new TaskFile.AnswerFilter(regex, group, select, fallback));
    }

    private static List<TaskFile.MetricSpec> metrics(NodeReader read, Section s, boolean multipleChoice,
                                                     boolean typeKnown) {
        List<String> allowed = !typeKnown ? java.util.stream.Stream.concat(TaskFile.MULTIPLE_CHOICE_METRICS.stream(),
                TaskFile.GENERATE_METRICS.stream()).toList()
                : multipleChoice ? TaskFile.MULTIPLE_CHOICE_METRICS : TaskFile.GENERATE_METRICS;
        List<TaskFile.MetricSpec> dflt = multipleChoice
                ? List.of(TaskFile.MetricSpec.of("acc"), TaskFile.MetricSpec.of("acc_norm"))
                : List.of(TaskFile.MetricSpec.of("exact_match"));
        Node node = s.value("metric_list");
        if (node == null) {
            return dflt;
        }
        if (!(node instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            read.problem(node, "metric_list", "must be a non-empty list of metrics",
                    Optional.of("allowed: " + String.join(", ", allowed)));
            return dflt;
        }
        List<TaskFile.MetricSpec> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            TaskFile.MetricSpec spec;
            Node at = item;
            if (item instanceof ScalarNode scalar) {
                spec = TaskFile.MetricSpec.of(scalar.getValue());
            } else if (item instanceof MappingNode map) {
                Section m = read.itemSection("metric_list", map);
                at = m.has("metric") ? m.value("metric") : item;
                List<String> regexes = read.stringList(m, "regexes_to_ignore", List.of(), null, false);
                for (String regex : regexes) {
                    try {
                        Pattern.compile(regex);
                    } catch (PatternSyntaxException e) {
                        read.problem(m.item("regexes_to_ignore", regex), "metric_list.regexes_to_ignore",
                                "invalid regular expression: " + e.getDescription(), Optional.empty());
                    }
                }
                read.string(m, "aggregation", "mean");
                read.bool(m, "higher_is_better", true);
                spec = new TaskFile.MetricSpec(read.requiredString(m, "metric", ""),
                        read.bool(m, "ignore_case", false), read.bool(m, "ignore_punctuation", false), regexes);
            } else {
                read.problem(item, "metric_list", "items must be a metric name or a mapping with 'metric'",
                        Optional.empty());
                continue;
            }
            if (!spec.name().isEmpty() && !allowed.contains(spec.name())) {
                read.problem(at, "metric_list", "unknown metric " + Problem.quote(spec.name())
                                + (typeKnown ? " for " + (multipleChoice ? "multiple_choice" : "generate_until") : ""),
                        Optional.of("allowed: " + String.join(", ", allowed)));
            } else if (out.stream().anyMatch(o -> o.name().equals(spec.name()))) {
                read.problem(at, "metric_list", "lists " + Problem.quote(spec.name()) + " twice", Optional.empty());
            } else if (!spec.name().isEmpty()) {
                out.add(spec);
            }
        }
        return out.isEmpty() ? dflt : out;
    }
}
