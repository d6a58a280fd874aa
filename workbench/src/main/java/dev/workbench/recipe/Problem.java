package dev.workbench.recipe;

import java.util.Optional;

/**
 * One thing wrong with a recipe.
 *
 * @param source the recipe file as the user named it, or {@code --set KEY=VALUE} for an override
 * @param line 1-based line, 0 when the problem has no position (overrides, unreadable files)
 * @param column 1-based column, 0 when {@code line} is 0
 * @param key the dotted key concerned, empty when the problem is about the whole file
 * @param hint what to do about it, e.g. {@code did you mean 'learning_rate'?}
 */
public record Problem(String source, int line, int column, String key, String message, Optional<String> hint) {

    /** {@code FILE:LINE:COL: error: dotted.key: message}, then {@code   hint: ...} on its own line when there is one. */
    public String render() {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line).append(':').append(column);
        }
        text.append(": error: ");
        if (!key.isEmpty()) {
            text.append(key).append(": ");
        }
        text.append(message);
        hint.ifPresent(h -> text.append("\n  hint: ").append(h));
        return text.toString();
    }

    /** What the user wrote, as a message quotes it: {@code 'value'}. */
    static String quote(String text) {
        return "'" + text + "'";
    }
}
