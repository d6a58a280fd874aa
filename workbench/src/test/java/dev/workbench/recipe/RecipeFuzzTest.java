package dev.workbench.recipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random mutations of a valid recipe (and random overrides) never throw anything but {@link RecipeException}, and
 * whatever still reads also survives the resolved-YAML round trip. Seeded, so a failure reproduces.
 */
class RecipeFuzzTest {
    private static final String[] INSERTS = {":", ": ", "-", "- ", "[", "]", "{", "}", ",", " ", "  ", "\n", "\t",
            "&a ", "*a", "!!str ", "!x ", "'", "\"", "#", "%", "@", "`", "|", ">", "~", "null", "0", "-1", "1e999",
            "0x1F", "yes", "\u00e9", "\u2028", "<<: *a", "?", "...", "---", "\\", "\u0000", "9999999999999999999"};
    private static final String[] SET_KEYS = {"name", "seed", "training.max_steps", "training.devices",
            "base_model.preset", "base_model", "corpus.text", "corpus.table.column_types.x", "finetune.lora.rank",
            "split", "nope", "training..x", "", "evaluate.prompts", "synthesize"};
    private static final String[] SET_VALUES = {"", "1", "-1", "x", "[a, b]", "{rank: 2}", "[", "{", "null", "*a",
            "&a [1]", "true", "1.5", "gpu:0", "!!binary AA==", "{a: {b: {c: 1}}}", "\"q\"", "?x"};

    @TempDir
    Path dir;

    @Test
    void mutatedRecipesFailOnlyWithRecipeException() throws IOException {
        String valid = Files.readString(ShippedRecipesTest.repoRoot().resolve("recipes/customer-service.yaml"));
        // -Dworkbench.fuzzRounds=N -Dworkbench.fuzzSeed=S for a longer hunt; the default stays well under a second.
        Random random = new Random(Long.getLong("workbench.fuzzSeed", 20261129L));
        int read = 0;
        int failed = 0;
        for (int round = 0; round < Integer.getInteger("workbench.fuzzRounds", 200); round++) {
            String text = mutate(valid, random, 1 + random.nextInt(4));
            List<String> overrides = new ArrayList<>();
            if (random.nextInt(4) == 0) {
                overrides.add(SET_KEYS[random.nextInt(SET_KEYS.length)] + "="
                        + SET_VALUES[random.nextInt(SET_VALUES.length)]);
            }
            Path file = RecipeTestFiles.write(dir, "fuzz.yaml", text);
            try {
                ResolvedRecipe resolved = RecipeReader.resolve(file, overrides);
                read++;
                Path again = RecipeTestFiles.write(dir, "again.yaml", ResolvedRecipeWriter.toYaml(resolved));
                assertEquals(resolved.recipe(), RecipeTestFiles.withSource(RecipeReader.read(again, List.of()),
                        resolved.recipe().source()), "round trip of:\n" + text);
            } catch (RecipeException e) {
                failed++;
                assertFalse(e.problems().isEmpty());
                assertTrue(e.getMessage().endsWith("in " + file), e.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                fail("round " + round + " threw " + e + " for overrides " + overrides + " and:\n" + text, e);
            }
        }
        assertTrue(read > 20 && failed > 20, "mutations should both keep and break recipes: " + read + "/" + failed);
    }

    private static String mutate(String text, Random random, int mutations) {
        StringBuilder out = new StringBuilder(text);
        for (int i = 0; i < mutations; i++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(5)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, INSERTS[random.nextInt(INSERTS.length)]);
                case 2 -> { // duplicate a line
                    int start = out.lastIndexOf("\n", at) + 1;
                    int end = out.indexOf("\n", at);
                    if (end > start) {
                        out.insert(start, out.substring(start, end + 1));
                    }
                }
                case 3 -> { // replace a value with a random token
                    int colon = out.indexOf(": ", at);
                    int end = colon < 0 ? -1 : out.indexOf("\n", colon);
                    if (end > colon) {
                        out.replace(colon + 2, end, INSERTS[random.nextInt(INSERTS.length)]);
                    }
                }
                default -> out.setCharAt(at, (char) (' ' + random.nextInt(95)));
            }
        }
        return out.toString();
    }
}
