package dev.workbench.cli;

import dev.workbench.bench.ModelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code workbench bench model}: the options of {@link ModelBenchmark}. Belongs under {@code bench}. */
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
        ModelBenchmark.run(new ModelBenchmark.Settings(vocabSize, contextLength, layers, heads, embeddingDim,
                batchSize, steps, generate), spec.commandLine().getOut());
        return 0;
    }
}
