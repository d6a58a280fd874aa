package dev.workbench.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.workbench.recipe.Problem.quote;

/** The "did you mean" hints for an unknown key, drawn from {@link RecipeFields#ALL}. */
final class Suggestions {
    private Suggestions() {
    }

    /** A close key at the same level, else the same key elsewhere in the recipe, else the keys allowed here. */
    static Optional<String> forKey(String name, String section, List<String> allowed) {
        return forKey(name, section, allowed, RecipeFields.ALL);
    }

    /** As {@link #forKey(String, String, List)} in a YAML language whose dotted keys are {@code everyKey}. */
    static Optional<String> forKey(String name, String section, List<String> allowed, List<String> everyKey) {
        List<String> close = similar(name, allowed);
        if (!close.isEmpty()) {
            return Optional.of(didYouMean(close));
        }
        for (String key : everyKey) {
            if (key.equals(name) || key.endsWith("." + name)) {
                return Optional.of("did you mean " + quote(key) + "? (" + quote(name) + " belongs "
                        + (key.equals(name) ? "at the top level"
                        : "under " + key.substring(0, key.length() - name.length() - 1)) + ")");
            }
        }
        return allowed.isEmpty() ? Optional.empty()
                : Optional.of("allowed keys " + (section.isEmpty() ? "at the top level" : "in " + section) + ": "
                + String.join(", ", allowed));
    }

    /** For a --set key: a similar key in the same section, else a key with the same or a similar last part. */
    static Optional<String> forOverrideKey(String key) {
        int dot = key.lastIndexOf('.');
        String section = dot < 0 ? "" : key.substring(0, dot);
        String last = key.substring(dot + 1);
        if (section.isEmpty() || (RecipeFields.contains(section)
                && RecipeFields.kind(section) == RecipeFields.Kind.SECTION)) {
            List<String> close = similar(last, RecipeFields.children(section));
            if (!close.isEmpty()) {
                return Optional.of(didYouMean(close.stream()
                        .map(c -> section.isEmpty() ? c : section + "." + c).toList()));
            }
        }
        List<String> sameLast = new ArrayList<>();
        for (String candidate : RecipeFields.ALL) {
            if (candidate.substring(candidate.lastIndexOf('.') + 1).equals(last)) {
                sameLast.add(candidate);
            }
        }
        List<String> close = sameLast.isEmpty() ? similar(key, RecipeFields.ALL) : sameLast;
        return Optional.of(close.isEmpty() || close.size() > 3
                ? "see `workbench schema` or docs/recipe-reference.md for every key" : didYouMean(close));
    }

    private static String didYouMean(List<String> candidates) {
        return "did you mean " + String.join(" or ", candidates.stream().map(Problem::quote).toList()) + "?";
    }

    /**
     * Candidates a typo most likely meant: the nearest by edit distance when near enough; otherwise those the name
     * abbreviates ({@code lr} -> {@code learning_rate}, {@code lr_schedule}) or starts
     * ({@code gradient_accumulation} -> {@code gradient_accumulation_steps}). At most three.
     */
    private static List<String> similar(String name, List<String> candidates) {
        int limit = name.length() <= 4 ? 1 : name.length() <= 8 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        if (best != null && bestDistance <= limit) {
            return List.of(best);
        }
        List<String> found = new ArrayList<>();
        for (String candidate : candidates) {
            boolean prefix = name.length() >= 2 && candidate.startsWith(name);
            if (prefix || initials(candidate).equals(name)) {
                found.add(candidate);
            }
        }
        return found.size() <= 3 ? found : List.of();
    }

    private static String initials(String key) {
        StringBuilder initials = new StringBuilder();
        for (String part : key.split("_")) {
            if (!part.isEmpty()) {
                initials.append(part.charAt(0));
            }
        }
        return initials.toString();
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
