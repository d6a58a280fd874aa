package dev.workbench.cli;

import dev.workbench.bench.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code workbench bench train}: the options of {@link TrainingBenchmark}. Belongs under {@code bench}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training throughput (tokens/s) and peak memory of the workbench GPT vs a PyTorch reference.")
public final class BenchTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--presets", split = ",", defaultValue = "nano,micro", description = "default: ${DEFAULT-VALUE}")
    List<String> presets;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "8,16", description = "default: ${DEFAULT-VALUE}")
    List<Integer> batchSizes;

    @Option(names = "--steps", defaultValue = "10", description = "measured steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up steps (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--python", defaultValue = "python3",
            description = "Python with torch for the reference; 'none' skips it (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--script", defaultValue = "scripts/bench_train.py", description = "default: ${DEFAULT-VALUE}")
    Path script;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N, for the workbench and the "
            + "PyTorch references alike (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        TrainingBenchmark.run(new TrainingBenchmark.Settings(presets, batchSizes, steps, warmup, python, script,
                device),
                spec.commandLine().getOut());
        return 0;
    }
}
