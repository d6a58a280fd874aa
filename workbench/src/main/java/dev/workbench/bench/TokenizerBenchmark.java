package dev.workbench.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import dev.workbench.model.tokenizer.BpeTokenizer;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code workbench bench tokenizer FILE}: the BPE trainer and encoder against the Hugging Face library (through DJL,
 * loading the saved tokenizer.json) on the same text: training
 * time, encoding throughput, compression, and whether the ids agree. Encoding is timed two ways: the whole text as
 * one string, and paragraph by paragraph (one call per paragraph, as a corpus of documents is encoded). Everything
 * runs on one thread; DJL's single-string {@code encode} is single-threaded too.
 */
public final class TokenizerBenchmark {

    /**
     * Encoding one way by one tokenizer. MB = 10^6 bytes of UTF-8.
     *
     * @param coldMbPerS    the first pass (empty caches, JIT not warm), wall clock
     * @param warmMbPerS    the best of the later passes, wall clock
     * @param warmMbPerCpuS the best of the later passes per second of this thread's CPU time (native code run by
     *                      DJL's JNI on this thread included): steadier than wall time on a shared machine
     * @param tokens        ids produced in one pass
     */
    public record Encoding(double coldMbPerS, double warmMbPerS, double warmMbPerCpuS, long tokens) {
    }

    /**
     * @param ours              our encoder, the whole text as one string
     * @param library           DJL's {@code encode} on the whole text (it also copies tokens, offsets and masks into
     *                          Java objects)
     * @param libraryCore       only the native encode and the ids, through DJL's JNI entry points: the Rust
     *                          library's own speed
     * @param oursParagraphs    our encoder, one call per paragraph
     * @param libraryParagraphs DJL's {@code encode}, one call per paragraph
     * @param bytesPerToken     compression of our ids on the whole text
     * @param idsIdentical      ours and the library's ids are the same, every way
     */
    public record Result(int vocabSize, int merges, long trainBytes, long encodeBytes, int paragraphs,
                         double trainSeconds, double trainCpuSeconds, Encoding ours, Encoding library,
                         Encoding libraryCore, Encoding oursParagraphs,
                         Encoding libraryParagraphs, double bytesPerToken, boolean idsIdentical, Path tokenizerFile) {
    }

    /**
     * @param trainChars train on the first N characters of the file
     * @param passes encode passes over the whole file; the first is cold, the best later one is warm
     * @param out folder for the trained tokenizer.json; null: a temporary folder
     */
    public record Settings(Path file, int vocabSize, int trainChars, int passes, Path out) {
    }

    private TokenizerBenchmark() {
    }

