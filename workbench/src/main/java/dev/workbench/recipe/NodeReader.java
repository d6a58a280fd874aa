package dev.workbench.recipe;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static dev.workbench.recipe.Problem.quote;

/**
 * Typed reads of the YAML node tree, for the section binders. A bad value becomes a {@link Problem} at its
 * file:line:col (or at the {@code --set} that gave it) and the read returns the default, so that binding goes on and
 * one pass reports everything. Each read also records where its value came from ({@link ResolvedRecipe#sources()})
 * and where its key was written ({@link RecipeLocations}).
 */
final class NodeReader {
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final String STANDARD_TAG = Tag.PREFIX;

    private final String file;
    private final Path recipeFolder;
    private final Overrides overrides;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, String> sources = new TreeMap<>();
    private final RecipeLocations.Builder locations;
    /** The keys allowed below a dotted section: the recipe's ({@link RecipeFields}) or a task file's. */
    private final Function<String, List<String>> fields;
    /** Every dotted key of the language, for "belongs under" suggestions. */
    private final List<String> everyKey;

    /**
     * @param file the recipe file as the user named it
     * @param recipeFolder where relative paths in the file start
     * @param overrides the applied overrides: their own problems come first, and their nodes are reported at them
     */
    NodeReader(String file, Path recipeFolder, Overrides overrides) {
        this(file, recipeFolder, overrides, RecipeFields::children, RecipeFields.ALL);
    }

    /** A reader of another YAML language ({@link TaskFileReader}): {@code fields} lists the keys of each section. */
    NodeReader(String file, Path recipeFolder, Overrides overrides, Function<String, List<String>> fields,
               List<String> everyKey) {
        this.fields = fields;
        this.everyKey = everyKey;
        this.file = file;
        this.recipeFolder = recipeFolder;
        this.overrides = overrides;
        this.locations = new RecipeLocations.Builder(file);
        problems.addAll(overrides.problems());
    }

    /** Records where a value the recipe did not write came from: {@code default} or {@code preset NAME}. */
    void noteSource(String dotted, String source) {
        sources.put(dotted, source);
    }

    /** Drops the sources recorded under {@code prefix}: the keys inside list items, which are no recipe keys. */
    void forgetSources(String prefix) {
        sources.keySet().removeIf(key -> key.startsWith(prefix));
    }

    /** Where each value came from, by dotted key. */
    Map<String, String> sources() {
        return sources;
    }

