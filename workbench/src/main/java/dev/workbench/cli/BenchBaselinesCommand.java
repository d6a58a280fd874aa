package dev.workbench.cli;

import dev.workbench.data.LabelledExample;
import dev.workbench.eval.ClassifierEvaluation;
import dev.workbench.eval.PredictionFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code workbench bench baselines TRAIN.csv TEST.csv}: the Tribuo text-classifier baselines of the evaluate stage on
 * any labelled train/test pair (e.g. BANKING77), with bootstrap intervals and wall time. Belongs under {@code bench}.
 */
@Command(name = "baselines", mixinStandardHelpOptions = true,
        description = "Train the classifier baselines (majority, tfidf-logreg) on TRAIN.csv and score them on TEST.csv.")
public final class BenchBaselinesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRAIN.csv")
    Path train;

    @Parameters(index = "1", paramLabel = "TEST.csv")
    Path test;

    @Option(names = "--text-column", defaultValue = "text")
    String textColumn;

    @Option(names = "--label-column", defaultValue = "label")
    String labelColumn;

    @Option(names = "--baselines", split = ",", defaultValue = "majority,tfidf-logreg")
    List<String> baselines;

    @Option(names = "--bootstrap", defaultValue = "1000")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Override
    public Integer call() throws Exception {
        List<LabelledExample> trainSet = ClassifierEvaluation.readLabelled(train, textColumn, labelColumn);
        List<LabelledExample> testSet = ClassifierEvaluation.readLabelled(test, textColumn, labelColumn);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "train %d, test %d%n%n| baseline | accuracy | 95%% CI | macro-F1 | 95%% CI | ECE | "
                + "seconds |%n|---|---|---|---|---|---|---|%n", trainSet.size(), testSet.size());
        for (String name : baselines) {
            long start = System.nanoTime();
            List<PredictionFiles.ClassifierPrediction> predictions = ClassifierEvaluation.baseline(name, trainSet,
                    testSet, seed);
            double seconds = (System.nanoTime() - start) / 1e9;
            ClassifierEvaluation.Scores s = ClassifierEvaluation.score(name, predictions, bootstrap, 0.95, seed);
            out.printf(Locale.ROOT, "| %s | %.4f | %.4f–%.4f | %.4f | %.4f–%.4f | %s | %.1f |%n", name, s.accuracy(),
                    s.accuracyCi().low(), s.accuracyCi().high(), s.macroF1(), s.macroF1Ci().low(),
                    s.macroF1Ci().high(), Double.isNaN(s.ece()) ? "n/a" : String.format(Locale.ROOT, "%.4f", s.ece()),
                    seconds);
            out.flush();
        }
        return 0;
    }
}
