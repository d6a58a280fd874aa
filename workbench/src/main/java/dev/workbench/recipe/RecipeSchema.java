package dev.workbench.recipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema of the recipe language, shipped in the jar for editors (completion, hover help) and printed by
 * {@code workbench schema}. It says every key, type, default, enum and range; rules that span keys are checked by
 * {@link RecipeReader} alone. Tests hold it to {@link RecipeFields#ALL} and to the reader's defaults.
 */
public final class RecipeSchema {
    /** Class-path location of the schema. */
    public static final String RESOURCE = "/dev/workbench/recipe/recipe.schema.json";

    private RecipeSchema() {
    }

    public static String json() {
        try (InputStream in = RecipeSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema missing from the class path: " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
