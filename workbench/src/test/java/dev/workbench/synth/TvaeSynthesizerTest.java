package dev.workbench.synth;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TVAE on a 300-row table with a tiny network and 90 steps (a few seconds on one thread). */
class TvaeSynthesizerTest {
    static final TvaeConfig TINY = new TvaeConfig(1, 90, 100, true);
    static final TvaeSynthesizer.Architecture SMALL = new TvaeSynthesizer.Architecture(16, List.of(32, 32),
            List.of(32, 32));
    private static Table train;
    private static TableProfile profile;
    private static TvaeSynthesizer fitted;

    @BeforeAll
    static void fitOnce() {
        train = TinyTables.patients(300, 1);
        profile = TableProfiler.profile(train);
        fitted = new TvaeSynthesizer(TINY, SMALL);
        fitted.fit(train, profile, 42);
    }

    @AfterAll
    static void close() {
        fitted.close();
    }

    /** Generator folders written before TvaeConfig existed hold a whole CtganConfig under "config"; they still load. */
    @Test
    void olderCtganConfigJsonStillBinds() throws Exception {
        String json = GeneratorCheckpoint.JSON.writeValueAsString(CtganConfig.defaults().withBudget(1, 90)
                .withNetworks(100, 10, 128, List.of(256, 256), List.of(256, 256)));
        assertEquals(TINY, GeneratorCheckpoint.JSON.readValue(json, TvaeConfig.class));
    }

    @Test
    void trainsTheBudgetWithFiniteDecreasingLoss() {
        assertEquals(90, fitted.training().steps());
        assertEquals(0, fitted.training().skippedSteps());
        assertEquals(100, fitted.batchSize());
        // 300 rows / batch 100 = 3 steps per epoch -> 30 epochs for 90 steps
        List<TvaeSynthesizer.EpochLoss> losses = fitted.losses();
        assertEquals(30, losses.size());
        losses.forEach(l -> assertTrue(Double.isFinite(l.loss()) && l.kld() >= 0, l.toString()));
        double first = (losses.get(0).loss() + losses.get(1).loss() + losses.get(2).loss()) / 3;
        double last = (losses.get(27).loss() + losses.get(28).loss() + losses.get(29).loss()) / 3;
        assertTrue(last < first - 1, "loss falls: first epochs " + first + ", last epochs " + last);
    }

    @Test
    void sameSeedSameGeneratorAndSamples() {
        try (TvaeSynthesizer again = new TvaeSynthesizer(TINY, SMALL);
             TvaeSynthesizer other = new TvaeSynthesizer(TINY, SMALL)) {
            again.fit(train, profile, 42);
            Table a = fitted.sample(100, Map.of(), 5);
            assertEquals(a, again.sample(100, Map.of(), 5));
            assertEquals(fitted.losses().stream().map(TvaeSynthesizer.EpochLoss::loss).toList(),
                    again.losses().stream().map(TvaeSynthesizer.EpochLoss::loss).toList());
            assertNotEquals(a, fitted.sample(100, Map.of(), 6), "another sampling seed gives other rows");
            other.fit(train, profile, 43);
            assertNotEquals(a, other.sample(100, Map.of(), 5), "another training seed gives another generator");
        }
    }

