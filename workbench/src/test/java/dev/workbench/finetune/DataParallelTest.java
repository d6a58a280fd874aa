package dev.workbench.finetune;

import ai.djl.Device;
import dev.workbench.optim.Adam;
import dev.workbench.recipe.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data parallel over two replicas on the CPU (the same device twice, which only the internal list API allows) equals
 * one device seeing the whole batch.
 */
class DataParallelTest {
    private final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true);

    private void train(TinyTask task, List<Device> devices, Path dir) throws IOException {
        train(task, devices, dir, true);
    }

    private void train(TinyTask task, List<Device> devices, Path dir, boolean concurrent) throws IOException {
        // epsilon 10 makes AdamW's update ~ g / 10, linear in the gradient, so a missing or doubled replica gradient
        // shows in the weights (with 1e-8 the first update is lr * sign(g) and hides it); no weight decay, no dropout
        TrainingLoop.Settings s = new TrainingLoop.Settings("tiny", 2, 1.0,
                new LrSchedule(Training.LrSchedule.CONSTANT, 1.0, 0, 2), new Adam.Settings(0.9, 0.999, 10.0, 0.0,
                        Adam.WeightDecay.DECOUPLED), 0,
                Optional.empty(), 0, 1, 3, 1, 42);
        TrainingLoop loop = new TrainingLoop(s, log);
        (concurrent ? loop : loop.withSequentialReplicas()).run(task, devices, dir.resolve("checkpoints"),
                dir.resolve("metrics.csv"), Optional.empty());
    }

    @Test
    void twoReplicasEqualOneDeviceOnTheWholeBatch(@TempDir Path dir) throws IOException {
        // two micro-batches of 5 and 4 rows (one masked): slices of 2+3 and 2+2 rows with unequal units
        TinyTask single = new TinyTask(1, 0f, new int[] {5, 4}, true);
        TinyTask parallel = new TinyTask(1, 0f, new int[] {5, 4}, true);
        float[] before = single.weights("04Linear_weight").clone();
        train(single, List.of(Device.cpu()), dir.resolve("single"));
        train(parallel, List.of(Device.cpu(), Device.cpu()), dir.resolve("parallel"));

        List<float[]> expected = single.allWeights();
        List<float[]> actual = parallel.allWeights();
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 1e-5f, "parameter " + i);
        }
        double moved = 0;
        float[] after = single.weights("04Linear_weight");
        for (int i = 0; i < after.length; i++) {
            moved = Math.max(moved, Math.abs(after[i] - before[i]));
        }
        assertTrue(moved > 1e-3, "the steps must move the weights, moved " + moved);
        // same loss per step (column 3 of metrics.csv: step,epoch,loss,...)
        List<String> a = Files.readAllLines(dir.resolve("single/metrics.csv"));
        List<String> b = Files.readAllLines(dir.resolve("parallel/metrics.csv"));
        assertEquals(3, a.size());
        for (int row = 1; row < a.size(); row++) {
            assertEquals(Double.parseDouble(a.get(row).split(",")[2]), Double.parseDouble(b.get(row).split(",")[2]),
                    1e-6, "loss at step " + row);
        }
    }

    @Test
    void concurrentReplicasEqualSequentialReplicasBitForBit(@TempDir Path dir) throws IOException {
        // the gradients are summed on the first device in replica order whichever thread finishes first, so the
        // concurrent run gives exactly the sequential one; three replicas, a slice of 1 or 2 rows each
        TinyTask sequential = new TinyTask(1, 0f, new int[] {5, 4}, true);
        TinyTask concurrent = new TinyTask(1, 0f, new int[] {5, 4}, true);
        TinyTask single = new TinyTask(1, 0f, new int[] {5, 4}, true);
        List<Device> three = List.of(Device.cpu(), Device.cpu(), Device.cpu());
        train(sequential, three, dir.resolve("sequential"), false);
        train(concurrent, three, dir.resolve("concurrent"), true);
        train(single, List.of(Device.cpu()), dir.resolve("single"));
        for (int i = 0; i < sequential.allWeights().size(); i++) {
            assertArrayEquals(sequential.allWeights().get(i), concurrent.allWeights().get(i), 0f, "parameter " + i);
            assertArrayEquals(single.allWeights().get(i), concurrent.allWeights().get(i), 1e-5f, "parameter " + i);
        }
        assertEquals(Files.readAllLines(dir.resolve("sequential/metrics.csv")).get(2).split(",")[2],
                Files.readAllLines(dir.resolve("concurrent/metrics.csv")).get(2).split(",")[2]);
    }

    @Test
    void replicasRunOnTheirOwnThreadsAndAFailureOfOneIsRethrown() {
        try (DataParallel parallel = new DataParallel(List.of(Device.cpu(), Device.cpu()), true)) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            double sum = parallel.forEachReplica(r -> {
                threads.add(Thread.currentThread().getName());
                return r + 1;
            });
            assertEquals(3.0, sum);
            assertEquals(Set.of(Thread.currentThread().getName(), "replica-1"), threads);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> parallel.forEachReplica(r -> {
                if (r == 1) {
                    throw new IllegalStateException("replica 1 failed");
                }
                return 0;
            }));
            assertEquals("replica 1 failed", e.getMessage());
        }
    }
}
