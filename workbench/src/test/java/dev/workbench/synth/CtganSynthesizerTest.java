package dev.workbench.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CTGAN on a 300-row table with a tiny network and 40 generator steps (a few seconds on one thread). */
class CtganSynthesizerTest {
    static final CtganConfig TINY = CtganConfig.defaults().withBudget(1, 40)
            .withNetworks(60, 5, 16, List.of(32, 32), List.of(32, 32));
    private static Table train;
    private static TableProfile profile;
    private static CtganSynthesizer fitted;

    @BeforeAll
    static void fitOnce() {
        train = TinyTables.patients(300, 1);
        profile = TableProfiler.profile(train);
        fitted = new CtganSynthesizer(TINY);
        fitted.fit(train, profile, 42);
    }

    @AfterAll
    static void close() {
        fitted.close();
    }

    /**
     * Sampling runs BatchNorm on its running statistics, so a row's output is the same alone or in a batch whose
     * other rows (here: shifted far off) would move batch statistics; the training-mode forward must differ.
     */
    @Test
    void inferenceRowsDoNotDependOnTheirBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(5);
            Generator generator = new Generator(manager, DataType.FLOAT32, 6, List.of(8, 8), 4,
                    List.of(new TableEncoder.Span(0, 4, TableEncoder.Activation.SOFTMAX)), random);
            float[] values = new float[4 * 6];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian() + (i >= 6 ? 5 : 0);
            }
            NDArray batch = manager.create(values, new Shape(4, 6));
            generator.forward(batch, true, true); // moves the running statistics away from their initial 0 / 1
            NDArray first = batch.get("0:1");
            float[] alone = generator.forward(first, false, false).toFloatArray();
            float[] inBatch = generator.forward(batch, false, false).get("0:1").toFloatArray();
            assertArrayEquals(alone, inBatch, 1e-6f);
            float[] trainingMode = generator.forward(batch, true, false).get("0:1").toFloatArray();
            assertNotEquals(alone[0], trainingMode[0], 1e-3f);
        }
    }

    /** Generator folders written before the switch was retired carry eval_mode_sampling; they still load. */
    @Test
    void olderArchitectureJsonStillBinds() throws Exception {
        String json = GeneratorCheckpoint.JSON.writeValueAsString(TINY).replace("{", "{\"eval_mode_sampling\": false, ");
        assertEquals(TINY, GeneratorCheckpoint.JSON.readValue(json, CtganConfig.class));
    }

    @Test
    void trainsTheBudgetAndLogsFiniteLosses() {
        assertEquals(40, fitted.training().steps());
        assertEquals(60, fitted.batchSize());
        // 300 rows / batch 60 = 5 steps per epoch -> 8 epochs for 40 steps
        assertEquals(8, fitted.losses().size());
        fitted.losses().forEach(l -> {
            assertTrue(Double.isFinite(l.generatorLoss()) && Double.isFinite(l.criticLoss()), l.toString());
            assertTrue(l.gradientPenalty() >= 0, l.toString());
        });
    }

    @Test
    void sameSeedSameGeneratorAndSamples() {
        try (CtganSynthesizer again = new CtganSynthesizer(TINY)) {
            again.fit(train, profile, 42);
            Table a = fitted.sample(100, Map.of(), 5);
            Table b = again.sample(100, Map.of(), 5);
            assertEquals(a, b);
            assertEquals(fitted.losses(), again.losses().stream().map(l -> new CtganSynthesizer.EpochLoss(l.epoch(),
                    l.steps(), l.generatorLoss(), l.criticLoss(), l.gradientPenalty(),
                    fitted.losses().get(l.epoch() - 1).seconds())).toList());
            assertNotEquals(a, fitted.sample(100, Map.of(), 6), "another sampling seed gives other rows");
        }
    }

    @Test
    void samplesHaveTheProfiledColumnsAndValidValues() {
        Table sample = fitted.sample(150, Map.of(), 3);
        assertEquals(150, sample.rows().size());
        assertEquals(profile.columnNames(), sample.columns());
        for (List<String> row : sample.rows()) {
            int age = Integer.parseInt(row.get(0));
            assertTrue(age >= 18 && age <= 90, "age clipped to the seen range: " + age);
            assertTrue(List.of("F", "M").contains(row.get(2)));
            assertTrue(List.of("true", "false").contains(row.get(4)));
            assertTrue(row.get(1).equals("?") || Double.parseDouble(row.get(1)) >= profile.column("income").min());
        }
    }

    @Test
    void conditionalSamplingHonoursEveryCondition() {
        TinyTables.assertHonoursConditions(fitted);
    }

    @Test
    void checkpointRoundTripSamplesIdentically(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("generator");
        fitted.save(folder);
        assertTrue(AtomicDirectory.isCommitted(folder));
        assertTrue(Files.isRegularFile(folder.resolve(GeneratorCheckpoint.WEIGHTS)));
        Synthesizer loaded = GeneratorCheckpoint.load(folder);
        try {
            assertEquals(fitted.sample(80, Map.of(), 17), loaded.sample(80, Map.of(), 17));
            assertEquals(fitted.sample(30, Map.of("readmitted", "no"), 2),
                    loaded.sample(30, Map.of("readmitted", "no"), 2));
        } finally {
            ((CtganSynthesizer) loaded).close();
        }
    }

    @Test
    void incompleteGeneratorFolderIsRefused(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("generator");
        fitted.save(folder);
        Files.delete(folder.resolve(AtomicDirectory.COMMIT_MARKER));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> GeneratorCheckpoint.load(folder));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void aChangedWeightsFileIsRefusedOnLoad(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("generator");
        fitted.save(folder);
        assertTrue(Files.isRegularFile(folder.resolve(dev.workbench.model.io.CheckpointManifest.FILE)));
        Path weights = folder.resolve(GeneratorCheckpoint.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 3] ^= 0x01; // one bit of the last weight: still a valid safetensors file
        Files.write(weights, bytes);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> GeneratorCheckpoint.load(folder));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(GeneratorCheckpoint.WEIGHTS) && e.getMessage().contains("changed"),
                e.getMessage());

        Path other = dir.resolve("other");
        fitted.save(other);
        Files.delete(other.resolve(dev.workbench.model.io.CheckpointManifest.FILE));
        WorkbenchException missing = assertThrows(WorkbenchException.class, () -> GeneratorCheckpoint.load(other));
        assertTrue(missing.getMessage().contains("manifest.json"), missing.getMessage());
    }
}