    RecipeLocations locations() {
        return locations.build();
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** Problems so far: lets a binder tell whether a read reported one. */
    int problemCount() {
        return problems.size();
    }

    /** Every problem: those in the file in reading order, then the overrides' in the order given. */
    RecipeException failure() {
        // Identical problems (from a shared alias) once.
        List<Problem> sorted = new ArrayList<>(new LinkedHashSet<>(problems));
        sorted.sort(Comparator.comparingInt((Problem p) -> p.source().equals(file) ? -1 : overrides.order(p.source()))
                .thenComparingInt(Problem::line).thenComparingInt(Problem::column));
        return new RecipeException(file, sorted);
    }

    // ------------------------------------------------------------------------------------------------ sections

    /** A mapping of the recipe at a dotted path; {@code node} is null when absent or not a mapping. */
    final class Section {
        private final String path;
        private final Node keyNode;
        private final MappingNode node;
        /** Whether the recipe names this section at all (with a mapping or with something else). */
        final boolean present;
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

        private Section(String path, Node keyNode, MappingNode node, boolean present) {
            this(path, keyNode, node, present, fields.apply(path));
        }

        private Section(String path, Node keyNode, MappingNode node, boolean present, List<String> allowed) {
            this.path = path;
            this.keyNode = keyNode;
            this.node = node;
            this.present = present;
            if (node == null) {
                return;
            }
            for (NodeTuple tuple : node.getValue()) {
                Node key = tuple.getKeyNode();
                if (!(key instanceof ScalarNode scalar) || !isStandard(key) || key.getTag().equals(Tag.NULL)) {
                    problem(key, path, key.getTag().equals(Tag.MERGE) ? "merge keys (<<) are not supported"
                            : "keys must be plain names, got " + describe(key), Optional.empty());
                    continue;
                }
                String name = scalar.getValue();
                String dotted = dotted(name);
                NodeTuple first = entries.get(name);
                if (first != null) {
                    problem(key, dotted, "duplicate key (first at line " + line(first.getKeyNode()) + ")",
                            Optional.empty());
                } else if (!allowed.contains(name)) {
                    problem(key, dotted, "unknown key", Suggestions.forKey(name, path, allowed, everyKey));
                } else {
                    entries.put(name, tuple);
                    located(dotted, tuple.getValueNode());
                }
            }
        }

        boolean valid() {
            return node != null;
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        Node value(String key) {
            NodeTuple tuple = entries.get(key);
            return tuple == null ? null : tuple.getValueNode();
        }

        Node keyNode(String key) {
            NodeTuple tuple = entries.get(key);
            return tuple == null ? null : tuple.getKeyNode();
        }

        /** Item {@code index} of a list value that has {@code size} items, or the value itself. */
        Node item(String key, int index, int size) {
            Node value = value(key);
            if (value instanceof SequenceNode seq && seq.getValue().size() == size) {
                return seq.getValue().get(index);
            }
            return value;
        }

        /** The first item of a list value that reads {@code text}, or the value itself. */
        Node item(String key, String text) {
            Node value = value(key);
            if (value instanceof SequenceNode seq) {
                for (Node item : seq.getValue()) {
                    if (item instanceof ScalarNode scalar && scalar.getValue().equals(text)) {
                        return item;
                    }
                }
            }
            return value;
        }

        /** Where to point for a problem about the section as a whole (e.g. a missing key). */
        Node anchor() {
            return keyNode != null ? keyNode : node;
        }

        String dotted(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }
    }

    /** The top-level mapping of the recipe. */
    Section root(MappingNode node) {
        return new Section("", null, node, true);
    }

    /** A mapping that is an item of a list (e.g. {@code evaluate.tasks}), read as a section named {@code path}. */
    Section itemSection(String path, MappingNode node) {
        return new Section(path, null, node, true);
    }

    /** As {@link #itemSection(String, MappingNode)}, with the item's own keys. */
    Section itemSection(String path, MappingNode node, List<String> allowed) {
        return new Section(path, null, node, true, allowed);
    }

    /** The section at {@code key} of {@code parent}; when not a mapping, reported, and present but not valid. */
    Section section(Section parent, String key) {
        String path = parent.dotted(key);
        if (!parent.has(key)) {
            return new Section(path, null, null, false);
        }
        Node value = parent.value(key);
        if (value instanceof MappingNode map && isStandard(value)) {
            return new Section(path, parent.keyNode(key), map, true);
        }
        typeProblem(value, path, "a mapping");
        return new Section(path, parent.keyNode(key), null, true);
    }

    void missing(Section s, String key) {
        problem(s.anchor(), s.dotted(key), "required field is missing", Optional.empty());
    }

    /** Records where {@code dotted} was written, for problems found after binding ({@link RecipeLocations}). */
    void located(String dotted, Node node) {
        if (node != null && (overrides.gave(node) || node.getStartMark() != null)) {
            locations.put(dotted, overrides.origin(node), line(node),
                    node.getStartMark() == null ? 0 : node.getStartMark().getColumn() + 1);
        }
    }

    void source(String dotted, Node node) {
        sources.put(dotted, overrides.gave(node) ? "--set" : file + ":" + line(node));
    }

    /** The value at {@code key} after recording its source; null, recorded as {@code default}, when not written. */
    private Node sourcedValue(Section s, String key) {
        Node node = s.value(key);
        if (node == null) {
            sources.put(s.dotted(key), "default");
        } else {
            source(s.dotted(key), node);
        }
        return node;
    }

    /** A scalar value, or empty after reporting what else was there. */
    private Optional<ScalarNode> scalar(Node node, String dotted, String expected) {
        if (node instanceof ScalarNode scalar && isStandard(node) && !node.getTag().equals(Tag.NULL)) {
            return Optional.of(scalar);
        }
        typeProblem(node, dotted, expected);
        return Optional.empty();
    }

    private void typeProblem(Node node, String dotted, String expected) {
        if (!isStandard(node)) {
            problem(node, dotted, "custom YAML tags are not allowed, got " + node.getTag().getValue(),
                    Optional.empty());
        } else {
            problem(node, dotted, "must be " + expected + ", got " + describe(node), Optional.empty());
        }
    }

    // ----------------------------------------------------------------------------------------------------- values

    String requiredString(Section s, String key, String fallback) {
        if (!s.has(key)) {
            missing(s, key);
            return fallback;
        }
        return string(s, key, fallback);
    }

    String string(Section s, String key, String dflt) {
        return optionalString(s, key).orElseGet(() -> {
            if (!s.has(key)) {
                sources.put(s.dotted(key), "default");
            }
            return dflt;
        });
    }

    Optional<String> optionalString(Section s, String key) {
        Node node = s.value(key);
        if (node == null) {
            return Optional.empty();
        }
        source(s.dotted(key), node);
        return scalar(node, s.dotted(key), "a string").map(ScalarNode::getValue);
    }

    Optional<String> optionalEnumString(Section s, String key, List<String> allowed) {
        Optional<String> value = optionalString(s, key);
        if (value.isPresent() && !allowed.contains(value.get())) {
            problem(s.value(key), s.dotted(key), "unknown value " + quote(value.get()),
                    Optional.of("allowed values: " + String.join(", ", allowed)));
            return Optional.empty();
        }
        return value;
    }

    <E extends Enum<E>> E enumValue(Section s, String key, Class<E> type, E dflt) {
        Node node = sourcedValue(s, key);
        if (node == null) {
            return dflt;
        }
        List<String> allowed = RecipeFields.valueNames(type.getEnumConstants());
        Optional<ScalarNode> scalar = scalar(node, s.dotted(key), "one of " + String.join(", ", allowed));
        if (scalar.isEmpty()) {
            return dflt;
        }
        String text = scalar.get().getValue();
        int index = allowed.indexOf(text);
        if (index < 0) {
            problem(node, s.dotted(key), "unknown value " + quote(text),
                    Optional.of("allowed values: " + String.join(", ", allowed)));
            return dflt;
        }
        return type.getEnumConstants()[index];
    }

    boolean bool(Section s, String key, boolean dflt) {
        Node node = sourcedValue(s, key);
        if (node == null) {
            return dflt;
        }
        Optional<ScalarNode> scalar = scalar(node, s.dotted(key), "true or false");
        if (scalar.isPresent()) {
            String text = scalar.get().getValue();
            if (scalar.get().isPlain() && text.equals("true")) {
                return true;
            }
            if (scalar.get().isPlain() && text.equals("false")) {
                return false;
            }
            problem(node, s.dotted(key), "must be true or false, got " + describe(node),
                    Optional.of("write true or false (yes/no/on/off are not booleans here)"));
        }
        return dflt;
    }

    private Optional<Long> parseInteger(Node node, String dotted) {
        Optional<ScalarNode> scalar = scalar(node, dotted, "an integer");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        String text = scalar.get().getValue();
        if (!scalar.get().isPlain() || !INTEGER.matcher(text).matches()) {
            problem(node, dotted, "must be an integer, got " + describe(node), Optional.empty());
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text.startsWith("+") ? text.substring(1) : text));
        } catch (NumberFormatException e) {
            problem(node, dotted, "must be an integer that fits in 64 bits, got " + text, Optional.empty());
            return Optional.empty();
        }
    }

