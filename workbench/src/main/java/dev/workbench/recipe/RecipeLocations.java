package dev.workbench.recipe;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where each key of a recipe was written: the file position of its value, or the {@code --set} that gave it. Checks
 * made after binding (files on disk, the base model, the devices) use it to report a problem at the key, as the binder
 * does for its own problems.
 */
public final class RecipeLocations {
    private record Location(String source, int line, int column) {
    }

    private final String file;
    private final Map<String, Location> byKey;

    RecipeLocations(String file, Map<String, Location> byKey) {
        this.file = file;
        this.byKey = Map.copyOf(byKey);
    }

    /** The recipe file as the user named it. */
    public String file() {
        return file;
    }

    /**
     * A problem at {@code key}: at its value when the recipe (or a {@code --set}) gave it, else at the nearest
     * enclosing key that was written ({@code corpus.labelled} for a defaulted {@code corpus.labelled.text_column}; the
     * list for an item {@code corpus.text.path[1]}), else at the file.
     */
    public Problem problem(String key, String message, Optional<String> hint) {
        return written(key).map(l -> new Problem(l.source(), l.line(), l.column(), key, message, hint))
                .orElseGet(() -> new Problem(file, 0, 0, key, message, hint));
    }

    /** Whether {@code key}'s value (or the list it is an item of) came from a {@code --set}, not the file. */
    public boolean fromOverride(String key) {
        return written(key).map(l -> !l.source().equals(file)).orElse(false);
    }

    /** Where {@code key}, or the nearest enclosing key, was written; empty when nothing on its path was. */
    private Optional<Location> written(String key) {
        for (String at = key; !at.isEmpty(); at = enclosing(at)) {
            Location location = byKey.get(at);
            if (location != null) {
                return Optional.of(location);
            }
        }
        return Optional.empty();
    }

    /** {@code corpus.text.path} for {@code corpus.text.path[1]} (a list item), else the enclosing section's key. */
    private static String enclosing(String key) {
        if (key.endsWith("]") && key.lastIndexOf('[') > 0) {
            return key.substring(0, key.lastIndexOf('['));
        }
        return key.lastIndexOf('.') < 0 ? "" : key.substring(0, key.lastIndexOf('.'));
    }

    /** Collects positions while the binder walks the tree. */
    static final class Builder {
        private final String file;
        private final Map<String, Location> byKey = new TreeMap<>();

        Builder(String file) {
            this.file = file;
        }

        /** @param override the {@code --set} text when the value came from one, else null */
        void put(String key, String override, int line, int column) {
            byKey.putIfAbsent(key, override != null ? new Location(Overrides.source(override), 0, 0)
                    : new Location(file, line, column));
        }

        RecipeLocations build() {
            return new RecipeLocations(file, byKey);
        }
    }
}
