package dev.workbench.bench;

import dev.workbench.data.LabelledExample;
import dev.workbench.eval.ClassifierEvaluation;
import dev.workbench.eval.PredictionFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code workbench bench baselines TRAIN.csv TEST.csv}: the evaluate stage's Tribuo text-classifier baselines on any
 * labelled train/test pair (e.g. BANKING77), with bootstrap intervals and wall time.
 */
public final class BaselinesBenchmark {

    public record Settings(Path train, Path test, String textColumn, String labelColumn, List<String> baselines,
                           int bootstrap, long seed) {
    }

    private BaselinesBenchmark() {
    }

    public static void run(Settings settings, PrintWriter out) throws IOException {
        List<LabelledExample> trainSet = ClassifierEvaluation.readLabelled(settings.train(), settings.textColumn(),
                settings.labelColumn());
        List<LabelledExample> testSet = ClassifierEvaluation.readLabelled(settings.test(), settings.textColumn(),
                settings.labelColumn());
        out.printf(Locale.ROOT, "train %d, test %d%n%n| baseline | accuracy | 95%% CI | macro-F1 | 95%% CI | ECE | "
                + "seconds |%n|---|---|---|---|---|---|---|%n", trainSet.size(), testSet.size());
        for (String name : settings.baselines()) {
            long start = System.nanoTime();
            List<PredictionFiles.ClassifierPrediction> predictions = ClassifierEvaluation.baseline(name, trainSet,
                    testSet, settings.seed());
            double seconds = (System.nanoTime() - start) / 1e9;
            ClassifierEvaluation.Scores s = ClassifierEvaluation.score(name, predictions, settings.bootstrap(), 0.95,
                    settings.seed());
            out.printf(Locale.ROOT, "| %s | %.4f | %.4f–%.4f | %.4f | %.4f–%.4f | %s | %.1f |%n", name, s.accuracy(),
                    s.accuracyCi().low(), s.accuracyCi().high(), s.macroF1(), s.macroF1Ci().low(),
                    s.macroF1Ci().high(), Double.isNaN(s.ece()) ? "n/a" : String.format(Locale.ROOT, "%.4f", s.ece()),
                    seconds);
            out.flush();
        }
    }
}
