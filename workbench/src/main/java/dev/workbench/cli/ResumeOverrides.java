package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.ResolvedRecipe;
import dev.workbench.recipe.ResolvedRecipeWriter;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code run --resume}: a resumed run continues with exactly the recipe it started with, so the {@code --set}
 * overrides recorded in its manifest are applied again. An explicit {@code --set} that would change any value is
 * refused, naming the value the run was trained with; one that changes nothing is accepted.
 */
final class ResumeOverrides {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ResumeOverrides() {
    }

    /** @return the overrides to resolve the resumed run's recipe with: the recorded ones */
    static List<String> merge(Path recipeFile, String runId, List<String> recorded, List<String> explicit) {
        if (explicit.isEmpty()) {
            return List.copyOf(recorded);
        }
        ResolvedRecipe original = RecipeReader.resolve(recipeFile, recorded);
        List<String> conflicts = new ArrayList<>();
        for (String override : explicit) {
            List<String> withIt = new ArrayList<>(recorded);
            withIt.add(override);
            Recipe changed = RecipeReader.read(recipeFile, withIt);
            if (!changed.equals(original.recipe())) {
                String key = key(override);
                conflicts.add("--set " + override + ": run " + runId + " was trained with " + key + "="
                        + recordedValue(original, key) + describe(recorded, key));
            }
        }
        if (!conflicts.isEmpty()) {
            throw new WorkbenchException(WorkbenchException.Kind.RESUME_CONFLICT, String.join("\n", conflicts)
                    + "\n  hint: a resumed run keeps the settings it started with (its recorded overrides "
                    + (recorded.isEmpty() ? "are none" : recorded) + " are applied again); drop the --set, or "
                    + "start a new run without --resume");
        }
        return List.copyOf(recorded);
    }

    private static String key(String override) {
        int eq = override.indexOf('=');
        return (eq < 0 ? override : override.substring(0, eq)).trim();
    }

    private static String describe(List<String> recorded, String key) {
        return recorded.stream().anyMatch(o -> key(o).equals(key)) ? " (recorded --set in its manifest)"
                : " (from the recipe)";
    }

    /** The value of dotted {@code key} in the run's resolved recipe, as YAML text; "not set" when absent. */
    private static String recordedValue(ResolvedRecipe original, String key) {
        try {
            JsonNode node = YAML.readTree(ResolvedRecipeWriter.toYaml(original));
            for (String part : key.split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            if (node == null || node.isMissingNode() || node.isNull()) {
                return "(not set)";
            }
            // containers as JSON, which is YAML flow style: what --set accepts back
            return node.isValueNode() ? node.asText() : node.toString();
        } catch (IOException e) {
            return "(see recipe.resolved.yaml in the run folder)";
        }
    }
}
