package dev.workbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.ColumnType;
import dev.workbench.data.Table;
import dev.workbench.eval.CsvFiles;
import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.eval.SyntheticMetrics;
import dev.workbench.eval.TribuoModels;
import dev.workbench.recipe.Synthesize;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.synth.CtganConfig;
import dev.workbench.synth.Synthesizer;
import dev.workbench.synth.Synthesizers;
import dev.workbench.synth.SyntheticCsv;
import dev.workbench.synth.TableProfile;
import dev.workbench.synth.TableProfiler;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * {@code workbench bench synth-quality}: every synthesizer fitted on a seeded sample of a real table and scored by the
 * evaluate stage's metrics (SDMetrics quality against the rows it was fitted on, both pair-trend modes; logistic and
 * boosted-tree detection, boosted-tree and logistic TSTR/TRTR and DCR against real rows it never saw), with
 * scikit-learn's HistGradientBoostingClassifier on the same train/test rows ({@code scripts/hgb_reference.py}) run in
 * the same invocation as the check of the boosted model's real-data ceiling.
 */
public final class SynthesisQualityBenchmark {

    /**
     * @param train real CSV the synthesizers learn from; null: Adult train
     * @param test real CSV of unseen rows; null: Adult test with the default train, otherwise a seeded 30 % of train
     * @param target column TSTR/TRTR predict; null: the last column
     * @param drop columns to leave out
     * @param steps CTGAN generator steps / TVAE optimiser steps
     * @param python Python with scikit-learn and pandas for the reference; null: $WORKBENCH_PYTHON or python3
     */
    public record Settings(Path train, Path test, String target, List<String> drop, int trainRows, int testRows,
                           List<String> methods, int steps, long seed, int threads, String python,
                           boolean noReference) {
    }

    private SynthesisQualityBenchmark() {
    }

