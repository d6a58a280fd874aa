package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.workbench.plan.StepSchedule;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The loop validates when the plan's {@link StepSchedule} says: once per epoch with an {@code epochs} budget and no
 * {@code eval_every_steps}; only at the end of a short {@code max_steps} run (every 100 steps, as before).
 */
class EpochEvaluationTest {
    @TempDir
    Path dir;

    /** TinyTask (40 rows, 8 per step: 5 steps per epoch) noting the step of every validation. */
    private static final class Recording extends TinyTask {
        final List<Long> evaluatedAt = new ArrayList<>();
        private long lastStep;

        Recording() {
            super(1, 0f, new int[] {8}, false);
            validation = i -> 1.0 / (i + 1);
        }

        @Override
        public List<MicroBatch> microBatches(long step, NDManager m) {
            lastStep = step;
            return super.microBatches(step, m);
        }

        @Override
        public double validationLoss(ParameterStore store, NDManager m) {
            evaluatedAt.add(lastStep + 1);
            return super.validationLoss(store, m);
        }
    }

    private List<Long> evaluations(String trainingSection) throws IOException {
        Path recipe = Files.writeString(dir.resolve("r.yaml"), """
                name: epochs
                base_model: {preset: nano}
                corpus:
                  labelled: {path: l.csv}
                finetune: {tasks: [classifier]}
                training: %s
                """.formatted(trainingSection));
        Training training = RecipeReader.read(recipe, List.of()).training();
        StepSchedule schedule = StepSchedule.of(training, TinyTask.ROWS);
        Recording task = new Recording();
        Path run = Files.createTempDirectory(dir, "run");
        new TrainingLoop(TrainingLoop.Settings.of("tiny", training, 42, schedule),
                new PrintStream(new ByteArrayOutputStream())).run(task, Device.cpu(), run.resolve("checkpoints"),
                run.resolve("metrics.csv"), Optional.empty());
        return task.evaluatedAt;
    }

    @Test
    void epochsBudgetValidatesAtTheEndOfEveryEpoch() throws IOException {
        assertEquals(List.of(5L, 10L, 15L), evaluations("{epochs: 3, batch_size: 8}"));
    }

    @Test
    void maxStepsBudgetKeepsItsHundredStepInterval() throws IOException {
        assertEquals(List.of(15L), evaluations("{max_steps: 15, batch_size: 8}"));
        assertEquals(List.of(4L, 8L, 12L, 15L), evaluations("{max_steps: 15, batch_size: 8, eval_every_steps: 4}"));
    }

    @Test
    void warmupRatioReachesTheLearningRateSchedule() throws IOException {
        Training training = RecipeReader.read(Files.writeString(dir.resolve("w.yaml"), """
                name: warmup
                base_model: {preset: nano}
                corpus:
                  labelled: {path: l.csv}
                finetune: {tasks: [classifier]}
                training: {epochs: 3, batch_size: 8, warmup_ratio: 0.2, learning_rate: 0.01}
                """), List.of()).training();
        TrainingLoop.Settings settings = TrainingLoop.Settings.of("tiny", training, 42,
                StepSchedule.of(training, TinyTask.ROWS));
        // 15 steps, ceil(0.2 x 15) = 3 warmup steps: 1/3, 2/3 and all of the peak
        assertEquals(3, settings.schedule().warmupSteps());
        assertEquals(0.01 / 3, settings.schedule().at(0), 1e-15);
        assertEquals(0.01, settings.schedule().at(2), 1e-15);
        assertEquals(5, settings.evalEverySteps());
    }
}
