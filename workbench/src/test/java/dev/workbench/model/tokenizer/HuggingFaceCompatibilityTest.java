package dev.workbench.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The compatibility proof: files we save, loaded by the Hugging Face library through DJL, give exactly our ids; and a
 * GPT-2-style file written by hand gives the library's ids when we load it.
 */
public class HuggingFaceCompatibilityTest {

    /** Edge cases of the pre-tokenizer, Unicode and the special token, plus random text (below). */
    private static final List<String> SAMPLES = List.of(
            "", "Hello, world!", "the cat sat on the mat", "  leading and trailing   ", "tabs\tand\nnew\n\nlines\r\n",
            "It's they're we'll I'd you've I'M", "numbers 12345 and 3.14159, ٣ and Ⅻ", "naïve café — Zürich",
            "emoji 😀🎉 and family 👩‍👩‍👧 and CJK 漢字かな", "non-breaking\u00A0space and\u2003em space\u3000",
            "<|endoftext|>between<|endoftext|><|endoftext|>", "<|endoftext", "a    \n   b", "x" + " ".repeat(300));

    private static List<String> texts;

    @BeforeAll
    static void corpus() {
        Random random = new Random(3);
        texts = new ArrayList<>(SAMPLES);
        for (int i = 0; i < 150; i++) {
            texts.add(RandomText.unicode(random, 40));
        }
    }

    /** Pseudo-prose with repeated words, so that training learns multi-byte and cross-space merges. */
    public static List<String> trainingCorpus() {
        String[] words = {"the", "patient", "reported", "pain", "in", "the", "left", "knee", "after", "running",
            "doctor", "prescribed", "rest", "and", "ice", "it's", "recovering", "well", "café", "naïve", "日本",
            "2024", "3.5", "mg", "—", "!", ",", "."};
        Random random = new Random(5);
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < 60; d++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 80; w++) {
                sb.append(w == 0 ? "" : random.nextInt(12) == 0 ? "\n" : " ").append(words[random.nextInt(words.length)]);
            }
            docs.add(sb.toString());
        }
        docs.add(RandomText.unicode(random, 200));
        return docs;
    }

    private static void assertSameIds(Tokenizer ours, Path file) throws Exception {
        try (HuggingFaceTokenizer hf = HuggingFaceLibrary.open(file)) {
            for (String text : texts) {
                int[] expected = HuggingFaceLibrary.ids(hf, text);
                assertArrayEquals(expected, ours.encode(text), () -> "ids differ for " + text);
                long[] asLong = java.util.Arrays.stream(expected).asLongStream().toArray();
                assertEquals(hf.decode(asLong, false), ours.decode(expected), () -> "decode differs for " + text);
            }
        }
    }

    @Test
    void trainedBpeGivesTheLibrarysIds(@TempDir Path folder) throws Exception {
        BpeTokenizer bpe = BpeTokenizer.train(trainingCorpus(), 320);
        assertEquals(320, bpe.vocabSize());
        bpe.save(folder);
        assertSameIds(bpe, folder.resolve(Tokenizer.FILE));
        assertSameIds(Tokenizers.load(folder), folder.resolve(Tokenizer.FILE));
    }

    @Test
    void byteTokenizerGivesTheLibrarysIds(@TempDir Path folder) throws Exception {
        new ByteTokenizer().save(folder);
        assertSameIds(new ByteTokenizer(), folder.resolve(Tokenizer.FILE));
    }

    @Test
    void handWrittenGpt2FileGivesTheLibrarysIds(@TempDir Path folder) throws Exception {
        Path file = Gpt2StyleFile.write(folder, false);
        assertSameIds(Tokenizers.load(file), file);
        Path withPrefix = Gpt2StyleFile.write(folder.resolve("prefix"), true);
        assertSameIds(Tokenizers.load(withPrefix), withPrefix);
        Path noRegex = Gpt2StyleFile.write(folder.resolve("noregex"), false, false, false);
        assertSameIds(Tokenizers.load(noRegex), noRegex);
        Path ignoreMerges = Gpt2StyleFile.write(folder.resolve("ignore"), true, true, true);
        assertSameIds(Tokenizers.load(ignoreMerges), ignoreMerges);
    }

    /** A model can emit any byte sequence; invalid UTF-8 must decode to the same U+FFFD pattern as the library. */
    @Test
    void invalidUtf8DecodesLikeTheLibrary(@TempDir Path folder) throws Exception {
        new ByteTokenizer().save(folder);
        Random random = new Random(29);
        try (HuggingFaceTokenizer hf = HuggingFaceLibrary.open(folder.resolve(Tokenizer.FILE))) {
            for (int trial = 0; trial < 500; trial++) {
                int[] ids = new int[random.nextInt(12)];
                for (int i = 0; i < ids.length; i++) {
                    // mostly bytes that start or continue multi-byte sequences, where decoders can disagree
                    ids[i] = random.nextInt(4) == 0 ? random.nextInt(128) : 0x80 + random.nextInt(128);
                }
                long[] asLong = java.util.Arrays.stream(ids).asLongStream().toArray();
                assertEquals(hf.decode(asLong, false), new ByteTokenizer().decode(ids),
                        () -> "decode differs for " + java.util.Arrays.toString(ids));
            }
        }
    }

    @Test
    void unpairedSurrogateIsOneReplacementCharacter(@TempDir Path folder) throws Exception {
        new ByteTokenizer().save(folder);
        try (HuggingFaceTokenizer hf = HuggingFaceLibrary.open(folder.resolve(Tokenizer.FILE))) {
            String text = "a\uD800b";
            // We encode an unpaired surrogate as one U+FFFD (EF BF BD), Unicode's recommended replacement.
            assertArrayEquals(new int[] {97, 0xEF, 0xBF, 0xBD, 98}, new ByteTokenizer().encode(text));
            assertArrayEquals(new ByteTokenizer().encode(text), HuggingFaceLibrary.ids(hf, ByteLevel.sanitize(text)));
            // Known difference: DJL hands Java's modified UTF-8 (ED A0 80) to Rust, which decodes it lossily to three
            // U+FFFD. Ids agree for every string without unpaired surrogates, i.e. for all well-formed text.
            assertArrayEquals(new int[] {97, 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD, 98},
                    HuggingFaceLibrary.ids(hf, text));
        }
    }
}
