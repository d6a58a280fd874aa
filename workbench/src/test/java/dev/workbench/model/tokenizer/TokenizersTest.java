package dev.workbench.model.tokenizer;

import dev.workbench.recipe.BaseModel.TokenizerKind;
import dev.workbench.recipe.BaseModel.TokenizerSpec;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizersTest {

    @Test
    void trainFollowsTheSpec(@TempDir Path folder) throws Exception {
        assertInstanceOf(ByteTokenizer.class,
                Tokenizers.train(new TokenizerSpec(TokenizerKind.BYTE, 0, Optional.empty()), List.of("ignored")));
        Tokenizer bpe = Tokenizers.train(new TokenizerSpec(TokenizerKind.BPE, 259, Optional.empty()), List.of("xy yx"));
        assertEquals(259, bpe.vocabSize());
        bpe.save(folder);
        Tokenizer fromFile = Tokenizers.train(new TokenizerSpec(TokenizerKind.FILE, 0, Optional.of(folder)), List.of());
        assertArrayEquals(bpe.encode("xy yx xyx"), fromFile.encode("xy yx xyx"));

        WorkbenchException small = assertThrows(WorkbenchException.class, () ->
                Tokenizers.train(new TokenizerSpec(TokenizerKind.BPE, 100, Optional.empty()), List.of("x")));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, small.kind());
        assertTrue(small.getMessage().contains("vocab_size 100"), small.getMessage());
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, assertThrows(WorkbenchException.class, () ->
                Tokenizers.train(new TokenizerSpec(TokenizerKind.FILE, 0, Optional.empty()), List.of())).kind());
    }

    /**
     * Expected ids worked out by hand from {@link Gpt2StyleFile}'s vocabulary and merge ranks (GPT-2's real base ids:
     * 't' 83, 'h' 71, 'e' 68, 'o' 78, 'a' 64, "Ġ" 220, "Ċ" (newline) 198, 0xC3 127, 0xA9 102).
     */
    @Test
    void loadsAGpt2StyleFileAndEncodesLikeTheLibrary(@TempDir Path folder) throws Exception {
        Tokenizer gpt2 = Tokenizers.load(Gpt2StyleFile.write(folder, false));
        assertInstanceOf(BpeTokenizer.class, gpt2);
        assertEquals(268, gpt2.vocabSize());
        assertEquals(267, gpt2.endOfTextId());
        // "the": t h e; only "h e" (rank 1) applies -> t, he. " world": Ġ+w (4), o+r (5), Ġw+or (6), l+d (7),
        // Ġwor+ld (8) -> Ġworld.
        assertArrayEquals(new int[] {83, 257, 264}, gpt2.encode("the world"));
        // " the": Ġ+t (0), h+e (1), Ġt+he (2).
        assertArrayEquals(new int[] {258}, gpt2.encode(" the"));
        // "ell": "l l" (rank 3) before "e l" (rank 9) -> e, ll; merging left to right would have given el, l.
        assertArrayEquals(new int[] {68, 259}, gpt2.encode("ell"));
        // "aaa": a+a at positions 0 and 1 tie on rank; leftmost first -> aa, a.
        assertArrayEquals(new int[] {266, 64}, gpt2.encode("aaa"));
        assertArrayEquals(new int[] {127, 102, 198, 267}, gpt2.encode("é\n<|endoftext|>"));
        assertEquals("the world é\n<|endoftext|>", gpt2.decode(new int[] {83, 257, 264, 220, 127, 102, 198, 267}));

        // add_prefix_space: "the" is read as " the".
        Tokenizer prefixed = Tokenizers.load(Gpt2StyleFile.write(folder.resolve("p"), true));
        assertArrayEquals(new int[] {258}, prefixed.encode("the"));
        assertArrayEquals(new int[] {258, 267, 258}, prefixed.encode("the<|endoftext|>the"));
    }

    /** The same vocabulary and merges as GPT-2's older file pair give the same ids as the tokenizer.json. */
    @Test
    void loadsGpt2VocabAndMergesFiles(@TempDir Path folder) throws Exception {
        Tokenizer fromJson = Tokenizers.load(Gpt2StyleFile.write(folder.resolve("json"), false));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode model = json.readTree(folder.resolve("json/tokenizer.json").toFile())
                .get("model");
        Path pair = Files.createDirectories(folder.resolve("pair"));
        json.writeValue(pair.resolve("vocab.json").toFile(), model.get("vocab"));
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        model.get("merges").forEach(m -> merges.append(m.asText()).append('\n'));
        Files.writeString(pair.resolve("merges.txt"), merges);
        Tokenizer fromPair = Tokenizers.load(pair);
        String text = "the world, ell aaa é\n<|endoftext|> the";
        assertArrayEquals(fromJson.encode(text), fromPair.encode(text));
        assertEquals(fromJson.endOfTextId(), fromPair.endOfTextId());

        Files.writeString(pair.resolve("merges.txt"), "#version: 0.2\nĠ t\nq z\n");
        WorkbenchException bad = assertThrows(WorkbenchException.class, () -> Tokenizers.load(pair));
        assertTrue(bad.getMessage().startsWith(pair.resolve("merges.txt") + ":3: \"q z\""), bad.getMessage());
    }

    private static WorkbenchException rejected(Path folder, String json) throws Exception {
        Path file = folder.resolve("tokenizer.json");
        Files.writeString(file, json);
        return assertThrows(WorkbenchException.class, () -> Tokenizers.load(file));
    }

    private static String withPart(String part) {
        return "{\"added_tokens\":[{\"id\":0,\"content\":\"<|endoftext|>\",\"special\":true}],"
                + "\"pre_tokenizer\":{\"type\":\"ByteLevel\"}," + part + "}";
    }

    @Test
    void rejectsWhatItCannotReproduce(@TempDir Path folder) throws Exception {
        String bpeModel = "\"model\":{\"type\":\"BPE\",\"vocab\":{\"<|endoftext|>\":0},\"merges\":[]}";
        List<List<String>> cases = List.of(
                List.of(withPart("\"model\":{\"type\":\"WordPiece\",\"vocab\":{}}"), "unsupported model type WordPiece"),
                List.of(withPart("\"normalizer\":{\"type\":\"NFC\"}," + bpeModel), "unsupported normalizer of type NFC"),
                List.of("{\"pre_tokenizer\":{\"type\":\"Metaspace\"}," + bpeModel + "}",
                        "unsupported pre_tokenizer of type Metaspace"),
                List.of(withPart("\"post_processor\":{\"type\":\"TemplateProcessing\"}," + bpeModel),
                        "unsupported post_processor of type TemplateProcessing"),
                List.of(withPart("\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":1},\"merges\":[\"a b\"]}"),
                        "model.merges[0] needs token \"b\""),
                List.of("{\"pre_tokenizer\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},"
                        + "\"merges\":[]}}", "no <|endoftext|> token"));
        for (List<String> c : cases) {
            WorkbenchException e = rejected(folder, c.get(0));
            assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith(folder.resolve("tokenizer.json") + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c.get(1)), e.getMessage());
        }
        WorkbenchException json = rejected(folder, "{\n  \"model\": {\n    \"type\": BPE\n  }\n}");
        assertTrue(json.getMessage().contains("tokenizer.json:3:"), json.getMessage());
        WorkbenchException missing = assertThrows(WorkbenchException.class,
                () -> Tokenizers.load(folder.resolve("nowhere")));
        assertEquals(WorkbenchException.Kind.ENVIRONMENT, missing.kind());
    }
}
