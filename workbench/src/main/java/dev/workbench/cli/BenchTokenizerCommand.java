package dev.workbench.cli;

import dev.workbench.bench.TokenizerBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code workbench bench tokenizer FILE}: the options of {@link TokenizerBenchmark}; exit code 1 when our ids and the
 * library's differ. Belongs under {@code bench}.
 */
@Command(name = "tokenizer",
        mixinStandardHelpOptions = true,
        description = "Train a byte-level BPE on a text file; report train time, encode MB/s and bytes/token, "
                + "against DJL's HuggingFaceTokenizer on the same text.")
public final class BenchTokenizerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "UTF-8 text file (prose).")
    Path file;

    @Option(names = "--vocab-size", defaultValue = "2048", description = "BPE vocabulary size (default ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--train-chars", defaultValue = "300000",
            description = "Train on the first N characters of FILE (default ${DEFAULT-VALUE}).")
    int trainChars;

    @Option(names = "--passes", defaultValue = "10",
            description = "Encode passes over the whole file; the first is cold, the best later one is warm "
                    + "(default ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--out", description = "Folder for the trained tokenizer.json (default: a temporary folder).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Offline.enforce();
        TokenizerBenchmark.Result r = TokenizerBenchmark.run(new TokenizerBenchmark.Settings(file, vocabSize,
                trainChars, passes, out), spec.commandLine().getOut());
        return r.idsIdentical() ? 0 : 1;
    }
}
