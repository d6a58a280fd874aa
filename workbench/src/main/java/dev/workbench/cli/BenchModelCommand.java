package dev.workbench.cli;

import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.ModelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code workbench bench model}: training, generation and checkpoint throughput of a GPT of the given size on random
 * tokens. Belongs under the {@code bench} parent command.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Measure training steps/s, tokens/s, generation tokens/s and checkpoint save/load time.")
public final class BenchModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--vocab-size", defaultValue = "257", description = "default ${DEFAULT-VALUE} (byte tokenizer)")
    int vocabSize;

    @Option(names = "--context-length", defaultValue = "128", description = "default ${DEFAULT-VALUE}")
    int contextLength;

    @Option(names = "--layers", defaultValue = "4", description = "default ${DEFAULT-VALUE}")
    int layers;

    @Option(names = "--heads", defaultValue = "4", description = "default ${DEFAULT-VALUE}")
    int heads;

    @Option(names = "--embedding-dim", defaultValue = "128", description = "default ${DEFAULT-VALUE}")
    int embeddingDim;

    @Option(names = "--batch-size", defaultValue = "8", description = "default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--steps", defaultValue = "20", description = "timed training steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--generate", defaultValue = "64", description = "greedy tokens to time (default ${DEFAULT-VALUE})")
    int generate;

    @Override
    public Integer call() throws IOException {
        Offline.enforce();
        GptConfig config = new GptConfig(vocabSize, contextLength, layers, heads, embeddingDim, 0.1);
        ModelBenchmark.Result r = ModelBenchmark.run(config, batchSize, steps, generate, 0);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model      %d layers, %d heads, dim %d, context %d, vocab %d: %,d parameters%n",
                layers, heads, embeddingDim, contextLength, vocabSize, r.parameters());
        out.printf(Locale.ROOT, "train      batch %d: %.1f ms/step, %,.0f tokens/s (%d timed steps, AdamW)%n",
                batchSize, r.msPerStep(), r.trainTokensPerSecond(), r.timedSteps());
        out.printf(Locale.ROOT, "generate   %.1f tokens/s (greedy, key/value cache)%n", r.generatedTokensPerSecond());
        out.printf(Locale.ROOT, "checkpoint %,d bytes; save %.3f s, load %.3f s%n", r.checkpointBytes(),
                r.saveSeconds(), r.loadSeconds());
        out.flush();
        return 0;
    }
}