    long longValue(Section s, String key, long dflt, long min, long max) {
        Node node = sourcedValue(s, key);
        if (node == null) {
            return dflt;
        }
        Optional<Long> value = parseInteger(node, s.dotted(key));
        if (value.isEmpty()) {
            return dflt;
        }
        if (value.get() < min) {
            problem(node, s.dotted(key), "must be at least " + min + ", got " + value.get(), Optional.empty());
            return dflt;
        }
        if (value.get() > max) {
            problem(node, s.dotted(key), "must be at most " + max + ", got " + value.get(), Optional.empty());
            return dflt;
        }
        return value.get();
    }

    int integer(Section s, String key, int dflt, int min, int max) {
        return (int) longValue(s, key, dflt, min, max);
    }

    Optional<Integer> optionalInteger(Section s, String key, int min, int max) {
        if (!s.has(key)) {
            return Optional.empty();
        }
        return Optional.of(integer(s, key, min, min, max));
    }

    double number(Section s, String key, double dflt, double min, boolean minInclusive, double max,
                  boolean maxInclusive) {
        Node node = sourcedValue(s, key);
        String dotted = s.dotted(key);
        if (node == null) {
            return dflt;
        }
        Optional<ScalarNode> scalar = scalar(node, dotted, "a number");
        if (scalar.isEmpty()) {
            return dflt;
        }
        String text = scalar.get().getValue();
        if (!scalar.get().isPlain() || !NUMBER.matcher(text).matches()) {
            problem(node, dotted, "must be a number, got " + describe(node), Optional.empty());
            return dflt;
        }
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value)) {
            problem(node, dotted, "must be a finite number, got " + text, Optional.empty());
            return dflt;
        }
        if (value < min || (!minInclusive && value == min)) {
            problem(node, dotted, (minInclusive ? "must be at least " : "must be greater than ") + plain(min)
                    + ", got " + text, Optional.empty());
            return dflt;
        }
        if (value > max || (!maxInclusive && value == max)) {
            problem(node, dotted, (maxInclusive ? "must be at most " : "must be less than ") + plain(max)
                    + ", got " + text, Optional.empty());
            return dflt;
        }
        return value;
    }

    /** List keys that also take one value written without brackets, read as a one-item list. */
    private static final Set<String> ONE_OR_A_LIST = Set.of("training.devices", "evaluate.out_of_scope_label");

    /** Scalar items of a list (a single scalar is accepted as a one-item list for {@link #ONE_OR_A_LIST}). */
    List<String> stringList(Section s, String key, List<String> dflt, List<String> allowed, boolean nonEmpty) {
        Node node = sourcedValue(s, key);
        String dotted = s.dotted(key);
        if (node == null) {
            return dflt;
        }
        List<Node> items;
        if (node instanceof SequenceNode seq && isStandard(node)) {
            items = seq.getValue();
        } else if (ONE_OR_A_LIST.contains(dotted) && node instanceof ScalarNode && isStandard(node)
                && !node.getTag().equals(Tag.NULL)) {
            items = List.of(node);
        } else {
            if (node instanceof ScalarNode scalar && isStandard(node) && !node.getTag().equals(Tag.NULL)) {
                problem(node, dotted, "must be a list, got " + describe(node),
                        Optional.of("write a list: [" + scalar.getValue() + "]"));
            } else {
                typeProblem(node, dotted, "a list");
            }
            return dflt;
        }
        if (nonEmpty && items.isEmpty()) {
            problem(node, dotted, "must not be empty", allowed == null ? Optional.empty()
                    : Optional.of("allowed values: " + String.join(", ", allowed)));
            return dflt;
        }
        // Bad items are reported and left out, so that later checks still see the good ones.
        List<String> values = new ArrayList<>();
        for (Node item : items) {
            Optional<ScalarNode> scalar = scalar(item, dotted, "a string");
            if (scalar.isEmpty()) {
                continue;
            }
            String text = scalar.get().getValue();
            if (allowed != null && !allowed.contains(text)) {
                problem(item, dotted, "unknown value " + quote(text),
                        Optional.of("allowed values: " + String.join(", ", allowed)));
            } else if (allowed != null && values.contains(text)) {
                problem(item, dotted, "lists " + quote(text) + " twice", Optional.empty());
            } else {
                values.add(text);
            }
        }
        return values.isEmpty() && nonEmpty ? dflt : List.copyOf(values);
    }

    List<Integer> intList(Section s, String key, List<Integer> dflt, int min, int max) {
        Node node = sourcedValue(s, key);
        String dotted = s.dotted(key);
        if (node == null) {
            return dflt;
        }
        if (!(node instanceof SequenceNode seq) || !isStandard(node)) {
            typeProblem(node, dotted, "a list of integers");
            return dflt;
        }
        if (seq.getValue().isEmpty()) {
            problem(node, dotted, "must not be empty", Optional.empty());
            return dflt;
        }
        List<Integer> values = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Optional<Long> value = parseInteger(item, dotted);
            if (value.isEmpty()) {
                return dflt;
            }
            if (value.get() < min || value.get() > max) {
                problem(item, dotted, "items must be between " + min + " and " + max + ", got " + value.get(),
                        Optional.empty());
                return dflt;
            }
            values.add(value.get().intValue());
        }
        return List.copyOf(values);
    }

    /**
     * A mapping of free keys to one of {@code allowed} values (corpus.table.column_types), or to any string when
     * {@code allowed} is null (corpus.instructions.columns).
     */
    Map<String, String> stringMap(Section s, String key, List<String> allowed) {
        Node node = sourcedValue(s, key);
        String dotted = s.dotted(key);
        if (node == null) {
            return Map.of();
        }
        if (!(node instanceof MappingNode map) || !isStandard(node)) {
            typeProblem(node, dotted, "a mapping of column name to type");
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Node> firstKeys = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Optional<ScalarNode> name = scalar(tuple.getKeyNode(), dotted, "a column name");
            Optional<ScalarNode> type = scalar(tuple.getValueNode(), dotted, "a column type");
            if (name.isEmpty() || type.isEmpty()) {
                continue;
            }
            String column = name.get().getValue();
            if (firstKeys.containsKey(column)) {
                problem(tuple.getKeyNode(), dotted + "." + column, "duplicate key (first at line "
                        + line(firstKeys.get(column)) + ")", Optional.empty());
                continue;
            }
            firstKeys.put(column, tuple.getKeyNode());
            if (allowed != null && !allowed.contains(type.get().getValue())) {
                problem(tuple.getValueNode(), dotted + "." + column, "unknown value " + quote(type.get().getValue()),
                        Optional.of("allowed values: " + String.join(", ", allowed)));
                continue;
            }
            values.put(column, type.get().getValue());
        }
        return Collections.unmodifiableMap(values);
    }

    Path requiredPath(Section s, String key) {
        if (!s.has(key)) {
            missing(s, key);
            return null;
        }
        return optionalString(s, key).map(text -> resolvePath(s.value(key), s.dotted(key), text)).orElse(null);
    }

    /**
     * A path written where a key takes one path or a list of them ({@code corpus.text.path}).
     *
     * @param node the string that gave it, for problems about this one path
     * @param dotted its key: {@code KEY} for a single path, {@code KEY[i]} for item i of a list
     */
    record PathItem(Path path, Node node, String dotted) {
    }

    /**
     * One path or a non-empty list of them, in the order written. Each list item's position is recorded under
     * {@code KEY[i]}, so that checks after binding can point at the item. Bad items (not a string, empty, a repeat)
     * are reported at the item and left out; a missing key, an empty list or a value of another kind is reported and
     * gives an empty list.
     */
    List<PathItem> requiredPaths(Section s, String key) {
        String dotted = s.dotted(key);
        if (!s.has(key)) {
            missing(s, key);
            return List.of();
        }
        Node node = s.value(key);
        source(dotted, node);
        if (!(node instanceof SequenceNode seq) || !isStandard(node)) {
            return scalar(node, dotted, "a path or a list of paths")
                    .map(text -> List.of(new PathItem(resolvePath(node, dotted, text.getValue()), node, dotted)))
                    .orElse(List.of());
        }
        if (seq.getValue().isEmpty()) {
            problem(node, dotted, "must not be empty", Optional.of("give one path, or a list of at least one"));
            return List.of();
        }
        List<PathItem> items = new ArrayList<>();
        List<Node> nodes = seq.getValue();
        for (int i = 0; i < nodes.size(); i++) {
            Node item = nodes.get(i);
            String itemKey = dotted + "[" + i + "]";
            located(itemKey, item);
            Optional<ScalarNode> scalar = scalar(item, itemKey, "a path");
            if (scalar.isEmpty()) {
                continue;
            }
            int before = problems.size();
            Path path = resolvePath(item, itemKey, scalar.get().getValue());
            if (problems.size() > before) {
                continue; // an empty or invalid path, reported
            }
            Optional<PathItem> first = items.stream().filter(p -> p.path().equals(path)).findFirst();
            if (first.isPresent()) {
                problem(item, itemKey, "lists " + quote(scalar.get().getValue()) + " twice (first as "
                        + first.get().dotted() + ")", Optional.of("each file is read once; remove the repeat"));
                continue;
            }
            items.add(new PathItem(path, item, itemKey));
        }
        return List.copyOf(items);
    }

    /** Relative paths are relative to the recipe file, or to the working directory when given by --set. */
    Path resolvePath(Node node, String dotted, String text) {
        if (text.isBlank()) {
            problem(node, dotted, "must not be empty", Optional.empty());
            return recipeFolder;
        }
        try {
            Path path = Path.of(text);
            Path base = overrides.gave(node) ? Path.of("").toAbsolutePath() : recipeFolder;
            return path.isAbsolute() ? path.normalize() : base.resolve(path).normalize();
        } catch (InvalidPathException e) {
            problem(node, dotted, "is not a valid path: " + e.getReason(), Optional.empty());
            return recipeFolder;
        }
    }

    // ------------------------------------------------------------------------------------------------- problems

    /** A problem with the value at {@code at}: reported at its file position, or at the --set that gave it. */
    void problem(Node at, String key, String message, Optional<String> hint) {
        if (at != null && overrides.gave(at)) {
            problems.add(new Problem(Overrides.source(overrides.origin(at)), 0, 0, key, message, hint));
        } else if (at == null || at.getStartMark() == null) {
            problems.add(new Problem(file, 0, 0, key, message, hint));
        } else {
            problems.add(new Problem(file, at.getStartMark().getLine() + 1, at.getStartMark().getColumn() + 1, key,
                    message, hint));
        }
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static boolean isStandard(Node node) {
        return node.getTag().getValue().startsWith(STANDARD_TAG);
    }

    /** What the user wrote, for "got ..." in messages. */
    static String describe(Node node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.isPlain() && scalar.getTag().equals(Tag.NULL)) {
            return "nothing (null)";
        }
        String text = scalar.getValue();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return scalar.isPlain() ? quote(text) : "the quoted string " + quote(text);
    }

    /** A bound in a message: {@code 0.5}, {@code 1000000}, never {@code 1.0E6}. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
