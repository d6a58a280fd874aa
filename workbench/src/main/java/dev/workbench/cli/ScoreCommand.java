package dev.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.finetune.TextScoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code workbench score --checkpoint X --text-file F [--json]}: bits per byte and perplexities of any model on any text. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score a text file under a language model: bits per byte, byte/word/token perplexity "
                + "(rolling windows over the model's context; documents separated by blank lines).")
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "X",
            description = "checkpoint folder, run folder (uses checkpoints/language_model/best), or hf:DIR")
    String checkpoint;

    @Option(names = "--text-file", required = true, paramLabel = "F",
            description = "UTF-8 text; documents separated by blank lines")
    Path textFile;

    @Option(names = "--batch-size", defaultValue = "8", description = "windows per forward pass (default 8)")
    int batchSize;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TextScoring.TextScore score = TextScoring.score(checkpoint, textFile, batchSize);
        String out = json
                ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(score.toMap()) + "\n"
                : score.text();
        spec.commandLine().getOut().print(out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
