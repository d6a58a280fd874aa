package dev.workbench.recipe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every recipe in recipes/ is part of the product: each must read without a problem. */
class ShippedRecipesTest {

    static Path repoRoot() {
        return Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
    }

    static List<Path> shippedRecipes() throws IOException {
        try (Stream<Path> files = Files.list(repoRoot().resolve("recipes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyShippedRecipeReads() throws IOException {
        List<Path> recipes = shippedRecipes();
        assertEquals(9, recipes.size(), "recipes/ should hold the nine shipped recipes (quickstart, base, intents, three "
                + "domains, three domain assistants): " + recipes);
        for (Path file : recipes) {
            Recipe recipe = RecipeReader.read(file, List.of());
            assertEquals(file.getFileName().toString().replace(".yaml", ""), recipe.name(), file.toString());
            assertTrue(recipe.finetune().isPresent() || recipe.synthesize().isPresent());
            assertTrue(recipe.source().isAbsolute());
        }
    }

    @Test
    void quickstartResolvesPathsAgainstTheRecipeFolder() {
        Path file = repoRoot().resolve("recipes/quickstart.yaml");
        Recipe recipe = RecipeReader.read(file, List.of());
        assertEquals(List.of(repoRoot().resolve("datasets/quickstart/text.txt")),
                recipe.corpus().text().orElseThrow().paths());
        assertEquals(Corpus.Format.TXT, recipe.corpus().text().orElseThrow().format());
        assertEquals(Corpus.Format.CSV, recipe.corpus().labelled().orElseThrow().format());
        assertEquals(repoRoot().resolve("models/general-micro").toString(),
                recipe.baseModel().checkpoint().orElseThrow());
        assertFalse(recipe.baseModel().preset().isPresent());
        assertEquals(0, recipe.baseModel().layers(), "architecture comes from the checkpoint");
        assertEquals(120, recipe.training().maxSteps().orElseThrow());
        assertTrue(recipe.training().epochs().isEmpty(), "max_steps set, so no default epochs");
    }
}