    public static void run(Settings settings, PrintWriter out) throws IOException, InterruptedException {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(settings.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Path trainFile = settings.train() != null ? settings.train() : BenchTables.adultTrain();
        if (!Files.isRegularFile(trainFile)) {
            throw WorkbenchException.invalid("bench synth-quality: no training table " + trainFile + " (give --train)");
        }
        List<String> drop = settings.drop();
        long seed = settings.seed();
        Table all = withoutColumns(SyntheticCsv.read(trainFile), drop, trainFile);
        Path adultTest = BenchTables.adultTest();
        Path testFile = settings.test() != null ? settings.test()
                : settings.train() == null && Files.isRegularFile(adultTest) ? adultTest : null;
        List<List<String>> realTrain;
        List<List<String>> realTest;
        List<String> columns = all.columns();
        if (testFile != null) {
            realTrain = BenchTables.sample(all.rows(), settings.trainRows(), seed);
            realTest = BenchTables.sample(CsvFiles.align(withoutColumns(SyntheticCsv.read(testFile), drop, testFile),
                    columns), settings.testRows(), seed + 1);
        } else {
            List<List<String>> rows = new ArrayList<>(all.rows());
            Collections.shuffle(rows, new Random(seed));
            int cut = (int) Math.round(rows.size() * SyntheticEvaluation.FILE_TRAIN_SHARE);
            realTrain = BenchTables.sample(rows.subList(0, cut), settings.trainRows(), seed);
            realTest = BenchTables.sample(rows.subList(cut, rows.size()), settings.testRows(), seed + 1);
        }
        String label = settings.target() != null ? settings.target() : columns.get(columns.size() - 1);
        if (!columns.contains(label)) {
            throw WorkbenchException.invalid("bench synth-quality: --target " + label + " is not a column of "
                    + trainFile + " (columns: " + columns + ")");
        }
        Table trainTable = all.withRows(realTrain);
        TableProfile profile = TableProfiler.profile(trainTable);
        List<ColumnType> types = ColumnType.forColumns(columns, realTrain, Map.of());
        out.printf(Locale.ROOT, "table: %s, %d training rows, %d unseen rows (%s), %d columns, target %s; seed %d; "
                        + "ctgan/tvae %d steps, %d DJL thread(s)%n", trainFile.getFileName(), realTrain.size(),
                realTest.size(), testFile == null ? "30 % split" : testFile.getFileName(), columns.size(), label,
                seed, settings.steps(), settings.threads());
        out.println("quality = SDMetrics QualityReport against the training rows (shared real bin edges); detection, "
                + "TSTR/TRTR and DCR against the unseen rows; F1 = macro-F1");
        out.printf(Locale.ROOT, "%n| method | quality | quality (thresholded) | column shapes | pair trends | pair "
                + "trends (thresholded) | detection (logistic) | detection (trees) | TSTR F1 (trees) | TSTR F1 "
                + "(logistic) | new-row synthesis | DCR overfitting protection | fit + sample s |%n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|%n");
        out.flush();
        Synthesize section = CtganConfig.defaults().withBudget(0, settings.steps()).asSection(settings.methods());
        SyntheticEvaluation.Result last = null;
        for (String method : settings.methods()) {
            long start = System.nanoTime();
            Table synthetic;
            try (Synthesizer synthesizer = Synthesizers.create(method, section)) {
                synthesizer.fit(trainTable, profile, seed);
                synthetic = synthesizer.sample(realTrain.size(), Map.of(), seed + 2);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            SyntheticEvaluation.Result r = SyntheticEvaluation.evaluate(new SyntheticEvaluation.Inputs(columns, types,
                    realTrain, realTest, realTrain, CsvFiles.align(synthetic, columns), Optional.of(label),
                    SyntheticMetrics.PairBinning.REAL_EDGES, SyntheticEvaluation.Holdout.TRUE_HOLDOUT), seed);
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f |%n", method,
                    f(r.quality()), f(r.qualityThresholded()), f(r.columnShapes()), f(r.columnPairTrends()),
                    f(r.columnPairTrendsThresholded()), f(r.detectionScore()), f(r.detectionTreeScore()),
                    f(r.efficacyIfAny().map(SyntheticEvaluation.Efficacy::tstrMacroF1).orElse(Double.NaN)),
                    f(r.efficacyLogisticIfAny().map(SyntheticEvaluation.Efficacy::tstrMacroF1).orElse(Double.NaN)),
                    f(r.privacyIfAny().map(SyntheticEvaluation.PrivacyScores::newRowSynthesis).orElse(Double.NaN)),
                    f(r.privacyIfAny().map(SyntheticEvaluation.PrivacyScores::overfittingProtection)
                            .orElse(Double.NaN)), seconds);
            out.flush();
            last = r;
        }
        if (last == null) {
            return;
        }
        double trtrTrees = last.efficacyIfAny().map(SyntheticEvaluation.Efficacy::trtrMacroF1).orElse(Double.NaN);
        double trtrLogistic = last.efficacyLogisticIfAny().map(SyntheticEvaluation.Efficacy::trtrMacroF1)
                .orElse(Double.NaN);
        JsonNode reference = settings.noReference() ? null
                : hgbReference(settings, trainTable, all.withRows(realTest), label, types, out);
        out.printf(Locale.ROOT, "%n| real-data ceiling (TRTR, %s) | macro-F1 | accuracy |%n|---|---|---|%n", label);
        out.printf(Locale.ROOT, "| boosted trees (Tribuo XGBoost, %d rounds, depth %d) | %s | %s |%n",
                TribuoModels.BOOSTED_ROUNDS, TribuoModels.BOOSTED_MAX_DEPTH,
                f(trtrTrees), f(last.efficacyIfAny().map(SyntheticEvaluation.Efficacy::trtrAccuracy)
                        .orElse(Double.NaN)));
        out.printf(Locale.ROOT, "| logistic regression (Tribuo SGD) | %s | %s |%n", f(trtrLogistic),
                f(last.efficacyLogisticIfAny().map(SyntheticEvaluation.Efficacy::trtrAccuracy).orElse(Double.NaN)));
        if (reference != null) {
            double hgb = reference.path("macro_f1").asDouble();
            out.printf(Locale.ROOT, "| scikit-learn %s HistGradientBoostingClassifier (reference) | %s | %s |%n",
                    reference.path("sklearn").asText(), f(hgb), f(reference.path("accuracy").asDouble()));
            out.printf(Locale.ROOT, "%nboosted trees - HistGradientBoosting macro-F1: %+.4f%n", trtrTrees - hgb);
        }
        out.flush();
    }

    private static JsonNode hgbReference(Settings settings, Table trainTable, Table testTable, String label,
                                         List<ColumnType> types, PrintWriter out)
            throws IOException, InterruptedException {
        Optional<Path> script = Checkout.script("hgb_reference.py");
        if (script.isEmpty()) {
            out.println("reference: scripts/hgb_reference.py not found; skipped");
            return null;
        }
        Path dir = Files.createTempDirectory("bench-synth-quality");
        try {
            Path trainCsv = dir.resolve("train.csv");
            Path testCsv = dir.resolve("test.csv");
            SyntheticCsv.write(trainCsv, trainTable);
            SyntheticCsv.write(testCsv, testTable);
            List<String> categorical = new ArrayList<>();
            for (int c = 0; c < types.size(); c++) {
                if (!types.get(c).numeric()) {
                    categorical.add(trainTable.columns().get(c));
                }
            }
            Map<String, Object> specJson = new LinkedHashMap<>();
            specJson.put("train", trainCsv.toString());
            specJson.put("test", testCsv.toString());
            specJson.put("target", label);
            specJson.put("categorical", categorical);
            specJson.put("seed", settings.seed());
            Path specFile = dir.resolve("spec.json");
            new ObjectMapper().writeValue(specFile.toFile(), specJson);
            return PythonReference.runJsonScript(settings.python(), script.get(), specFile, settings.threads(), out);
        } finally {
            AtomicDirectory.deleteRecursively(dir);
        }
    }

    private static Table withoutColumns(Table table, List<String> drop, Path file) {
        if (drop.isEmpty()) {
            return table;
        }
        List<String> keep = new ArrayList<>();
        for (String c : table.columns()) {
            if (!drop.contains(c)) {
                keep.add(c);
            }
        }
        for (String d : drop) {
            if (!table.columns().contains(d)) {
                throw WorkbenchException.invalid("bench synth-quality: --drop " + d + " is not a column of " + file);
            }
        }
        return new Table(keep, CsvFiles.align(table, keep));
    }

    private static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
    }
}