    @Test
    void samplesHaveTheProfiledColumnsAndValidValues() {
        Table sample = fitted.sample(250, Map.of(), 3);
        assertEquals(250, sample.rows().size());
        assertEquals(profile.columnNames(), sample.columns());
        for (List<String> row : sample.rows()) {
            int age = Integer.parseInt(row.get(0));
            assertTrue(age >= 18 && age <= 90, "age clipped to the seen range: " + age);
            assertTrue(row.get(1).equals("?") || Double.parseDouble(row.get(1)) >= profile.column("income").min()
                    && Double.parseDouble(row.get(1)) <= profile.column("income").max(), row.toString());
            assertTrue(List.of("F", "M").contains(row.get(2)));
            assertTrue(List.of("yes", "no").contains(row.get(3)));
            assertTrue(List.of("true", "false").contains(row.get(4)));
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
        GeneratorCheckpoint.Contents contents = GeneratorCheckpoint.read(folder);
        assertEquals(TvaeSynthesizer.NAME, contents.method());
        // the PyTorch Decoder's state_dict names; the encoder is not needed to sample and is not kept
        assertTrue(contents.weights().keySet().containsAll(List.of("decoder.seq.0.weight", "decoder.seq.2.bias",
                "decoder.seq.4.weight", "decoder.sigma")), contents.weights().keySet().toString());
        assertFalse(contents.weights().keySet().stream().anyMatch(k -> k.startsWith("encoder.")));
        for (float s : contents.weights().get("decoder.sigma").values()) {
            assertTrue(s >= 0.01f && s <= 1f, "sigma clamped to [0.01, 1]: " + s);
        }
        Synthesizer loaded = GeneratorCheckpoint.load(folder);
        try {
            assertInstanceOf(TvaeSynthesizer.class, loaded);
            assertEquals(fitted.sample(80, Map.of(), 17), loaded.sample(80, Map.of(), 17));
            assertEquals(fitted.sample(30, Map.of("readmitted", "no"), 2),
                    loaded.sample(30, Map.of("readmitted", "no"), 2));
        } finally {
            ((TvaeSynthesizer) loaded).close();
        }
    }

    /**
     * Golden values from the library's {@code _loss_function} (sdv-dev/CTGAN v0.12.1 tvae.py) transcribed into a
     * script run with torch 1.13 in float64 on these inputs (spans: tanh 1, softmax 2, softmax 3; factor 2):
     * reconstruction 0.8114460865306965, KLD 0.12296676026006892, d(total)/d(sigma) = [-1.9749682110189273, 0, ...],
     * d(total)/d(recon) row 0 = [0.6301116440678309, -0.12161701587090423, 0.1216170158709042, 0.30220177155045247,
     * -0.39322319597106226, 0.09102142442060987].
     */
    @Test
    void lossMatchesTheLibrarysLossFunction() {
        List<TableEncoder.Span> spans = List.of(new TableEncoder.Span(0, 1, TableEncoder.Activation.TANH),
                new TableEncoder.Span(1, 2, TableEncoder.Activation.SOFTMAX),
                new TableEncoder.Span(3, 3, TableEncoder.Activation.SOFTMAX));
        float[] xValues = {0.25f, 1, 0, 0, 1, 0, -0.6f, 0, 1, 1, 0, 0, 0.9f, 1, 0, 0, 0, 1};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray recon = m.create(new double[] {0.3, 1.0, -0.5, 0.2, 0.1, -1.0, -1.2, -0.3, 0.8, 1.5, -0.2, 0.4,
                    0.7, 0.0, 0.0, -0.6, 2.0, 0.5}, new Shape(3, 6));
            NDArray x = m.create(new double[] {0.25, 1, 0, 0, 1, 0, -0.6, 0, 1, 1, 0, 0, 0.9, 1, 0, 0, 0, 1},
                    new Shape(3, 6));
            NDArray targets = m.create(TvaeSynthesizer.oneHotTargets(xValues, 3, 6, spans), new Shape(3, 6))
                    .toType(DataType.FLOAT64, false);
            NDArray sigma = m.create(new double[] {0.2, 0.1, 0.1, 0.5, 0.1, 0.1});
            NDArray mu = m.create(new double[] {0.1, -0.2, 0.5, 0.3, -0.4, 0.0}, new Shape(3, 2));
            NDArray logvar = m.create(new double[] {-0.1, 0.2, 0.0, -0.5, 0.3, 0.1}, new Shape(3, 2));
            TvaeSynthesizer.SpanMasks masks = TvaeSynthesizer.SpanMasks.of(m, spans, 6, DataType.FLOAT64);
            recon.setRequiresGradient(true);
            sigma.setRequiresGradient(true);
            double reconstruction;
            double kld;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                TvaeSynthesizer.Loss loss = TvaeSynthesizer.loss(recon, x, targets, sigma, mu, logvar, masks, 2);
                collector.backward(loss.total());
                reconstruction = loss.reconstruction().getDouble();
                kld = loss.kld().getDouble();
            }
            assertEquals(0.8114460865306965, reconstruction, 1e-12);
            assertEquals(0.12296676026006892, kld, 1e-12);
            assertArrayEquals(new double[] {-1.9749682110189273, 0, 0, 0, 0, 0},
                    sigma.getGradient().toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {0.6301116440678309, -0.12161701587090423, 0.1216170158709042,
                    0.30220177155045247, -0.39322319597106226, 0.09102142442060987},
                    recon.getGradient().get("0").toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {-3.1274912656375733, -0.3333333333333333, 0.3333333333333333,
                    0.038165235188886856, 0.513846728627401, -0.5520119638162879},
                    recon.getGradient().get("2").toDoubleArray(), 1e-12);
        }
    }

    /**
     * A span whose logits sit 300 below another span's underflows the one-product form; the per-span form takes over
     * and stays exact. Expected by hand: log(e^0.5 + e^-0.3) + (-299.5 + log(e^-0.5 + e^-1.5 + 1)) for row 0, and
     * log(e^0 + e^0) + log(3) for row 1 (three equal logits); the tanh column (7.0) takes no part.
     */
    @Test
    void logSumExpStaysExactWhenASpanUnderflows() {
        List<TableEncoder.Span> spans = List.of(new TableEncoder.Span(0, 1, TableEncoder.Activation.TANH),
                new TableEncoder.Span(1, 2, TableEncoder.Activation.SOFTMAX),
                new TableEncoder.Span(3, 3, TableEncoder.Activation.SOFTMAX));
        try (NDManager m = NDManager.newBaseManager()) {
            TvaeSynthesizer.SpanMasks masks = TvaeSynthesizer.SpanMasks.of(m, spans, 6, DataType.FLOAT64);
            NDArray recon = m.create(new double[] {7.0, 0.5, -0.3, -300, -301, -299.5, 7.0, 0, 0, 1, 1, 1},
                    new Shape(2, 6));
            double expected = Math.log(Math.exp(0.5) + Math.exp(-0.3))
                    + (-299.5 + Math.log(Math.exp(-0.5) + Math.exp(-1.5) + 1)) + Math.log(2) + (1 + Math.log(3));
            assertEquals(expected, TvaeSynthesizer.summedLogSumExp(recon, masks).getDouble(), 1e-12);
            NDArray close = m.create(new double[] {7.0, 0.5, -0.3, -3, -1, -2.5, 7.0, 0, 0, 1, 1, 1}, new Shape(2, 6));
            double expectedClose = Math.log(Math.exp(0.5) + Math.exp(-0.3)) + Math.log(Math.exp(-3) + Math.exp(-1)
                    + Math.exp(-2.5)) + Math.log(2) + (1 + Math.log(3));
            assertEquals(expectedClose, TvaeSynthesizer.summedLogSumExp(close, masks).getDouble(), 1e-12);
        }
    }

    @Test
    void nonFiniteStepsAreSkippedThenDiverge() {
        FitOptions limit3 = FitOptions.silent().withMaxNonFiniteSteps(3);
        try (TvaeSynthesizer s = new TvaeSynthesizer(TINY.withBudget(1, 10), SMALL)) {
            s.injectNonFinite = step -> step == 2;
            s.fit(train, profile, 1, limit3);
            assertEquals(1, s.training().skippedSteps());
            assertEquals(10, s.training().steps());
            s.losses().forEach(l -> assertTrue(Double.isFinite(l.loss()), l.toString()));

            s.injectNonFinite = step -> step >= 4;
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> s.fit(train, profile, 1, limit3));
            assertEquals(WorkbenchException.Kind.DIVERGED, e.kind());
            assertTrue(e.getMessage().contains("step 4 to step 6"), e.getMessage());
        }
    }

    /**
     * Two normals with correlation 0.9: at the library's network sizes and batch, 900 steps keep it (seed 7: 0.896).
     * When the latent starts to carry the pair varies with the seed: at 600 steps fit seeds 7-10 gave 0.87, 0.86,
     * 0.47, 0.87 (the PyTorch reference, scripts/tvae_reference.py, is no faster: 0.35 at 300 steps, 0.44 at 600 on a
     * numpy table of the same law); at 900 steps seeds 9 and 11 gave 0.88 and 0.89.
     */
    @Test
    void learnsTheCorrelationOfTwoNormals() {
        Table real = TinyTables.correlated(500, 0.9, 3);
        TableProfile p = TableProfiler.profile(real);
        try (TvaeSynthesizer s = new TvaeSynthesizer(TvaeConfig.defaults().withBudget(1, 900))) {
            s.fit(real, p, 7);
            Table syn = s.sample(500, Map.of(), 8);
            double rho = pearson(TinyTables.numbers(syn, "x"), TinyTables.numbers(syn, "y"));
            System.out.printf(Locale.ROOT, "tvae: synthetic correlation %.3f after 900 steps (real 0.9)%n", rho);
            assertTrue(rho > 0.75, "synthetic correlation " + rho);
        }
    }

    static double pearson(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
