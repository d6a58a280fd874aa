package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.workbench.optim.Adam;
import dev.workbench.optim.LossScaler;
import dev.workbench.recipe.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training loop with dynamic loss scaling, on CPU: a forced overflow (a loss that is finite but whose scaled
 * gradient is not: 1e30 times the loss, scale 2^34) skips the update without touching weights or AdamW, halves the
 * scale and does not count as divergence; the scale grows after the growth interval; resume is bitwise.
 */
class LossScalingTest {
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true);
    /** Growth every 2 good steps so that a short run shows it; 2^33 so that 1e30 * scale overflows fp32. */
    private static final LossScaler.Settings SCALING = new LossScaler.Settings(Math.pow(2, 33), 2.0, 0.5, 2);

    /** TinyTask whose loss is multiplied by 1e30 at the given step index, recording the weights each step starts with. */
    private static class OverflowTask extends TinyTask {
        final long overflowAt;
        final Map<Long, List<float[]>> weightsAtStart = new HashMap<>();
        long current;

        OverflowTask(long seed, long overflowAt) {
            super(seed, 0f, new int[] {4, 4}, false);
            this.overflowAt = overflowAt;
        }

        @Override
        public List<MicroBatch> microBatches(long step, NDManager m) {
            current = step;
            weightsAtStart.put(step, allWeights());
            return super.microBatches(step, m);
        }

        @Override
        public NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training) {
            NDArray loss = super.lossSum(store, batch, training);
            return current == overflowAt ? loss.mul(loss.getManager().create(1e30f)) : loss;
        }
    }

    private TrainingLoop.Result run(long steps, int checkpointEvery, TinyTask task, Path dir, Optional<Path> resume)
            throws IOException {
        // max_non_finite_steps 1: an overflow counted as divergence would end the run at once
        TrainingLoop.Settings s = new TrainingLoop.Settings("tiny", steps, 1.0,
                new LrSchedule(Training.LrSchedule.CONSTANT, 0.05, 0, steps), Adam.Settings.adamW(0.1), 0,
                Optional.empty(), checkpointEvery, 10, 1, 1, 42);
        return new TrainingLoop(s, log).withLossScaling(SCALING).run(task, Device.cpu(),
                dir.resolve("checkpoints"), dir.resolve("metrics.csv"), resume);
    }

    @Test
    void anOverflowSkipsTheStepHalvesTheScaleAndLeavesWeightsAndAdamAlone(@TempDir Path dir) throws IOException {
        OverflowTask task = new OverflowTask(1, 2);
        TrainingLoop.Result result = run(4, 1, task, dir, Optional.empty());
        assertEquals(4, result.steps());
        assertEquals(1, result.skippedSteps());
        Path checkpoints = dir.resolve("checkpoints");
        // steps 1, 2 good: the scale grew once (interval 2); step 3 overflowed: halved; step 4 good: one good step
        assertEquals("scale=1.7179869184E10\ngood_steps=0\n",
                Files.readString(checkpoints.resolve("step-000002").resolve(LossScaler.STATE_FILE)));
        assertFalse(Files.exists(checkpoints.resolve("step-000003")), "no checkpoint of a skipped step");
        assertEquals("scale=8.589934592E9\ngood_steps=1\n",
                Files.readString(checkpoints.resolve("step-000004").resolve(LossScaler.STATE_FILE)));
        // weights bitwise unchanged across the overflow step; they do move on the other steps
        List<float[]> before = task.weightsAtStart.get(2L);
        List<float[]> after = task.weightsAtStart.get(3L);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), 0f, "parameter " + i);
        }
        assertFalse(java.util.Arrays.equals(task.weightsAtStart.get(1L).get(0), before.get(0)));
        // AdamW took 3 updates in 4 steps: its step count (and with it its moments) skipped the overflow
        assertEquals(3, Checkpoints.readState(checkpoints.resolve("step-000004")).optimizerStep());
        assertTrue(logBytes.toString().contains("tiny: step 3: loss scale 1.71799e+10 overflowed, update skipped,"
                + " scale now 8.58993e+09"), logBytes.toString());
    }

    @Test
    void scaledTrainingWithoutOverflowEqualsUnscaledTraining(@TempDir Path dir) throws IOException {
        // powers of two scale and unscale exactly, so loss scaling on fp32 changes nothing
        OverflowTask scaled = new OverflowTask(3, -1);
        run(4, 0, scaled, dir.resolve("scaled"), Optional.empty());
        TinyTask plain = new TinyTask(3, 0f, new int[] {4, 4}, false);
        TrainingLoop.Settings s = new TrainingLoop.Settings("tiny", 4, 1.0,
                new LrSchedule(Training.LrSchedule.CONSTANT, 0.05, 0, 4), Adam.Settings.adamW(0.1), 0,
                Optional.empty(), 0, 10, 1, 1, 42);
        new TrainingLoop(s, log).run(plain, Device.cpu(), dir.resolve("plain/checkpoints"),
                dir.resolve("plain/metrics.csv"), Optional.empty());
        for (int i = 0; i < plain.allWeights().size(); i++) {
            assertArrayEquals(plain.allWeights().get(i), scaled.allWeights().get(i), 0f, "parameter " + i);
        }
    }

    @Test
    void resumeRestoresTheScalerAndIsBitwiseEqual(@TempDir Path dir) throws IOException {
        OverflowTask straight = new OverflowTask(1, 2);
        run(6, 2, straight, dir.resolve("straight"), Optional.empty());

        OverflowTask first = new OverflowTask(1, 2) {
            @Override
            public List<MicroBatch> microBatches(long step, NDManager m) {
                if (step == 4) {
                    throw new IllegalStateException("simulated crash after step 4");
                }
                return super.microBatches(step, m);
            }
        };
        assertThrows(IllegalStateException.class, () -> run(6, 2, first, dir.resolve("resumed"), Optional.empty()));
        Path checkpoint = dir.resolve("resumed/checkpoints/step-000004");
        OverflowTask second = new OverflowTask(99, 2);
        run(6, 2, second, dir.resolve("resumed"), Optional.of(checkpoint));
        for (int i = 0; i < straight.allWeights().size(); i++) {
            assertArrayEquals(straight.allWeights().get(i), second.allWeights().get(i), 0f, "parameter " + i);
        }
        // restored (2^33, 1 good step) it grows at step 5 and ends at (2^34, 1); restarted (2^33, 0) it would grow at
        // step 6 and end at (2^34, 0)
        String last = "checkpoints/step-000006/" + LossScaler.STATE_FILE;
        assertEquals(Files.readString(dir.resolve("straight").resolve(last)),
                Files.readString(dir.resolve("resumed").resolve(last)));
        assertEquals("scale=1.7179869184E10\ngood_steps=1\n", Files.readString(dir.resolve("resumed").resolve(last)));
    }
}
