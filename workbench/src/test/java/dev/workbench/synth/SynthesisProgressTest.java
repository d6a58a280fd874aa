package dev.workbench.synth;

import dev.workbench.data.Table;
import dev.workbench.plan.Progress;
import dev.workbench.recipe.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CTGAN and TVAE report every step against the budget they really train (the larger of epochs x steps per epoch and
 * steps), and the stage says how that budget came about.
 */
class SynthesisProgressTest {

    @Test
    void everyStepIsReportedAgainstTheRealBudget(@TempDir Path dir) throws Exception {
        Table real = TinyTables.patients(300, 8);
        List<String> starts = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        List<Integer> updates = new ArrayList<>();
        Progress recording = (name, alreadyDone, total, unit) -> {
            starts.add(name + " " + alreadyDone + "/" + total + " " + unit);
            last.add(-1L);
            updates.add(0);
            int i = starts.size() - 1;
            return new Progress.Task() {
                @Override
                public void update(long done, String detail) {
                    assertTrue(detail.startsWith("epoch "), detail);
                    last.set(i, done);
                    updates.set(i, updates.get(i) + 1);
                }

                @Override
                public void close() {
                }
            };
        };
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // epochs 1 (5 steps per epoch at batch 60 on 300 rows), steps 60: the budget is 60
        SynthesizeStage.run(real, Map.of(), List.of("visit"), SynthesizeStageTest.tinyRecipe(List.of("ctgan",
                "tvae")), 7, dir.resolve("synthetic"), "medical/table", new PrintStream(log, true,
                StandardCharsets.UTF_8), Training.DEFAULT_MAX_NON_FINITE_STEPS, recording);
        assertEquals(List.of("synthesize ctgan 0/60 steps", "synthesize tvae 0/60 steps"), starts);
        assertEquals(List.of(60L, 60L), last, "each ends at its budget");
        assertEquals(List.of(60, 60), updates, "one update per step");
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("60 generator steps (batch 60; the larger of epochs 1 x 5 steps per epoch and "
                + "steps 60)"), text);
    }
}
