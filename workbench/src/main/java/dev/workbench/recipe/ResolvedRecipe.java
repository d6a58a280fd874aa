package dev.workbench.recipe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A recipe together with where each of its values came from.
 *
 * @param sources dotted key -> {@code FILE:LINE} (the recipe file as named, 1-based line), {@code --set},
 *                {@code default}, or {@code preset NAME} (architecture filled in by {@code base_model.preset}).
 *                Holds every value key of the recipe that has a value; keys of absent optional sections are missing.
 * @param locations where each written key is, to report problems found after binding at the key
 */
public record ResolvedRecipe(Recipe recipe, Map<String, String> sources, RecipeLocations locations) {
    /** Keeps {@code sources} in {@link RecipeFields#ALL} order, so that printing it is stable. */
    public ResolvedRecipe {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String key : RecipeFields.ALL) {
            if (sources.containsKey(key)) {
                ordered.put(key, sources.get(key));
            }
        }
        sources.forEach(ordered::putIfAbsent);
        sources = Collections.unmodifiableMap(ordered);
    }
}
