package dev.workbench.cli;

import ai.djl.Device;
import dev.workbench.model.hf.CheckpointRef;
import dev.workbench.model.hf.Gpt2Benchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code workbench bench gpt2}: time and memory of a GPT-2-family model on this machine (belongs under the shared
 * {@code bench} parent command).
 */
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
        Path folder = null;
        if (model != null) {
            if (!model.startsWith(CheckpointRef.HF_PREFIX)) {
                throw dev.workbench.recipe.WorkbenchException.invalid("--model takes hf:DIR, got " + model);
            }
            folder = CheckpointRef.resolve(model).folder();
        }
        Gpt2Benchmark.Measurement m = Gpt2Benchmark.run(Gpt2Benchmark.shape(shape), folder, batch, seq, steps,
                Device.cpu());
        spec.commandLine().getOut().printf(Locale.ROOT,
                "%s: %,d parameters, batch %d x %d tokens, %d steps, threads %s%n"
                        + "  load %.1f s, RSS after load %.0f MiB%n"
                        + "  inference forward %.0f ms/step wall, %.0f ms CPU%n"
                        + "  training forward+backward %.0f ms/step wall (%.0f tokens/s), %.0f ms CPU%n"
                        + "  peak RSS %.0f MiB%n",
                model == null ? shape : model, m.parameters(), m.batchSize(), m.sequenceLength(), m.steps(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"), m.loadSeconds(),
                m.rssAfterLoadBytes() / 1048576.0, m.forwardMs(), m.forwardCpuMs(), m.trainStepMs(),
                m.trainTokensPerSecond(), m.trainStepCpuMs(),
                m.rssPeakBytes() / 1048576.0);
        return 0;
    }
}
