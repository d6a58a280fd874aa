package dev.workbench.model.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BpeTokenizerTest {

    private static List<String> mergeTexts(BpeTokenizer bpe) {
        List<String> out = new ArrayList<>();
        for (String[] m : bpe.merges()) {
            out.add(m[0] + "+" + m[1]);
        }
        return out;
    }

    /**
     * Computed by hand. "the the the cat" pre-tokenizes to "the" x1, " the" x2, " cat" x1. Pair counts:
     * t+h 3, h+e 3, ␠+t 2, ␠+c 1, c+a 1, a+t 1. Tie at 3: smaller left id wins, 'h' (104) < 't' (116), so
     * 1) h+e -> 256. Now t+he 3, ␠+t 2: 2) t+he -> 257. Now ␠+the 2: 3) ␠+the -> 258. Left: " cat" with three
     * pairs of count 1; smallest left id is ␠ (32): 4) ␠+c -> 259; then a+t (97) beats ␠c+a (259): 5) a+t -> 260;
     * 6) ␠c+at -> 261. No pairs remain, so training stops at 6 merges even though more were asked for.
     */
    @Test
    void learnsTheHandComputedMerges() {
        BpeTokenizer bpe = BpeTokenizer.train(List.of("the the the cat"), 300);
        assertEquals(List.of("h+e", "t+he", " +the", " +c", "a+t", " c+at"), mergeTexts(bpe));
        assertEquals(256 + 6 + 1, bpe.vocabSize());
        assertEquals(262, bpe.endOfTextId());
        assertArrayEquals(new int[] {257, 261}, bpe.encode("the cat"));
        // "cat" without a space: c, a+t -> [c, at]; "tea": no merge applies.
        assertArrayEquals(new int[] {'c', 260, 262, 't', 'e', 'a'}, bpe.encode("cat<|endoftext|>tea"));
    }

    /** By hand: "xy yx" -> "xy", " yx"; all three pairs count 1; order by left id: ␠+y, then x+y, then ␠y+x. */
    @Test
    void breaksTiesBySmallerIds() {
        BpeTokenizer bpe = BpeTokenizer.train(List.of("xy yx"), 259);
        assertEquals(List.of(" +y", "x+y"), mergeTexts(bpe));
        assertEquals(259, bpe.vocabSize());
        assertEquals(258, bpe.endOfTextId());
    }

    @Test
    void vocabularyOf257IsTheByteTokenizer() {
        BpeTokenizer bpe = BpeTokenizer.train(List.of("any text at all"), 257);
        String text = "Some text, with ünïcödé 😀 <|endoftext|>";
        assertArrayEquals(new ByteTokenizer().encode(text), bpe.encode(text));
        assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.train(List.of("x"), 256));
    }

    @Test
    void endOfTextInTheCorpusIsNotLearnedFrom() {
        // Only "ab" is text; "<|endoftext|>" is the special token, so its letters never form merges.
        BpeTokenizer bpe = BpeTokenizer.train(List.of("ab<|endoftext|>ab"), 400);
        assertEquals(List.of("a+b"), mergeTexts(bpe));
    }

    @Test
    void roundTripsRandomUnicode() {
        BpeTokenizer bpe = BpeTokenizer.train(HuggingFaceCompatibilityTest.trainingCorpus(), 600);
        Random random = new Random(17);
        for (int trial = 0; trial < 300; trial++) {
            String text = RandomText.unicode(random, 50);
            assertEquals(text, bpe.decode(bpe.encode(text)));
        }
        String prose = HuggingFaceCompatibilityTest.trainingCorpus().get(0);
        assertTrue(bpe.encode(prose).length * 2 < bpe.byteCount(prose), "merges should compress the training text");
    }

    @Test
    void trainingIsDeterministic() {
        List<String> corpus = HuggingFaceCompatibilityTest.trainingCorpus();
        BpeTokenizer a = BpeTokenizer.train(corpus, 500);
        List<String> reversed = new ArrayList<>(corpus);
        java.util.Collections.reverse(reversed);
        BpeTokenizer b = BpeTokenizer.train(reversed, 500);
        assertEquals(mergeTexts(a), mergeTexts(b)); // document order does not matter either
        String text = String.join("\n", corpus);
        assertArrayEquals(a.encode(text), b.encode(text));
    }

    @Test
    void saveAndLoadGiveTheSameIds(@TempDir Path folder) throws Exception {
        BpeTokenizer bpe = BpeTokenizer.train(HuggingFaceCompatibilityTest.trainingCorpus(), 500);
        bpe.save(folder);
        Tokenizer loaded = Tokenizers.load(folder);
        assertInstanceOf(BpeTokenizer.class, loaded);
        assertEquals(bpe.vocabSize(), loaded.vocabSize());
        assertEquals(bpe.endOfTextId(), loaded.endOfTextId());
        assertEquals(mergeTexts(bpe), mergeTexts((BpeTokenizer) loaded));
        Random random = new Random(23);
        for (int trial = 0; trial < 100; trial++) {
            String text = RandomText.unicode(random, 60);
            assertArrayEquals(bpe.encode(text), loaded.encode(text));
        }
        // Saving the loaded tokenizer writes the same file again.
        loaded.save(folder.resolve("again"));
        assertEquals(java.nio.file.Files.readString(folder.resolve(Tokenizer.FILE)),
                java.nio.file.Files.readString(folder.resolve("again").resolve(Tokenizer.FILE)));
    }

    @Test
    void longRunsOfOneCharacterEncodeQuickly() {
        BpeTokenizer bpe = BpeTokenizer.train(List.of("aaaa aaaa", "    x"), 270);
        String spaces = " ".repeat(200_000) + "x";
        long start = System.nanoTime();
        int[] ids = bpe.encode(spaces);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "n log n merge expected");
        assertEquals(spaces, bpe.decode(ids));
    }
}
