package dev.workbench.plan;

import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code training.warmup_ratio} and the validation interval as the plan works them out from the recipe: warmup
 * {@code ceil(ratio x total steps)}; once per epoch with an {@code epochs} budget and no {@code eval_every_steps};
 * every 100 steps with {@code max_steps}, as before.
 */
class StepScheduleTest {
    @TempDir
    Path dir;

    private Training training(String section) throws IOException {
        Path recipe = Files.writeString(dir.resolve("r.yaml"), """
                name: schedule
                base_model: {preset: nano}
                corpus:
                  labelled: {path: l.csv}
                finetune: {tasks: [classifier]}
                training: %s
                """.formatted(section));
        return RecipeReader.read(recipe, List.of()).training();
    }

    @Test
    void maxStepsBudgetKeepsEvaluatingEvery100StepsAsBefore() throws IOException {
        Training training = training("{max_steps: 250, warmup_steps: 10, batch_size: 16}");
        assertEquals(Optional.of(100), training.evalEverySteps());
        StepSchedule schedule = StepSchedule.of(training, 1000);
        assertEquals(new StepSchedule(250, 63, 10, 100, false), schedule);
        assertEquals("every 100 steps and at the end", schedule.evaluation());
    }

    @Test
    void epochsBudgetEvaluatesOncePerEpoch() throws IOException {
        Training training = training("{epochs: 3, batch_size: 16}");
        assertEquals(Optional.empty(), training.evalEverySteps());
        // 1,000 rows in batches of 16: 63 steps per epoch (rounded up), ceil(3,000 / 16) = 188 steps
        StepSchedule schedule = StepSchedule.of(training, 1000);
        assertEquals(new StepSchedule(188, 63, 0, 63, true), schedule);
        assertEquals("every epoch (63 steps) and at the end", schedule.evaluation());
        // accumulation: the effective batch decides the steps per epoch
        assertEquals(32, StepSchedule.of(training("{epochs: 2, batch_size: 8, gradient_accumulation_steps: 4}"),
                1000).evalEverySteps());
    }

    @Test
    void anExplicitIntervalWinsOverEpochs() throws IOException {
        StepSchedule schedule = StepSchedule.of(training("{epochs: 3, eval_every_steps: 20}"), 1000);
        assertEquals(20, schedule.evalEverySteps());
        assertFalse(schedule.evalPerEpoch());
        assertTrue(StepSchedule.of(training("{epochs: 3}"), 1000).evalPerEpoch());
    }

    @Test
    void warmupRatioIsTheCeilingOfItsShareOfThePlannedSteps() throws IOException {
        Training ratio = training("{epochs: 3, batch_size: 16, warmup_ratio: 0.06}");
        assertEquals(0, ratio.warmupSteps());
        assertEquals(Optional.of(0.06), ratio.warmupRatio());
        assertEquals(12, StepSchedule.of(ratio, 1000).warmupSteps(), "ceil(0.06 x 188) = ceil(11.28)");
        // 0.1 x 30 is 3.0000000000000004 in binary floating point; the ratio as written gives 3
        assertEquals(3, StepSchedule.warmupSteps(0.1, 30));
        assertEquals(4, StepSchedule.warmupSteps(0.1, 31));
        assertEquals(0, StepSchedule.warmupSteps(0, 500));
        assertEquals(1, StepSchedule.warmupSteps(0.999, 1));
        // with max_steps the ratio applies to them
        assertEquals(25, StepSchedule.of(training("{max_steps: 250, warmup_ratio: 0.1}"), 10).warmupSteps());
    }
}
