package dev.workbench.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.workbench.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ids on real prose, trained on one book and applied to another. Skips when the shared data folder is absent. */
class RealProseCompatibilityTest {

    private static final Path DATA = SharedData.file("general");

    private static String head(String name, int chars) throws Exception {
        Path file = DATA.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(file), "shared data set not present: " + file);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.substring(0, Math.min(chars, text.length()));
    }

    @Test
    void trainedOnOneBookEncodesAnotherLikeTheLibrary(@TempDir Path folder) throws Exception {
        String train = head("pride_and_prejudice.txt", 60_000);
        String other = head("jack_sheppard.txt", 60_000);
        BpeTokenizer bpe = BpeTokenizer.train(List.of(train), 1024);
        assertEquals(1024, bpe.vocabSize());
        bpe.save(folder);
        try (HuggingFaceTokenizer hf = HuggingFaceLibrary.open(folder.resolve(Tokenizer.FILE))) {
            int[] ids = bpe.encode(other);
            assertArrayEquals(HuggingFaceLibrary.ids(hf, other), ids);
            assertEquals(other, bpe.decode(ids));
            // Sanity of the merges, not a target: in-domain text compresses better than another book, and both
            // beat 2 bytes/token with a 1k vocabulary (measured: own 2.97, other 2.33).
            double otherBpt = (double) bpe.byteCount(other) / ids.length;
            double ownBpt = (double) bpe.byteCount(train) / bpe.encode(train).length;
            assertTrue(ownBpt > otherBpt && otherBpt > 2.0, "bytes/token: own " + ownBpt + ", other " + otherBpt);
        }
    }
}