    /** Trains on the start of the file, encodes all of it, prints the figures; the result says whether ids agree. */
    public static Result run(Settings settings, PrintWriter out) throws IOException {
        Path file = settings.file();
        int passes = settings.passes();
        if (!Files.isRegularFile(file)) {
            throw WorkbenchException.environment(file + ": file not found");
        }
        if (passes < 1 || settings.trainChars() < 1) {
            throw WorkbenchException.invalid("--passes and --train-chars must be at least 1");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String train = text.substring(0, Math.min(settings.trainChars(), text.length()));
        Path folder = settings.out() != null ? settings.out() : Files.createTempDirectory("bench-tokenizer");
        Result r = measure(train, text, settings.vocabSize(), passes, folder);
        out.printf(Locale.ROOT, "file            %s%n", file);
        out.printf(Locale.ROOT, "train           %,d bytes -> vocab %d (%d merges) in %.2f s (%.2f s CPU)%n",
                r.trainBytes(), r.vocabSize(), r.merges(), r.trainSeconds(), r.trainCpuSeconds());
        out.printf(Locale.ROOT, "encode          %,d bytes, %d passes (first = cold, best later = warm), "
                + "MB/s with MB = 10^6 bytes%n", r.encodeBytes(), passes);
        row(out, "whole text, workbench", r.ours(), r.encodeBytes());
        row(out, "whole text, DJL/HF encode", r.library(), r.encodeBytes());
        row(out, "whole text, HF native ids", r.libraryCore(), r.encodeBytes());
        row(out, r.paragraphs() + " paragraphs, workbench", r.oursParagraphs(), r.encodeBytes());
        row(out, r.paragraphs() + " paragraphs, DJL/HF encode", r.libraryParagraphs(), r.encodeBytes());
        out.printf(Locale.ROOT, "ratio           workbench/DJL warm MB per cpu-second: whole text %.2f (vs HF native"
                        + " ids %.2f), paragraphs %.2f (wall clock: %.2f, %.2f)%n",
                r.ours().warmMbPerCpuS() / r.library().warmMbPerCpuS(),
                r.ours().warmMbPerCpuS() / r.libraryCore().warmMbPerCpuS(),
                r.oursParagraphs().warmMbPerCpuS() / r.libraryParagraphs().warmMbPerCpuS(),
                r.ours().warmMbPerS() / r.library().warmMbPerS(),
                r.oursParagraphs().warmMbPerS() / r.libraryParagraphs().warmMbPerS());
        out.printf(Locale.ROOT, "ids identical   %s%n", r.idsIdentical() ? "yes" : "NO");
        out.printf(Locale.ROOT, "tokenizer.json  %s%n", r.tokenizerFile());
        out.flush();
        return r;
    }

    private static void row(PrintWriter out, String label, Encoding e, long bytes) {
        out.printf(Locale.ROOT, "  %-28s cold %6.2f MB/s  warm %6.2f MB/s  warm %6.2f MB/cpu-s  %.3f bytes/token%n",
                label, e.coldMbPerS(), e.warmMbPerS(), e.warmMbPerCpuS(), (double) bytes / e.tokens());
    }

    /**
     * Trains on {@code trainText} to {@code vocabSize}, saves to {@code folder}, then encodes {@code encodeText}
     * {@code passes} times each way with ours and with the library loaded from the saved file.
     */
    public static Result measure(String trainText, String encodeText, int vocabSize, int passes, Path folder)
            throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long trainCpuStart = threads.getCurrentThreadCpuTime();
        long trainStart = System.nanoTime();
        BpeTokenizer bpe = BpeTokenizer.train(List.of(trainText), vocabSize);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        double trainCpuSeconds = (threads.getCurrentThreadCpuTime() - trainCpuStart) / 1e9;
        bpe.save(folder);
        Path file = folder.resolve(Tokenizer.FILE);
        long bytes = bpe.byteCount(encodeText);
        List<String> paragraphs = paragraphs(encodeText);

        int[][] oursIds = new int[2][];
        int[][] libraryIds = new int[3][];
        Encoding ours = time(passes, bytes, () -> oursIds[0] = bpe.encode(encodeText));
        Encoding oursParagraphs = time(passes, bytes, () -> oursIds[1] = each(paragraphs, bpe::encode));
        Encoding library;
        Encoding libraryCore;
        Encoding libraryParagraphs;
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file,
                Map.of("truncation", "false", "padding", "false"))) {
            Function<String, int[]> hfEncode =
                    s -> Arrays.stream(hf.encode(s).getIds()).mapToInt(Math::toIntExact).toArray();
            library = time(passes, bytes, () -> libraryIds[0] = hfEncode.apply(encodeText));
            libraryParagraphs = time(passes, bytes, () -> libraryIds[1] = each(paragraphs, hfEncode));
            libraryCore = time(passes, bytes, () -> libraryIds[2] = coreEncode(hf, encodeText));
        }
        boolean same = Arrays.equals(oursIds[0], libraryIds[0]) && Arrays.equals(oursIds[1], libraryIds[1])
                && Arrays.equals(oursIds[0], libraryIds[2]);
        return new Result(bpe.vocabSize(), bpe.mergeCount(), bpe.byteCount(trainText), bytes, paragraphs.size(),
                trainSeconds, trainCpuSeconds, ours, library, libraryCore, oursParagraphs, libraryParagraphs,
                (double) bytes / oursIds[0].length, same, file);
    }

    private static int[] coreEncode(HuggingFaceTokenizer hf, String text) {
        long encoding = TokenizersLibrary.LIB.encode(hf.getHandle(), text, false);
        try {
            return Arrays.stream(TokenizersLibrary.LIB.getTokenIds(encoding)).mapToInt(Math::toIntExact).toArray();
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
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

    /** Every text's ids, one after another. */
    private static int[] each(List<String> texts, Function<String, int[]> encode) {
        List<int[]> pieces = new ArrayList<>(texts.size());
        int length = 0;
        for (String t : texts) {
            int[] ids = encode.apply(t);
            pieces.add(ids);
            length += ids.length;
        }
        int[] all = new int[length];
        int at = 0;
        for (int[] ids : pieces) {
            System.arraycopy(ids, 0, all, at, ids.length);
            at += ids.length;
        }
        return all;
    }

    private interface Pass {
        int[] run();
    }

    private static Encoding time(int passes, long bytes, Pass pass) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double cold = 0;
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        long tokens = 0;
        for (int p = 0; p < passes; p++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            tokens = pass.run().length;
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            if (p == 0) {
                cold = seconds;
            }
            if (p > 0 || passes == 1) {
                best = Math.min(best, seconds);
                bestCpu = Math.min(bestCpu, cpuSeconds);
            }
        }
        return new Encoding(bytes / 1e6 / cold, bytes / 1e6 / best, bytes / 1e6 / bestCpu, tokens);
    }
}
