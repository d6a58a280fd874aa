package dev.workbench.synth;

import dev.workbench.data.ColumnType;
import dev.workbench.data.PreparedData;
import dev.workbench.data.Splits;
import dev.workbench.data.Table;
import dev.workbench.plan.RunContext;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.SynthesisMethod;
import dev.workbench.recipe.Synthesize;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthesizeStageTest {

    static Synthesize tinyRecipe(List<String> methods) {
        return new Synthesize(methods, Optional.of(150), 1, 60, 60, 5, 16, List.of(32, 32), List.of(32, 32),
                2e-3, 2e-3, true, true, 0.5, true);
    }

    @Test
    void writesCsvsGeneratorsLossesAndMetricRows(@TempDir Path dir) throws Exception {
        Table real = TinyTables.patients(300, 8);
        Path folder = dir.resolve("synthetic");
        SynthesizeStage.Result result = SynthesizeStage.run(real, Map.of(), List.of("visit"),
                tinyRecipe(SynthesisMethod.names()), 7, folder, "medical/table",
                new PrintStream(OutputStream.nullOutputStream()));
        for (String method : SynthesisMethod.names()) {
            Table synthetic = SyntheticCsv.read(folder.resolve(method + ".csv"));
            assertEquals(150, synthetic.rows().size(), method);
            assertEquals(List.of("age", "income", "sex", "readmitted", "smoker"), synthetic.columns(),
                    "dropped column left out");
            assertTrue(AtomicDirectory.isCommitted(folder.resolve(method).resolve(RunFolder.GENERATOR)));
            assertTrue(result.metrics().stream().anyMatch(m -> m.subject().equals(method)
                    && m.metric().equals("fit_seconds")));
        }
        List<String> losses = Files.readAllLines(folder.resolve("ctgan").resolve(RunFolder.LOSSES));
        try (var tables = Files.list(folder)) {
            // the evaluate stage and the report take every CSV directly in synthetic/ for a method's table
            assertEquals(List.of("ctgan.csv", "gaussian-copula.csv", "independent.csv", "tvae.csv"), tables
                    .map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".csv")).sorted().toList());
        }
        assertEquals("epoch,generator_steps,generator_loss,critic_loss,gradient_penalty,seconds", losses.get(0));
        assertEquals(1 + 12, losses.size(), "60 steps at 5 steps per epoch = 12 epochs");
        MetricRow steps = result.metrics().stream().filter(m -> m.metric().equals("generator_steps")).findFirst()
                .orElseThrow();
        assertEquals(60, steps.value());
        assertTrue(result.metrics().stream().anyMatch(m -> m.metric().equals("critic_loss_final")
                && m.stage().equals("synthesize") && m.dataset().equals("medical/table")));
        assertTrue(result.metrics().stream().anyMatch(m -> m.subject().equals("tvae")
                && m.metric().equals("training_steps") && m.value() == 60));
        assertTrue(result.metrics().stream().anyMatch(m -> m.subject().equals("tvae")
                && m.metric().equals("loss_final") && Double.isFinite(m.value())));
        assertTrue(Files.isRegularFile(folder.resolve(RunFolder.PROFILE)));
        assertEquals(List.of("ctgan: 60 generator steps (max(1 epochs x 5 steps, 60 steps)), batch 60, pac 5, "
                        + "150 rows sampled", "independent: 150 rows sampled", "gaussian-copula: 150 rows sampled",
                        "tvae: 60 steps (max(1 epochs x 5 steps, 60 steps)), batch 60, 150 rows sampled"),
                SynthesizeStage.planLines(tinyRecipe(SynthesisMethod.names()), 300));

        // Quick sanity metrics (fidelity proper is the evaluate stage's). Every method: boundary and category
        // adherence are 1 (ages inside the seen range, only seen categories). Baselines: the age KS complement beats
        // a uniform-in-range sample. CTGAN after 60 steps: the mean TV complement of the categorical columns beats
        // uniformly drawn categories (the floor of any synthesizer).
        double[] realAge = TinyTables.numbers(real, "age");
        double[] uniform = new double[150];
        Random random = new Random(1);
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = Math.round(18 + random.nextDouble() * 72);
        }
        double ksFloor = 1 - BaselineSynthesizersTest.ks(realAge, uniform);
        TableProfile profile = result.profile();
        for (String method : SynthesisMethod.names()) {
            Table synthetic = SyntheticCsv.read(folder.resolve(method + ".csv"));
            for (List<String> row : synthetic.rows()) {
                double age = Double.parseDouble(row.get(0));
                assertTrue(age >= profile.column("age").min() && age <= profile.column("age").max(), method);
                assertTrue(profile.column("sex").categories().contains(row.get(2)), method);
            }
            double ks = 1 - BaselineSynthesizersTest.ks(realAge, TinyTables.numbers(synthetic, "age"));
            double tv = 0;
            double tvFloor = 0;
            for (String column : List.of("sex", "readmitted", "smoker")) {
                tv += tvComplement(real, synthetic, column) / 3;
                tvFloor += (1 - 0.5 * profile.column(column).categories().stream()
                        .mapToDouble(v -> Math.abs(share(real, column, v) - 0.5)).sum()) / 3;
            }
            System.out.printf("sanity: %s age KS complement %.3f (uniform %.3f), categorical TV complement %.3f "
                    + "(uniform %.3f)%n", method, ks, ksFloor, tv, tvFloor);
            if (method.equals(TvaeSynthesizer.NAME)) {
                // no floor for tvae after 60 steps: the latent does not carry the categories yet, and the argmax
                // decoding (the library's) gives most rows the majority category (measured TV complement 0.677 vs
                // uniform 0.823); TvaeSynthesizerTest holds it to a correlation after a real budget
                continue;
            }
            if (method.equals(CtganSynthesizer.NAME)) {
                assertTrue(tv > tvFloor, method + " TV complement " + tv + " vs uniform " + tvFloor);
            } else {
                assertTrue(ks > ksFloor, method + " age KS complement " + ks + " vs uniform " + ksFloor);
            }
        }
    }

    private static double share(Table table, String column, String value) {
        int index = table.columnIndex(column);
        return table.rows().stream().filter(r -> r.get(index).equals(value)).count() / (double) table.rows().size();
    }

    private static double tvComplement(Table real, Table synthetic, String column) {
        return 1 - 0.5 * TableProfiler.profile(real).column(column).categories().stream()
                .mapToDouble(v -> Math.abs(share(real, column, v) - share(synthetic, column, v))).sum();
    }

    @Test
    void runsAsAStageFromARunContext(@TempDir Path dir) throws Exception {
        Table real = TinyTables.patients(120, 3);
        Corpus corpus = new Corpus(Optional.empty(), Optional.empty(), Optional.of(new Corpus.TableSource(
                dir.resolve("table.csv"), Corpus.Format.CSV, Optional.of("readmitted"), Map.of("smoker", "categorical"),
                List.of("visit"))), Corpus.BadRowPolicy.ERROR);
        Recipe recipe = new Recipe("medical", "", 7, "medical", null, corpus, null, null, Optional.empty(),
                Optional.of(tinyRecipe(List.of("independent", "gaussian-copula"))), null, null,
                dir.resolve("recipe.yaml"));
        PreparedData data = new PreparedData(Optional.empty(), Optional.empty(),
                Optional.of(new Splits<>(real.rows(), List.of(), List.of())),
                Optional.of(new Table(real.columns(), List.of())), Map.of(), Map.of());
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        MetricsLog metrics = new MetricsLog(run.resolve("metrics.jsonl"));
        RunContext context = new RunContext(recipe, "r1", run, dir.resolve("report"), dir, data, metrics,
                Optional.empty(), new PrintStream(OutputStream.nullOutputStream()));
        SynthesizeStage stage = new SynthesizeStage();
        assertEquals("synthesize", stage.name());
        assertTrue(stage.enabled(recipe));
        stage.run(context);
        assertEquals(150, SyntheticCsv.read(RunFolder.syntheticTable(run, "independent")).rows().size());
        assertTrue(AtomicDirectory.isCommitted(RunFolder.generator(run, "gaussian-copula")));
        List<MetricRow> rows = MetricsLog.read(run.resolve("metrics.jsonl"));
        assertEquals(4, rows.size(), "fit_seconds and sample_seconds for two methods");
        assertTrue(rows.stream().allMatch(r -> r.stage().equals("synthesize") && r.dataset().equals("medical/table")
                && r.n() == (r.metric().equals("fit_seconds") ? 120 : 150)), rows.toString());
        TableProfile profile = GeneratorCheckpoint.JSON.readValue(run.resolve("synthetic/profile.json").toFile(),
                TableProfile.class);
        assertEquals(ColumnType.CATEGORICAL, profile.column("smoker").type(), "recipe override applied");
    }

    @Test
    void augmentationAppendsRatioTimesRealRows(@TempDir Path dir) throws Exception {
        Table real = TinyTables.patients(100, 2);
        TableProfile profile = TableProfiler.profile(real, Map.of(), List.of("visit"));
        IndependentSynthesizer independent = new IndependentSynthesizer(new BaselineConfig(true));
        independent.fit(real, profile, 1);
        Table synthetic = independent.sample(30, Map.of(), 1);
        Table augmented = Augmentation.augment(real, synthetic, 0.5, 3);
        assertEquals(150, augmented.rows().size());
        assertEquals(real.columns(), augmented.columns());
        assertEquals(real.rows(), augmented.rows().subList(0, 100));
        assertTrue(augmented.rows().subList(100, 150).stream().allMatch(r -> r.get(5).isEmpty()),
                "the unmodelled column is empty in synthetic rows");
        Path generator = dir.resolve("generator");
        independent.save(generator);
        Table fromGenerator = Augmentation.augment(real, generator, 0.3, Map.of("readmitted", "yes"), 4);
        assertEquals(130, fromGenerator.rows().size());
        assertTrue(fromGenerator.rows().subList(100, 130).stream().allMatch(r -> r.get(3).equals("yes")));
        assertEquals(Arrays.asList(0, 1), List.of(Augmentation.syntheticRows(1, 0.4), Augmentation.syntheticRows(1,
                0.5)));
    }

    @Test
    void augmentedTrainingTableTagsEveryRowWithItsSource(@TempDir Path dir) throws Exception {
        Table real = new Table(List.of("a", "y"), List.of(List.of("1", "no"), List.of("2", "yes")));
        Table synthetic = new Table(List.of("a", "y"), List.of(List.of("7", "no"), List.of("8", "yes"),
                List.of("9", "no")));
        Path file = dir.resolve(RunFolder.AUGMENTED_TRAIN);
        Augmentation.writeTagged(file, real, synthetic, 1.0, 3, "run-1/ctgan");
        Table tagged = SyntheticCsv.read(file);
        assertEquals(List.of("a", "y", RunFolder.SOURCE_COLUMN), tagged.columns());
        assertEquals(4, tagged.rows().size(), "2 real rows + round(1.0 x 2) synthetic rows");
        assertEquals(List.of("1", "no", "real"), tagged.rows().get(0));
        assertEquals(List.of("2", "yes", "real"), tagged.rows().get(1));
        for (List<String> row : tagged.rows().subList(2, 4)) {
            assertEquals("synthetic:run-1/ctgan", row.get(2));
            assertTrue(List.of("7", "8", "9").contains(row.get(0)), "synthetic rows come from the synthetic table");
        }
    }
}
