package dev.workbench.cli;

import dev.workbench.bench.Gpt2Benchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code workbench bench gpt2}: the options of {@link Gpt2Benchmark}. Belongs under {@code bench}. */
@Command(name = "gpt2", mixinStandardHelpOptions = true,
        description = "Measure inference and training forward+backward time and peak memory of a GPT-2-shaped model "
                + "(random weights of a published shape, or a local hf:DIR).")
public final class BenchGpt2Command implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--shape", defaultValue = "distilgpt2",
            description = "distilgpt2, gpt2, gpt2-medium or gpt2-large (default ${DEFAULT-VALUE})")
    String shape;

    @Option(names = "--model", paramLabel = "hf:DIR", description = "measure this Hugging Face folder instead")
    String model;

    @Option(names = "--batch", defaultValue = "1", description = "sequences per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seq", defaultValue = "256", description = "tokens per sequence (default ${DEFAULT-VALUE})")
    int seq;

    @Option(names = "--steps", defaultValue = "3", description = "measured steps after one warm-up (default "
            + "${DEFAULT-VALUE})")
    int steps;

    @Override
    public Integer call() {
        Gpt2Benchmark.run(new Gpt2Benchmark.Settings(shape, model, batch, seq, steps), spec.commandLine().getOut());
        return 0;
    }
}
