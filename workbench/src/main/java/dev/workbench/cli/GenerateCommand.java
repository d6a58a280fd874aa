package dev.workbench.cli;

import ai.djl.ndarray.NDManager;
import dev.workbench.data.chat.ChatTemplate;
import dev.workbench.data.chat.ChatTemplates;
import dev.workbench.model.Generator;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.SamplingConfig;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.model.hf.CheckpointRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
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

    @Option(names = "--chat", description = "--prompt is a user's message: render it through the checkpoint's "
            + "chat template (chat_template.jinja, as an instruct run's checkpoints record it, or "
            + "tokenizer_config.json's chat_template) with the generation prompt, stop at the template's end of "
            + "turn, and print only the reply")
    boolean chat;

    @Override
    public Integer call() {
        SamplingConfig sampling = new SamplingConfig(maxNewTokens, temperature, topK, topP, seed);
        CheckpointRef ref = checkpoint.languageModel();
        Tokenizer tokenizer = ref.loadTokenizer();
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel model = ref.loadLanguageModel(manager);
            if (chat) {
                spec.commandLine().getOut().println(reply(new Generator(model), tokenizer,
                        chatTemplate(ref.folder(), tokenizer), prompt, sampling));
                return 0;
            }
            String continuation = new Generator(model).generate(tokenizer, prompt, sampling);
            spec.commandLine().getOut().println(prompt + continuation);
        }
        return 0;
    }

    /** The checkpoint folder's own chat template, with the special tokens as the instruct task resolved them. */
    static ChatTemplate chatTemplate(Path folder, Tokenizer tokenizer) {
        return TaskPlanner.checkpointChatTemplate(folder, tokenizer).orElseThrow(() -> WorkbenchException.invalid(
                folder + ": no chat template (neither " + ChatTemplates.FILE + " nor a chat_template in "
                        + "tokenizer_config.json); --chat needs a checkpoint of an instruct run (hint: drop --chat "
                        + "to continue the prompt as plain text)"));
    }

    /**
     * The assistant's reply to {@code message}: generated after the template's rendering of one user turn with the
     * generation prompt, stopped at the template's end of turn (or the tokenizer's end of text) and cut before it.
     */
    static String reply(Generator generator, Tokenizer tokenizer, ChatTemplate template, String message,
                        SamplingConfig sampling) {
        String rendered = template.userTurn(message);
        String end = template.endOfTurn();
        int[] ids = generator.generate(tokenizer.encode(rendered), sampling, tokenizer.endOfTextId(),
                generated -> !end.isEmpty() && tokenizer.decode(generated).contains(end));
        String text = tokenizer.decode(ids);
        int at = end.isEmpty() ? -1 : text.indexOf(end);
        return at < 0 ? text : text.substring(0, at);
    }
}
