package dev.workbench.cli;

import dev.workbench.bench.BenchTables;
import dev.workbench.bench.SynthesisEvidence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code workbench bench synth-evidence}: the options of {@link SynthesisEvidence}, the budget sweep behind
 * BENCHMARKS.md's "Synthesis quality" and docs/synthesis.md's TVAE figures. Belongs under {@code bench}.
 */
@Command(name = "synth-evidence", mixinStandardHelpOptions = true,
        description = "Fit synthesizers on a whole table at a training budget and score how they keep pair-wise "
                + "relationships (mean |rho diff|, association error, thresholded pair trends), column shapes and "
                + "copied rows.")
public final class BenchSynthEvidenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--table", description = "real CSV (default: datasets/quickstart/table.csv of the checkout).")
    Path table;

    @Option(names = "--adult", description = "use the seeded 5,000-row sample of Adult train in the shared data "
            + "folder (" + BenchTables.SHARED_DATA_RULE + ") instead of --table.")
    boolean adult;

    @Option(names = "--methods", split = ",", defaultValue = "independent,gaussian-copula,ctgan",
            description = "default: ${DEFAULT-VALUE}")
    List<String> methods;

    @Option(names = "--steps", defaultValue = "3000", description = "CTGAN generator steps / TVAE optimiser steps "
            + "(default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "500", description = "default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--width", defaultValue = "256", description = "CTGAN generator and critic layer width, two "
            + "layers each (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--learning-rate", defaultValue = "2e-4", description = "CTGAN generator and critic Adam rate "
            + "(default ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--dump", paramLabel = "DIR", description = "write each synthetic table (METHOD.csv) and generator "
            + "(METHOD/) here, e.g. for scripts/ctgan_reference.py score or workbench evaluate-synthetic.")
    Path dump;

    @Override
    public Integer call() throws Exception {
        SynthesisEvidence.run(new SynthesisEvidence.Settings(table, adult, methods, steps, batchSize, width,
                learningRate, dump), spec.commandLine().getOut());
        return 0;
    }
}
