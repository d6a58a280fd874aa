package dev.workbench.cli;

import dev.workbench.model.tokenizer.TokenizerBenchmark;
import dev.workbench.recipe.WorkbenchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code workbench bench tokenizer FILE}: trains a BPE on the start of a UTF-8 text file, then compares our encoder
 * with the Hugging Face library (via DJL) loading the saved tokenizer.json. Belongs under the {@code bench} parent.
 */
@Command(name = "tokenizer",
        mixinStandardHelpOptions = true,
        description = "Train a byte-level BPE on a text file; report train time, encode MB/s and bytes/token, "
                + "against DJL's HuggingFaceTokenizer on the same text.")
public final class BenchTokenizerCommand implements Callable<Integer> {

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
        if (!Files.isRegularFile(file)) {
            throw WorkbenchException.environment(file + ": file not found");
        }
        if (passes < 1 || trainChars < 1) {
            throw WorkbenchException.invalid("--passes and --train-chars must be at least 1");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String train = text.substring(0, Math.min(trainChars, text.length()));
        Path folder = out != null ? out : Files.createTempDirectory("bench-tokenizer");
        TokenizerBenchmark.Result r = TokenizerBenchmark.run(train, text, vocabSize, passes, folder);
        System.out.printf(Locale.ROOT, "file            %s%n", file);
        System.out.printf(Locale.ROOT, "train           %,d bytes -> vocab %d (%d merges) in %.2f s (%.2f s CPU)%n",
                r.trainBytes(), r.vocabSize(), r.merges(), r.trainSeconds(), r.trainCpuSeconds());
        System.out.printf(Locale.ROOT, "encode          %,d bytes, %d passes (first = cold, best later = warm), "
                + "MB/s with MB = 10^6 bytes%n", r.encodeBytes(), passes);
        row("whole text, workbench", r.ours(), r.encodeBytes());
        row("whole text, DJL/HF encode", r.library(), r.encodeBytes());
        row("whole text, HF native ids", r.libraryCore(), r.encodeBytes());
        row(r.paragraphs() + " paragraphs, workbench", r.oursParagraphs(), r.encodeBytes());
        row(r.paragraphs() + " paragraphs, DJL/HF encode", r.libraryParagraphs(), r.encodeBytes());
        System.out.printf(Locale.ROOT, "ratio           workbench/DJL warm MB per cpu-second: whole text %.2f (vs HF native"
                        + " ids %.2f), paragraphs %.2f (wall clock: %.2f, %.2f)%n",
                r.ours().warmMbPerCpuS() / r.library().warmMbPerCpuS(),
                r.ours().warmMbPerCpuS() / r.libraryCore().warmMbPerCpuS(),
                r.oursParagraphs().warmMbPerCpuS() / r.libraryParagraphs().warmMbPerCpuS(),
                r.ours().warmMbPerS() / r.library().warmMbPerS(),
                r.oursParagraphs().warmMbPerS() / r.libraryParagraphs().warmMbPerS());
        System.out.printf(Locale.ROOT, "ids identical   %s%n", r.idsIdentical() ? "yes" : "NO");
        System.out.printf(Locale.ROOT, "tokenizer.json  %s%n", r.tokenizerFile());
        return r.idsIdentical() ? 0 : 1;
    }

    private static void row(String label, TokenizerBenchmark.Encoding e, long bytes) {
        System.out.printf(Locale.ROOT, "  %-28s cold %6.2f MB/s  warm %6.2f MB/s  warm %6.2f MB/cpu-s  %.3f bytes/token%n",
                label, e.coldMbPerS(), e.warmMbPerS(), e.warmMbPerCpuS(), (double) bytes / e.tokens());
    }
}
