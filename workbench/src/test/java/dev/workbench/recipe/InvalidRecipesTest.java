package dev.workbench.recipe;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each fixture in src/test/resources/recipes/invalid/ has its exact expected message in a .txt file beside it.
 * Overrides for a fixture are given on comment lines {@code # set: KEY=VALUE}. Run with
 * {@code -Dworkbench.updateGoldens=true} to rewrite the .txt files, then review the diff by hand.
 */
class InvalidRecipesTest {
    /** Relative, so that messages (which name the file as given) do not depend on where the checkout lives. */
    static final Path FIXTURES = Path.of("src/test/resources/recipes/invalid");

    @TestFactory
    Stream<DynamicTest> everyInvalidFixtureFailsWithItsGoldenMessage() throws IOException {
        List<Path> fixtures;
        try (Stream<Path> files = Files.list(FIXTURES)) {
            fixtures = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(fixtures.size() >= 10, "fixtures missing: " + fixtures);
        boolean update = Boolean.getBoolean("workbench.updateGoldens");
        return fixtures.stream().map(fixture -> DynamicTest.dynamicTest(fixture.getFileName().toString(), () -> {
            List<String> overrides = overrides(fixture);
            // The alias bomb and deep nesting must fail fast, not hang: a timeout makes a hang a failure.
            RecipeException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(RecipeException.class, () -> RecipeReader.read(fixture, overrides)));
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
