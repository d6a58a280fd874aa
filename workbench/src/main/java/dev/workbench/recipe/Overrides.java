package dev.workbench.recipe;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code --set dotted.key=value} overrides of one read. Each value is parsed as YAML and written into the node
 * tree before binding, so that it is checked exactly like a value in the file. The nodes an override added are
 * remembered, so that a problem with one is reported at its {@code --set}, and a relative path in one is read from the
 * working directory.
 */
final class Overrides {
    private static final String SOURCE_PREFIX = "--set ";
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[A-Za-z0-9_-]+)*");

    private final String file;
    private final List<String> given;
    private final List<Problem> problems = new ArrayList<>();
    /** Nodes that came from a {@code --set}: node -> the override as given. */
    private final Map<Node, String> origin = new IdentityHashMap<>();

    /**
     * @param file the recipe file as the user named it (a bad override counts against it)
     * @param given the overrides as {@code KEY=VALUE}, in the order given
     */
    Overrides(String file, List<String> given) {
        this.file = file;
        this.given = List.copyOf(given);
    }

    /** Where a problem with an override is reported: {@code --set KEY=VALUE}. */
    static String source(String override) {
        return SOURCE_PREFIX + override;
    }

    /** Applies the overrides onto the tree; bad ones become {@link #problems()} (reported with the rest). */
    Node applyTo(Node root) {
        if (given.isEmpty()) {
            return root;
        }
        if (root == null) {
            root = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
        }
        if (!(root instanceof MappingNode rootMap)) {
            return root; // the binder reports that the document is not a mapping
        }
        for (String override : given) {
            int eq = override.indexOf('=');
            String key = eq < 0 ? override : override.substring(0, eq).trim();
            if (eq < 0) {
                problem(override, key, "expected KEY=VALUE", Optional.of("e.g. --set training.max_steps=100"));
                continue;
            }
            Optional<String> mapLeaf = mapLeafOf(key);
            if (!KEY.matcher(key).matches() || (!RecipeFields.contains(key) && mapLeaf.isEmpty())) {
                problem(override, key, "unknown key", Suggestions.forOverrideKey(key));
                continue;
            }
            Node value;
            try {
                value = RecipeReader.compose(override.substring(eq + 1), source(override), file);
            } catch (RecipeException e) {
                Problem p = e.problems().get(0);
                problem(override, key, p.message(), Optional.empty());
                continue;
            }
            if (value == null) {
                value = new ScalarNode(Tag.NULL, "", null, null, DumperOptions.ScalarStyle.PLAIN);
            }
            mark(value, override);
            List<String> path = new ArrayList<>();
            if (mapLeaf.isPresent()) {
                path.addAll(Arrays.asList(mapLeaf.get().split("\\.")));
                path.add(key.substring(mapLeaf.get().length() + 1));
            } else {
                path.addAll(Arrays.asList(key.split("\\.")));
            }
            put(rootMap, path, value, override);
        }
        return root;
    }

    /** The overrides that could not be applied. */
    List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** Whether {@code node} came from an override. */
    boolean gave(Node node) {
        return origin.containsKey(node);
    }

    /** The override that gave {@code node}, as given; null when the node is the file's own. */
    String origin(Node node) {
        return origin.get(node);
    }

    /** The place of a problem's {@code --set KEY=VALUE} source among the overrides as given, for sorting. */
    int order(String problemSource) {
        return given.indexOf(problemSource.substring(SOURCE_PREFIX.length()));
    }

    private static Optional<String> mapLeafOf(String key) {
        for (String candidate : RecipeFields.ALL) {
            if (RecipeFields.kind(candidate) == RecipeFields.Kind.MAP && key.startsWith(candidate + ".")
                    && key.length() > candidate.length() + 1) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void put(MappingNode map, List<String> path, Node value, String override) {
        MappingNode current = map;
        for (int i = 0; i < path.size(); i++) {
            String segment = path.get(i);
            boolean last = i == path.size() - 1;
            List<NodeTuple> tuples = current.getValue();
            int index = -1;
            for (int t = 0; t < tuples.size(); t++) {
                if (tuples.get(t).getKeyNode() instanceof ScalarNode k && k.getValue().equals(segment)) {
                    index = t;
                    break;
                }
            }
            Node keyNode = index >= 0 ? tuples.get(index).getKeyNode() : scalar(segment, override);
            Node next;
            if (last) {
                next = value;
            } else if (index >= 0 && tuples.get(index).getValueNode() instanceof MappingNode existing) {
                current = existing;
                continue;
            } else {
                next = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
                origin.put(next, override);
            }
            if (index >= 0) {
                tuples.set(index, new NodeTuple(keyNode, next));
            } else {
                tuples.add(new NodeTuple(keyNode, next));
            }
            if (next instanceof MappingNode nextMap) {
                current = nextMap;
            }
        }
    }

    private ScalarNode scalar(String text, String override) {
        ScalarNode node = new ScalarNode(Tag.STR, text, null, null, DumperOptions.ScalarStyle.PLAIN);
        origin.put(node, override);
        return node;
    }

    private void mark(Node value, String override) {
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(value);
        while (!todo.isEmpty()) {
            Node node = todo.pop();
            if (origin.put(node, override) != null) {
                continue; // aliases share nodes; visit each once
            }
            if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    todo.push(t.getKeyNode());
                    todo.push(t.getValueNode());
                }
            } else if (node instanceof SequenceNode s) {
                s.getValue().forEach(todo::push);
            }
        }
    }

    private void problem(String override, String key, String message, Optional<String> hint) {
        problems.add(new Problem(source(override), 0, 0, key, message, hint));
    }
}
