package dev.workbench.cli;

import dev.workbench.bench.BenchTables;
import dev.workbench.bench.SynthesisSpeedBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code workbench bench synth}: the options of {@link SynthesisSpeedBenchmark}. Belongs under {@code bench}. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Benchmark CTGAN or TVAE training and sampling on DJL against a PyTorch reference.")
public final class BenchSynthCommand implements Callable<Integer> {
    @Option(names = "--method", defaultValue = "ctgan", description = "ctgan or tvae (default ${DEFAULT-VALUE}).")
    SynthesisSpeedBenchmark.Method method;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", description = "CSV table (default: Adult train if present in the shared data folder ("
            + BenchTables.SHARED_DATA_RULE + "), else a generated table).")
    Path data;

    @Option(names = "--train-rows", defaultValue = "5000", description = "Rows used (seeded subsample; default "
            + "${DEFAULT-VALUE}).")
    int trainRows;

    @Option(names = "--steps", defaultValue = "40", description = "Timed training steps: CTGAN generator steps or "
            + "TVAE optimiser steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed warm-up steps (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--sample-rows", defaultValue = "10000", description = "Rows generated for the sampling figure.")
    int sampleRows;

    @Option(names = "--batch-size", defaultValue = "500")
    int batchSize;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads on both sides (default "
            + "${DEFAULT-VALUE}). DJL reads it at engine start, so use one value per invocation.")
    int threads;

    @Option(names = "--python", description = "Python with torch for the reference (default $WORKBENCH_PYTHON or "
            + "python3).")
    String python;

    @Option(names = "--script", description = "Reference script (default scripts/bench_synth.py, searched upward "
            + "from the working folder).")
    Path script;

    @Option(names = "--no-reference", description = "Skip the PyTorch reference.")
    boolean noReference;

    @Override
    public Integer call() throws Exception {
        SynthesisSpeedBenchmark.run(new SynthesisSpeedBenchmark.Settings(method, data, trainRows, steps, warmup,
                sampleRows, batchSize, threads, python, script, noReference), spec.commandLine().getOut());
        return 0;
    }
}
