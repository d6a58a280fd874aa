package dev.workbench.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Measures the BPE trainer and encoder against the Hugging Face library (through DJL) on the same text: training
 * time, encoding throughput, compression, and whether the ids agree. Encoding is timed two ways: the whole text as
 * one string, and paragraph by paragraph (one call per paragraph, as a corpus of documents is encoded). Everything
 * runs on one thread; DJL's single-string {@code encode} is single-threaded too.
 */
public final class TokenizerBenchmark {

    /**
     * Encoding one way by one tokenizer. MB = 10^6 bytes of UTF-8.
     *
     * @param coldMbPerS the first pass (empty caches, JIT not warm)
     * @param warmMbPerS the best of the later passes
     * @param tokens     ids produced in one pass
     */
    public record Encoding(double coldMbPerS, double warmMbPerS, long tokens) {
    }

    /**
     * @param ours, library          whole text as one string
     * @param oursParagraphs, libraryParagraphs paragraph by paragraph
     * @param bytesPerToken          compression of our ids (whole text)
     * @param idsIdentical           both ways produced exactly the same ids in both tokenizers
     */
    public record Result(int vocabSize, int merges, long trainBytes, long encodeBytes, int paragraphs,
                         double trainSeconds, Encoding ours, Encoding library, Encoding oursParagraphs,
                         Encoding libraryParagraphs, double bytesPerToken, boolean idsIdentical, Path tokenizerFile) {
    }

    private TokenizerBenchmark() {
    }

    /**
     * Trains on {@code trainText} to {@code vocabSize}, saves to {@code folder}, then encodes {@code encodeText}
     * {@code passes} times each way with ours and with the library loaded from the saved file.
     */
    public static Result run(String trainText, String encodeText, int vocabSize, int passes, Path folder)
            throws IOException {
        long trainStart = System.nanoTime();
        BpeTokenizer bpe = BpeTokenizer.train(List.of(trainText), vocabSize);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        bpe.save(folder);
        Path file = folder.resolve(Tokenizer.FILE);
        long bytes = bpe.byteCount(encodeText);
        List<String> paragraphs = paragraphs(encodeText);

        int[][] oursIds = new int[2][];
        int[][] libraryIds = new int[2][];
        Encoding ours = time(passes, bytes, () -> oursIds[0] = bpe.encode(encodeText));
        Encoding oursParagraphs = time(passes, bytes, () -> oursIds[1] = each(paragraphs, bpe::encode));
        Encoding library;
        Encoding libraryParagraphs;
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file,
                Map.of("truncation", "false", "padding", "false"))) {
            Function<String, int[]> hfEncode =
                    s -> Arrays.stream(hf.encode(s).getIds()).mapToInt(Math::toIntExact).toArray();
            library = time(passes, bytes, () -> libraryIds[0] = hfEncode.apply(encodeText));
            libraryParagraphs = time(passes, bytes, () -> libraryIds[1] = each(paragraphs, hfEncode));
        }
        boolean same = Arrays.equals(oursIds[0], libraryIds[0]) && Arrays.equals(oursIds[1], libraryIds[1]);
        return new Result(bpe.vocabSize(), bpe.mergeCount(), bpe.byteCount(trainText), bytes, paragraphs.size(),
                trainSeconds, ours, library, oursParagraphs, libraryParagraphs,
                (double) bytes / oursIds[0].length, same, file);
    }

    /** The text cut after each blank line; the pieces concatenate back to the text. */
    static List<String> paragraphs(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int at = text.indexOf("\n\n"); at >= 0; at = text.indexOf("\n\n", at + 2)) {
            out.add(text.substring(start, at + 2));
            start = at + 2;
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    private static int[] each(List<String> texts, Function<String, int[]> encode) {
        IdList all = new IdList(1024);
        for (String t : texts) {
            all.addAll(encode.apply(t));
        }
        return all.toArray();
    }

    private interface Pass {
        int[] run();
    }

    private static Encoding time(int passes, long bytes, Pass pass) {
        double cold = 0;
        double best = Double.MAX_VALUE;
        long tokens = 0;
        for (int p = 0; p < passes; p++) {
            long start = System.nanoTime();
            tokens = pass.run().length;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (p == 0) {
                cold = seconds;
            } else {
                best = Math.min(best, seconds);
            }
        }
        double warm = passes == 1 ? cold : best;
        return new Encoding(bytes / 1e6 / cold, bytes / 1e6 / warm, tokens);
    }
}
