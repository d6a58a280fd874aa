package dev.workbench.plan;

import dev.workbench.recipe.RecipeException;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.ResolvedRecipe;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recipes that bind but cannot run: each fixture in src/test/resources/recipes/unusable/ has its exact expected
 * message in a .txt file beside it (same scheme as {@code recipe.InvalidRecipesTest}: {@code # set: KEY=VALUE} comment
 * lines are overrides; {@code -Dworkbench.updateGoldens=true} rewrites the goldens for review).
 */
class PreflightTest {
    static final Path FIXTURES = Path.of("src/test/resources/recipes/unusable");

    @TestFactory
    Stream<DynamicTest> everyUnusableFixtureFailsWithItsGoldenMessage() throws IOException {
        List<Path> fixtures;
        try (Stream<Path> files = Files.list(FIXTURES)) {
            fixtures = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(fixtures.size() >= 5, "fixtures missing: " + fixtures);
        boolean update = Boolean.getBoolean("workbench.updateGoldens");
        return fixtures.stream().map(fixture -> DynamicTest.dynamicTest(fixture.getFileName().toString(), () -> {
            ResolvedRecipe resolved = RecipeReader.resolve(fixture, overrides(fixture));
            RecipeException e = assertThrows(RecipeException.class,
                    () -> Preflight.check(resolved, FIXTURES.resolve("runs").toAbsolutePath(), true));
            Path golden = Path.of(fixture.toString().replace(".yaml", ".txt"));
            String actual = e.getMessage() + "\n";
            if (update) {
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual);
            assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
            assertEquals(e.problems().size(), actual.lines().filter(l -> l.contains(": error: ")).count());
        }));
    }

    @Test
    void aUsableRecipeGivesItsDataAndBase() {
        ResolvedRecipe resolved = RecipeReader.resolve(Path.of("../recipes/medical.yaml"), List.of());
        Preflight.Checked checked = Preflight.check(resolved, Path.of("runs").toAbsolutePath(), false);
        assertTrue(checked.data().labelled().isPresent());
        assertTrue(checked.baseCheckpoint().orElseThrow().endsWith("general-micro"));
    }

    static List<String> overrides(Path fixture) throws IOException {
        List<String> overrides = new ArrayList<>();
        for (String line : Files.readAllLines(fixture)) {
            if (line.startsWith("# set: ")) {
                overrides.add(line.substring("# set: ".length()));
            }
        }
        return overrides;
    }
}
