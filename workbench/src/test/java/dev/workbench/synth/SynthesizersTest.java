package dev.workbench.synth;

import dev.workbench.data.Table;
import dev.workbench.recipe.SynthesisMethod;
import dev.workbench.recipe.Synthesize;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry covers every method a recipe can name, both ways: created from the recipe and loaded from a folder. */
class SynthesizersTest {

    @Test
    void everyRecipeMethodIsCreatedFittedSavedAndLoadedUnderItsName(@TempDir Path dir) throws Exception {
        Table train = TinyTables.patients(120, 3);
        TableProfile profile = TableProfiler.profile(train);
        for (String method : SynthesisMethod.names()) {
            Synthesize section = SynthesizeStageTest.tinyRecipe(List.of(method));
            Path folder = dir.resolve(method);
            try (Synthesizer synthesizer = Synthesizers.create(method, section)) {
                assertEquals(method, synthesizer.name());
                assertTrue(synthesizer.planLine(120, 40).startsWith(method + ": "), synthesizer.planLine(120, 40));
                synthesizer.fit(train, profile, 5);
                synthesizer.save(folder);
                try (Synthesizer loaded = GeneratorCheckpoint.load(folder)) {
                    assertEquals(method, loaded.name());
                    assertEquals(synthesizer.sample(40, Map.of(), 6), loaded.sample(40, Map.of(), 6), method);
                }
            }
        }
    }

    @Test
    void unknownMethodsAreRefusedNamingTheKnownOnes() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> Synthesizers.create("copula", SynthesizeStageTest.tinyRecipe(List.of("copula"))));
        assertEquals("synthesize.methods: unknown method 'copula' (known: [ctgan, independent, gaussian-copula, "
                + "tvae])", e.getMessage());
    }

    @Test
    void recipesDefaultToEveryMethodButTvae() {
        assertEquals(List.of("ctgan", "independent", "gaussian-copula"), SynthesisMethod.defaultNames());
    }
}
