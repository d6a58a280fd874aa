package dev.workbench.model.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteTokenizerTest {

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void idsAreUtf8Bytes() {
        // "aé😀": a = 0x61; é = U+00E9 = C3 A9; 😀 = U+1F600 = F0 9F 98 80 (UTF-8 tables).
        assertArrayEquals(new int[] {0x61, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80}, tokenizer.encode("aé😀"));
        assertEquals(257, tokenizer.vocabSize());
        assertEquals(256, tokenizer.endOfTextId());
    }

    @Test
    void roundTripsUnicodeAndWhitespace() {
        String text = "Zürich 東京 🎉👩‍👩‍👧 \t\n  ok\u00A0done\r\n";
        assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, tokenizer.encode(text).length);
        assertEquals(tokenizer.encode(text).length, tokenizer.byteCount(text));
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharacter() {
        String lone = "a\uD83Db\uDE00";
        // each lone surrogate -> U+FFFD = EF BF BD; the JDK's own encoder would have written '?' (0x3F)
        int[] expected = {0x61, 0xEF, 0xBF, 0xBD, 0x62, 0xEF, 0xBF, 0xBD};
        assertArrayEquals(expected, tokenizer.encode(lone));
        assertEquals("a\uFFFDb\uFFFD", tokenizer.decode(tokenizer.encode(lone)));
        assertEquals(8, tokenizer.byteCount(lone));
    }

    @Test
    void invalidUtf8DecodesToReplacementCharacter() {
        // 0xFF never occurs in UTF-8; C3 without its continuation byte is truncated.
        assertEquals("a\uFFFDb\uFFFD", tokenizer.decode(new int[] {0x61, 0xFF, 0x62, 0xC3}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {257}));
        // Maximal subparts (Unicode ch. 3, as Rust's from_utf8_lossy): ED may only be followed by 80..9F, so ED BB is
        // two bad parts; E0 80 likewise; F0 9F 98 is one truncated 4-byte sequence; C3 then 'x' is one.
        assertEquals("\uFFFD\uFFFD|\uFFFD\uFFFD|\uFFFD|\uFFFDx",
                tokenizer.decode(new int[] {0xED, 0xBB, '|', 0xE0, 0x80, '|', 0xF0, 0x9F, 0x98, '|', 0xC3, 'x'}));
    }

    @Test
    void endOfTextTextIsTheSpecialToken() {
        assertArrayEquals(new int[] {0x61, 256, 0x62}, tokenizer.encode("a<|endoftext|>b"));
        assertEquals("a<|endoftext|>b", tokenizer.decode(new int[] {0x61, 256, 0x62}));
        assertArrayEquals(new int[] {0x3C, 0x7C, 0x61}, tokenizer.encode("<|a"));
    }

    @Test
    void randomTextRoundTrips() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            String text = RandomText.unicode(random, 40);
            assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
        }
    }

    @Test
    void saveThenLoadGivesTheByteTokenizer(@TempDir Path folder) throws Exception {
        tokenizer.save(folder);
        Tokenizer loaded = Tokenizers.load(folder);
        assertInstanceOf(ByteTokenizer.class, loaded);
        // The file is also a valid BPE: loading it as one gives the same ids.
        BpeTokenizer asBpe = new BpeTokenizer(TokenizerJson.read(folder.resolve(Tokenizer.FILE)));
        String text = "It's 2024 — naïve café <|endoftext|> 😀";
        assertArrayEquals(tokenizer.encode(text), asBpe.encode(text));
    }
}
