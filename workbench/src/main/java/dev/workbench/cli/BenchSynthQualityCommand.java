package dev.workbench.cli;

import dev.workbench.bench.BenchTables;
import dev.workbench.bench.SynthesisQualityBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code workbench bench synth-quality}: the options of {@link SynthesisQualityBenchmark}. Belongs under {@code bench}. */
@Command(name = "synth-quality", mixinStandardHelpOptions = true,
        description = "Fit ctgan, tvae, gaussian-copula and independent on a real table and score them (quality, "
                + "detection, TSTR/TRTR with boosted trees and logistic regression, DCR), with a scikit-learn "
                + "HistGradientBoosting reference of TRTR on the same split.")
public final class BenchSynthQualityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--train", description = "real CSV the synthesizers learn from (default: Adult train in the "
            + "shared data folder: " + BenchTables.SHARED_DATA_RULE + ").")
    Path train;

    @Option(names = "--test", description = "real CSV of unseen rows (default: Adult test with the default --train; "
            + "otherwise a seeded 30 % of --train).")
    Path test;

    @Option(names = "--target", description = "column TSTR/TRTR predict (default: the last column).")
    String target;

    @Option(names = "--drop", split = ",", description = "columns to leave out (e.g. an identifier).")
    List<String> drop = List.of();

    @Option(names = "--train-rows", defaultValue = "5000", description = "seeded sample of the training rows "
            + "(default ${DEFAULT-VALUE}); as many synthetic rows are sampled.")
    int trainRows;

    @Option(names = "--test-rows", defaultValue = "5000", description = "seeded sample of the unseen rows "
            + "(default ${DEFAULT-VALUE}).")
    int testRows;

    @Option(names = "--methods", split = ",", defaultValue = "ctgan,tvae,gaussian-copula,independent")
    List<String> methods;

    @Option(names = "--steps", defaultValue = "3000", description = "CTGAN generator steps / TVAE optimiser steps "
            + "(default ${DEFAULT-VALUE}, the library defaults otherwise).")
    int steps;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--threads", defaultValue = "1", description = "DJL intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--python", description = "Python with scikit-learn and pandas for the reference (default "
            + "$WORKBENCH_PYTHON or python3).")
    String python;

    @Option(names = "--no-reference", description = "Skip the scikit-learn reference.")
    boolean noReference;

    @Override
    public Integer call() throws Exception {
        SynthesisQualityBenchmark.run(new SynthesisQualityBenchmark.Settings(train, test, target, drop, trainRows,
                testRows, methods, steps, seed, threads, python, noReference), spec.commandLine().getOut());
        return 0;
    }
}
