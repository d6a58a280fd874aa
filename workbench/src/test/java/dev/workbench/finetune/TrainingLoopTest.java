package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.workbench.optim.Adam;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingLoopTest {
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true);

    private static TrainingLoop.Settings settings(long steps, Adam.Settings adam, int checkpointEvery, int keep,
                                                  Optional<Training.EarlyStopping> early, int evalEvery) {
        return new TrainingLoop.Settings("tiny", steps, 1.0,
                new LrSchedule(Training.LrSchedule.COSINE, 0.05, 2, steps), adam, evalEvery, early, checkpointEvery,
                keep, 3, 1, 42);
    }

    private static TrainingLoop.Settings settings(long steps, int checkpointEvery) {
        return settings(steps, Adam.Settings.adamW(0.1), checkpointEvery, 10, Optional.empty(), 0);
    }

    private TrainingLoop.Result run(TrainingLoop.Settings s, TrainingTask task, Path dir, Optional<Path> resume)
            throws IOException {
        return new TrainingLoop(s, log).run(task, Device.cpu(), dir.resolve("checkpoints"),
                dir.resolve("metrics.csv"), resume);
    }

    @Test
    void accumulationOverUnequalMicroBatchesEqualsOneBigBatch(@TempDir Path dir) throws IOException {
        // epsilon 10 makes AdamW's first update ~ g / 10, i.e. linear in the gradient (with the default 1e-8 the
        // first update is lr * sign(g) and could not tell a mis-normalised gradient from a correct one)
        Adam.Settings linear = new Adam.Settings(0.9, 0.999, 10.0, 0.0, Adam.WeightDecay.DECOUPLED);
        TinyTask accumulated = new TinyTask(1, 0f, new int[] {3, 5, 1}, true);
        TinyTask single = new TinyTask(1, 0f, new int[] {9}, true);
        TinyTask perMicroBatchMean = new TinyTask(1, 0f, new int[] {3, 5, 1}, true) {
            @Override
            public NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training) {
                // the bug fixed in transformers #34191: each micro-batch averaged on its own, then averaged
                return super.lossSum(store, batch, training).div(batch.units()).mul(8.0 / 3);
            }
        };
        assertArrayEquals(single.weights("01Linear_weight"), accumulated.weights("01Linear_weight"), 0f);
        TrainingLoop.Settings s = new TrainingLoop.Settings("tiny", 1, 0.0,
                new LrSchedule(Training.LrSchedule.CONSTANT, 1.0, 0, 1), linear, 0, Optional.empty(), 0, 1, 3, 1, 42);
        run(s, accumulated, dir.resolve("a"), Optional.empty());
        run(s, single, dir.resolve("b"), Optional.empty());
        run(s, perMicroBatchMean, dir.resolve("c"), Optional.empty());
        float[] before = new TinyTask(1, 0f, new int[] {9}, true).weights("04Linear_weight");
        float[] a = accumulated.weights("04Linear_weight");
        float[] b = single.weights("04Linear_weight");
        float[] c = perMicroBatchMean.weights("04Linear_weight");
        assertArrayEquals(b, a, 1e-5f);
        double maxWrong = 0;
        double maxUpdate = 0;
        for (int i = 0; i < b.length; i++) {
            maxWrong = Math.max(maxWrong, Math.abs(c[i] - b[i]));
            maxUpdate = Math.max(maxUpdate, Math.abs(b[i] - before[i]));
        }
        assertTrue(maxUpdate > 1e-3, "the step must move the weights, moved " + maxUpdate);
        assertTrue(maxWrong > 1e-4, "per-micro-batch averaging must differ, differed " + maxWrong);
    }

    @Test
    void resumeEqualsAnUninterruptedRun(@TempDir Path dir) throws IOException {
        TinyTask straight = new TinyTask(1, 0.3f, new int[] {4, 4}, false);
        run(settings(8, 4), straight, dir.resolve("straight"), Optional.empty());

        TinyTask first = new TinyTask(1, 0.3f, new int[] {4, 4}, false) {
            @Override
            public List<MicroBatch> microBatches(long step, NDManager m) {
                if (step == 4) {
                    throw new IllegalStateException("simulated crash after step 4");
                }
                return super.microBatches(step, m);
            }
        };
        assertThrows(IllegalStateException.class,
                () -> run(settings(8, 4), first, dir.resolve("resumed"), Optional.empty()));
        Path checkpoint = dir.resolve("resumed/checkpoints/step-000004");
        assertTrue(Checkpoints.isComplete(checkpoint));
        // a different init seed proves that weights come from the checkpoint, not from the initialisation
        TinyTask second = new TinyTask(99, 0.3f, new int[] {4, 4}, false);
        TrainingLoop.Result result = run(settings(8, 4), second, dir.resolve("resumed"), Optional.of(checkpoint));
        assertEquals(8, result.steps());
        List<float[]> expected = straight.allWeights();
        List<float[]> actual = second.allWeights();
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 1e-6f, "parameter " + i);
        }
        List<String> rows = Files.readAllLines(dir.resolve("resumed/metrics.csv"));
        assertEquals(MetricsCsv.HEADER, rows.get(0));
        assertEquals(9, rows.size(), "one row per step, none duplicated by the resume: " + rows);
        assertEquals(Files.readAllLines(dir.resolve("straight/metrics.csv")).get(8).split(",")[2],
                rows.get(8).split(",")[2], "same loss at the last step");
    }

    @Test
    void sameSeedSameWeights(@TempDir Path dir) throws IOException {
        TinyTask a = new TinyTask(5, 0.3f, new int[] {4}, false);
        TinyTask b = new TinyTask(5, 0.3f, new int[] {4}, false);
        run(settings(3, 0), a, dir.resolve("a"), Optional.empty());
        run(settings(3, 0), b, dir.resolve("b"), Optional.empty());
        for (int i = 0; i < a.allWeights().size(); i++) {
            assertArrayEquals(a.allWeights().get(i), b.allWeights().get(i), 0f);
        }
    }

    @Test
    void nonFiniteLossSkipsStepsThenDivergesKeepingTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        TinyTask task = new TinyTask(1, 0f, new int[] {4}, false) {
            @Override
            public NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training) {
                NDArray loss = super.lossSum(store, batch, training);
                // the test hook: from step index 3 (the 4th step) on, the loss is NaN
                return currentStep >= 3 ? loss.mul(Float.NaN) : loss;
            }

            long currentStep;

            @Override
            public List<MicroBatch> microBatches(long step, NDManager m) {
                currentStep = step;
                return super.microBatches(step, m);
            }
        };
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> run(settings(10, 1), task, dir, Optional.empty()));
        assertEquals(WorkbenchException.Kind.DIVERGED, e.kind());
        assertTrue(e.getMessage().startsWith("loss became NaN at step 4 (lr "), e.getMessage());
        assertTrue(e.getMessage().contains("step-000003"), e.getMessage());
        Path lastGood = dir.resolve("checkpoints/step-000003");
        assertTrue(Checkpoints.isComplete(lastGood));
        assertFalse(Files.exists(dir.resolve("checkpoints/step-000004")));
        assertEquals(3, Checkpoints.readState(lastGood).step());
        TinyTask reloaded = new TinyTask(3, 0f, new int[] {4}, false);
        reloaded.parameters.loadWeights(lastGood.resolve(ModelParameters.WEIGHTS_FILE));
        assertTrue(reloaded.parameters.allFinite());
        assertTrue(logBytes.toString().contains("update skipped (2 in a row, limit 3)"), logBytes.toString());
    }

    @Test
    void frozenParametersStayBitIdentical(@TempDir Path dir) throws IOException {
        TinyTask task = new TinyTask(1, 0.1f, new int[] {4}, false);
        task.parameters.all().get("01Linear_weight").freeze(true);
        task.parameters.all().get("01Linear_bias").freeze(true);
        float[] frozen = task.weights("01Linear_weight");
        float[] frozenBias = task.weights("01Linear_bias");
        float[] trained = task.weights("04Linear_weight");
        run(settings(4, 0), task, dir, Optional.empty());
        assertArrayEquals(frozen, task.weights("01Linear_weight"), 0f);
        assertArrayEquals(frozenBias, task.weights("01Linear_bias"), 0f);
        assertFalse(java.util.Arrays.equals(trained, task.weights("04Linear_weight")));
    }

    @Test
    void earlyStoppingKeepsTheBestAndRotatesCheckpoints(@TempDir Path dir) throws IOException {
        TinyTask task = new TinyTask(1, 0f, new int[] {4}, false);
        double[] validation = {1.0, 0.9, 0.895, 0.96, 0.97, 0.5};
        task.validation = i -> validation[(int) i];
        TrainingLoop.Settings s = settings(20, Adam.Settings.adamW(0.0), 1, 2,
                Optional.of(new Training.EarlyStopping(2, 0.01)), 2);
        TrainingLoop.Result result = run(s, task, dir, Optional.empty());
        // evaluations at steps 2, 4, 6, 8: 1.0 (best), 0.9 (best, improved by >= 0.01), 0.895 (new best but by less
        // than min_delta: patience 1), 0.96 (patience 2 -> stop at step 8)
        assertTrue(result.stoppedEarly());
        assertEquals(8, result.steps());
        assertEquals(6, result.bestStep());
        assertEquals(0.895, result.bestValidationLoss(), 1e-12);
        Path best = dir.resolve("checkpoints/best");
        assertEquals(6, Checkpoints.readState(best).step());
        assertEquals(List.of("step-000007", "step-000008"), Checkpoints.committedSteps(dir.resolve("checkpoints"))
                .stream().map(p -> p.getFileName().toString()).toList());
        float[] bestWeights;
        TinyTask fromBest = new TinyTask(2, 0f, new int[] {4}, false);
        fromBest.parameters.loadWeights(best.resolve(ModelParameters.WEIGHTS_FILE));
        bestWeights = fromBest.weights("04Linear_weight");
        assertArrayEquals(bestWeights, task.weights("04Linear_weight"), 0f, "the model ends on the best weights");
        assertTrue(Files.exists(best.resolve("config.json")));

        // resuming the early-stopped run trains nothing more, and its closing line reports no rate or memory
        TinyTask again = new TinyTask(2, 0f, new int[] {4}, false);
        logBytes.reset();
        TrainingLoop.Result resumed = run(s, again, dir, Optional.of(dir.resolve("checkpoints/step-000008")));
        assertTrue(resumed.stoppedEarly());
        assertEquals(8, resumed.steps());
        assertArrayEquals(bestWeights, again.weights("04Linear_weight"), 0f);
        String resumedLog = logBytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(resumedLog.contains("tiny: already trained (8 of 20 steps), nothing to do"), resumedLog);
        assertFalse(resumedLog.contains("tokens/s") || resumedLog.contains("heap"), resumedLog);
    }

    @Test
    void stepsLeaveNoArraysBehind(@TempDir Path dir) throws IOException {
        TinyTask task = new TinyTask(1, 0.1f, new int[] {4, 3}, false);
        int before = task.manager.getManagedArrays().size();
        run(settings(5, 0), task, dir, Optional.empty());
        assertEquals(before, task.manager.getManagedArrays().size());
    }
}
