package dev.workbench.synth;

import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.model.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NaN guard of CTGAN training, driven by a test hook that multiplies both losses by NaN at chosen steps. */
class CtganNonFiniteGuardTest {
    private static final CtganConfig TINY = CtganSynthesizerTest.TINY.withBudget(1, 12);

    @Test
    void aSkippedStepLeavesTheWeightsAsTheyWereAndTrainingGoesOn(@TempDir Path dir) throws Exception {
        Table train = TinyTables.patients(120, 3);
        TableProfile profile = TableProfiler.profile(train);
        // Every random draw of a step happens whether or not its update is applied, so a 12-step fit whose last step
        // is skipped must end with exactly the trainable weights of an 11-step fit with the same seed (BatchNorm
        // running statistics differ: the skipped step's forward pass still updated them).
        Map<String, Safetensors.Tensor> eleven = weightsAfter(CtganSynthesizerTest.TINY.withBudget(1, 11), train,
                profile, step -> false, dir.resolve("eleven"));
        Map<String, Safetensors.Tensor> lastSkipped = weightsAfter(TINY, train, profile, step -> step == 12,
                dir.resolve("skipped"));
        for (Map.Entry<String, Safetensors.Tensor> entry : eleven.entrySet()) {
            if (!entry.getKey().contains("running_")) {
                assertArrayEquals(entry.getValue().values(), lastSkipped.get(entry.getKey()).values(), entry.getKey());
            }
        }

        try (CtganSynthesizer ctgan = new CtganSynthesizer(TINY)) {
            ctgan.injectNonFinite = step -> step == 3 || step == 6 || step == 7; // 2 steps per epoch
            ctgan.fit(train, profile, 7, FitOptions.silent().withMaxNonFiniteSteps(3));
            assertEquals(12, ctgan.training().steps());
            assertEquals(3, ctgan.training().skippedSteps(), "steps 3, 6 and 7 skipped, never 3 in a row");
            ctgan.losses().forEach(l -> assertTrue(Double.isFinite(l.generatorLoss())
                    && Double.isFinite(l.criticLoss()), "epoch means leave skipped steps out: " + l));
            ctgan.save(dir.resolve("after"));
            for (Safetensors.Tensor tensor : GeneratorCheckpoint.read(dir.resolve("after")).weights().values()) {
                for (float v : tensor.values()) {
                    assertTrue(Float.isFinite(v), "a skipped NaN step must not reach the weights");
                }
            }
            assertEquals(40, ctgan.sample(40, Map.of(), 1).rows().size());
        }
    }

    @Test
    void tooManyNonFiniteStepsInARowStopAsDivergedNamingTheSteps() {
        Table train = TinyTables.patients(120, 3);
        try (CtganSynthesizer ctgan = new CtganSynthesizer(TINY)) {
            ctgan.injectNonFinite = step -> step >= 4;
            WorkbenchException e = assertThrows(WorkbenchException.class,
                    () -> ctgan.fit(train, TableProfiler.profile(train), 7, FitOptions.silent()
                            .withMaxNonFiniteSteps(3)));
            assertEquals(WorkbenchException.Kind.DIVERGED, e.kind());
            assertTrue(e.getMessage().contains("from generator step 4 to step 6"), e.getMessage());
            assertTrue(e.getMessage().contains("max_non_finite_steps"), e.getMessage());
            assertEquals(6, ctgan.training().steps());
            assertEquals(3, ctgan.training().skippedSteps());
        }
        assertThrows(WorkbenchException.class, () -> FitOptions.silent().withMaxNonFiniteSteps(0));
    }

    private static Map<String, Safetensors.Tensor> weightsAfter(CtganConfig config, Table train, TableProfile profile,
                                                                java.util.function.LongPredicate inject, Path folder)
            throws Exception {
        try (CtganSynthesizer ctgan = new CtganSynthesizer(config)) {
            ctgan.injectNonFinite = inject;
            ctgan.fit(train, profile, 7);
            ctgan.save(folder);
        }
        return GeneratorCheckpoint.read(folder).weights();
    }
}
