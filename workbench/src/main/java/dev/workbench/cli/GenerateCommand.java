package dev.workbench.cli;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.Generator;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.SamplingConfig;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.model.hf.CheckpointRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/**
 * {@code workbench generate --checkpoint X --prompt TEXT [--max-tokens N --temperature T --top-k K --top-p P
 * --seed S]}:
 * sample a continuation from a language model checkpoint.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a language model checkpoint (LoRA adapters are applied).")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--prompt", required = true, description = "text to continue")
    String prompt;

    @Option(names = {"--max-new-tokens", "--max-tokens"}, defaultValue = "100", paramLabel = "N",
            description = "at most this many new tokens, as evaluate.max_new_tokens in a recipe (default 100; "
                    + "--max-tokens is an alias)")
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
        CheckpointRef ref = checkpoint.languageModel();
        Tokenizer tokenizer = ref.loadTokenizer();
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel model = ref.loadLanguageModel(manager);
            String continuation = new Generator(model).generate(tokenizer, prompt, sampling);
            spec.commandLine().getOut().println(prompt + continuation);
        }
        return 0;
    }
}
