package dev.workbench.cli;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.Checkpoint;
import dev.workbench.model.Generator;
import dev.workbench.model.GptModel;
import dev.workbench.model.SamplingConfig;
import dev.workbench.model.Tokenizer;
import dev.workbench.model.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code workbench generate CHECKPOINT --prompt TEXT}: sample a continuation from a language model checkpoint. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a language model checkpoint (LoRA adapters are applied).")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "checkpoint folder (holds config.json)")
    Path checkpoint;

    @Option(names = "--prompt", required = true, description = "text to continue")
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "100", description = "at most this many tokens (default 100)")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0.8", description = "0 = greedy (default 0.8)")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "keep the K most likely tokens; 0 = all (default)")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "nucleus sampling mass; 1 = off (default)")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed (default 0)")
    long seed;

    @Override
    public Integer call() {
        SamplingConfig sampling = new SamplingConfig(maxNewTokens, temperature, topK, topP, seed);
        Checkpoint opened = Checkpoint.open(checkpoint);
        Tokenizer tokenizer = opened.loadTokenizer(Tokenizers::load);
        try (NDManager manager = NDManager.newBaseManager()) {
            GptModel model = opened.loadLanguageModel(manager);
            String continuation = new Generator(model).generate(tokenizer, prompt, sampling);
            spec.commandLine().getOut().println(prompt + continuation);
        }
        return 0;
    }
}
