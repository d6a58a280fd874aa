package dev.workbench.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Exact duplicates after normalisation (lowercase, runs of whitespace collapsed to one space, ends trimmed): within
 * train, and between splits, where they leak test answers into training. Always measured; removed only on request.
 */
public final class Leakage {
    /** How many duplicated (normalised) texts are quoted in the report. */
    public static final int MAX_EXAMPLES = 5;
    private static final int EXAMPLE_CHARS = 80;

    private Leakage() {
    }

    /**
     * Counts of duplicated items. {@code withinTrain} counts train items equal to an earlier train item;
     * {@code validationInTrain} validation items equal to some train item; and so on.
     */
    public record Report(int withinTrain, int validationInTrain, int testInTrain, int testInValidation,
                         List<String> examples) {

        public Map<String, Object> asNotes() {
            Map<String, Object> notes = new LinkedHashMap<>();
            notes.put("within_train", withinTrain);
            notes.put("validation_in_train", validationInTrain);
            notes.put("test_in_train", testInTrain);
            notes.put("test_in_validation", testInValidation);
            notes.put("examples", examples);
            return notes;
        }
    }

    /** The splits with validation/test items that equal a train item removed, and how many went. */
    public record Deduplicated<T>(Splits<T> splits, int removedFromValidation, int removedFromTest) {
    }

    public static String normalise(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // Every whitespace or space character is in the BMP, so a char loop sees them all.
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = !out.isEmpty();
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** A table row's key: each cell normalised, joined by the unit separator (which no cell contains after reading). */
    public static String rowKey(List<String> row) {
        StringBuilder key = new StringBuilder();
        for (String cell : row) {
            key.append(normalise(cell)).append('\u001F');
        }
        return key.toString();
    }

    public static <T> Report find(Splits<T> splits, Function<? super T, String> text) {
        Set<String> train = new HashSet<>();
        List<String> examples = new ArrayList<>();
        int withinTrain = 0;
        for (T item : splits.train()) {
            String key = normalise(text.apply(item));
            if (!train.add(key)) {
                withinTrain++;
                example(examples, key);
            }
        }
        Set<String> validation = new HashSet<>();
        int validationInTrain = 0;
        for (T item : splits.validation()) {
            String key = normalise(text.apply(item));
            validation.add(key);
            if (train.contains(key)) {
                validationInTrain++;
                example(examples, key);
            }
        }
        int testInTrain = 0;
        int testInValidation = 0;
        for (T item : splits.test()) {
            String key = normalise(text.apply(item));
            if (train.contains(key)) {
                testInTrain++;
                example(examples, key);
            }
            if (validation.contains(key)) {
                testInValidation++;
                example(examples, key);
            }
        }
        return new Report(withinTrain, validationInTrain, testInTrain, testInValidation, List.copyOf(examples));
    }

    private static void example(List<String> examples, String key) {
        String shown = key.length() > EXAMPLE_CHARS ? key.substring(0, EXAMPLE_CHARS) + "..." : key;
        shown = shown.replace('\u001F', '|');
        if (examples.size() < MAX_EXAMPLES && !examples.contains(shown)) {
            examples.add(shown);
        }
    }

    /** Removes validation and test items whose normalised text equals a train item ({@code split.dedupe: true}). */
    public static <T> Deduplicated<T> removeTrainOverlap(Splits<T> splits, Function<? super T, String> text) {
        Set<String> train = new HashSet<>();
        for (T item : splits.train()) {
            train.add(normalise(text.apply(item)));
        }
        List<T> validation = keepUnseen(splits.validation(), train, text);
        List<T> test = keepUnseen(splits.test(), train, text);
        return new Deduplicated<>(new Splits<>(splits.train(), validation, test),
                splits.validation().size() - validation.size(), splits.test().size() - test.size());
    }

    private static <T> List<T> keepUnseen(List<T> items, Set<String> train, Function<? super T, String> text) {
        List<T> kept = new ArrayList<>(items.size());
        for (T item : items) {
            if (!train.contains(normalise(text.apply(item)))) {
                kept.add(item);
            }
        }
        return List.copyOf(kept);
    }

    /** Normalised texts that carry more than one label (contradictory examples), counted once each. */
    public static int conflictingLabels(List<LabelledExample> examples) {
        Map<String, String> firstLabel = new HashMap<>();
        Set<String> conflicting = new HashSet<>();
        for (LabelledExample example : examples) {
            String key = normalise(example.text());
            String previous = firstLabel.putIfAbsent(key, example.label());
            if (previous != null && !previous.equals(example.label())) {
                conflicting.add(key);
            }
        }
        return conflicting.size();
    }
}
