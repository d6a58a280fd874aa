package dev.workbench.cli;

import dev.workbench.bench.BaselinesBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code workbench bench baselines TRAIN.csv TEST.csv}: the options of {@link BaselinesBenchmark}. */
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
        BaselinesBenchmark.run(new BaselinesBenchmark.Settings(train, test, textColumn, labelColumn, baselines,
                bootstrap, seed), spec.commandLine().getOut());
        return 0;
    }
}
