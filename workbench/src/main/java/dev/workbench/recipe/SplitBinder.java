package dev.workbench.recipe;

import dev.workbench.recipe.NodeReader.Section;
import org.yaml.snakeyaml.nodes.Node;

import java.util.Optional;

import static dev.workbench.recipe.RecipeFields.valueName;

/** Binds {@code split}: how rows are divided into train, validation and test. */
final class SplitBinder {
    private SplitBinder() {
    }

    static Split bind(NodeReader read, Section s) {
        Split.Method method = read.enumValue(s, "method", Split.Method.class, Split.Method.STRATIFIED);
        double validation = read.number(s, "validation", 0.1, 0, true, 1, false);
        double test = read.number(s, "test", 0.1, 0, true, 1, false);
        if (validation + test >= 1) {
            Node at = s.has("test") ? s.value("test") : s.value("validation");
            read.problem(at, s.has("test") ? "split.test" : "split.validation", "validation + test must be less than"
                    + " 1 (some rows must be left to train on), got " + NodeReader.plain(validation + test),
                    Optional.empty());
        }
        Optional<String> column = read.optionalString(s, "column");
        if (method == Split.Method.COLUMN && !s.has("column")) {
            read.problem(s.value("method"), "split.method", "method column needs split.column (the column holding"
                    + " train/validation/test)", Optional.empty());
        }
        if (method != Split.Method.COLUMN && s.has("column")) {
            read.problem(s.keyNode("column"), "split.column", "is only used with split.method: column (method is "
                    + valueName(method) + ")", Optional.empty());
        }
        boolean dedupe = read.bool(s, "dedupe", true);
        return new Split(method, validation, test, column, dedupe);
    }
}
