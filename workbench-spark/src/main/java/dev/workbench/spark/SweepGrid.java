package dev.workbench.spark;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The trials of a sweep: {@code --grid key=[a,b,...]} options, each value a YAML value as {@code --set} takes it,
 * crossed in the order given (the last key varies fastest); {@code random} search draws {@code trials} distinct
 * points of that grid with the sweep's seed.
 */
public final class SweepGrid {

    /** The order trials are drawn in. */
    public enum Search { GRID, RANDOM }

    /** One trial: its number in the sweep and the {@code --set} overrides it adds to the sweep's own. */
    public record Trial(int index, List<String> overrides) implements java.io.Serializable {
    }

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepGrid() {
    }

    /** key → its values as {@code --set} text, in the order of the options; every malformed option reported at once. */
    public static LinkedHashMap<String, List<String>> parse(List<String> grid) {
        LinkedHashMap<String, List<String>> axes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String option : grid) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                problems.add("--grid " + option + ": expected KEY=[VALUE,...], e.g. training.learning_rate=[1e-3,3e-3]");
                continue;
            }
            String key = option.substring(0, eq);
            List<String> texts;
            try {
                texts = values(option.substring(eq + 1));
            } catch (IOException e) {
                problems.add("--grid " + key + ": not a YAML list: " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            if (texts.isEmpty()) {
                problems.add("--grid " + key + ": expected a non-empty list in brackets, got '"
                        + option.substring(eq + 1) + "'");
                continue;
            }
            if (axes.put(key, texts) != null) {
                problems.add("--grid names " + key + " twice");
            }
        }
        if (axes.isEmpty() && problems.isEmpty()) {
            problems.add("sweep needs at least one --grid KEY=[VALUE,...]");
        }
        if (!problems.isEmpty()) {
            throw WorkbenchException.invalid(String.join("\n", problems));
        }
        return axes;
    }

    /**
     * The trials: the whole grid, or {@code trials} distinct points of it drawn with {@code seed} (random search).
     */
    public static List<Trial> trials(Map<String, List<String>> axes, Search search, Integer trials, long seed) {
        List<List<String>> points = new ArrayList<>();
        points.add(List.of());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> point : points) {
                for (String value : axis.getValue()) {
                    List<String> extended = new ArrayList<>(point);
                    extended.add(axis.getKey() + "=" + value);
                    next.add(extended);
                }
            }
            points = next;
        }
        if (search == Search.RANDOM) {
            if (trials == null) {
                throw WorkbenchException.invalid("--search random needs --trials N");
            }
            if (trials < 1 || trials > points.size()) {
                throw WorkbenchException.invalid("--trials " + trials + ": the grid has " + points.size()
                        + " points; draw between 1 and " + points.size());
            }
            Collections.shuffle(points, new Random(seed));
            points = points.subList(0, trials);
        } else if (trials != null && trials != points.size()) {
            throw WorkbenchException.invalid("--trials " + trials + " with --search grid: the grid has "
                    + points.size() + " points and grid search runs them all (use --search random to draw fewer)");
        }
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            out.add(new Trial(i, List.copyOf(points.get(i))));
        }
        return out;
    }

    /**
     * The list's items as --set text: a scalar exactly as written ({@code 1.0e-3} stays {@code 1.0e-3}, so the
     * manifest records what the user typed), a map or list as JSON (YAML's flow style). Empty when not a list.
     */
    private static List<String> values(String yaml) throws IOException {
        List<String> texts = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return texts;
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw new IOException("unclosed list");
                }
                texts.add(token.isScalarValue() ? parser.getText() : json(parser.readValueAsTree()));
            }
            if (parser.nextToken() != null) {
                throw new IOException("text after the list");
            }
        }
        return texts;
    }

    private static String json(JsonNode value) {
        try {
            return JSON.writeValueAsString(value); // JSON is YAML flow style: what --set reads
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
