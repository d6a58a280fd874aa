package dev.workbench.model.tokenizer;

import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HfTokenizer} on a GPT-2-style byte-level BPE: the same ids as the workbench's own reader, special tokens from
 * tokenizer_config.json (or the well-known {@code <|endoftext|>}), save and load round trip. The Llama-family
 * fixtures (byte-level BPE and SentencePiece-style) are compared with transformers' ids in
 * {@code model.llama.LlamaReferenceTest}.
 */
class HfTokenizerTest {
    private static final String[] TEXTS = {"the cat sat on the mat.", "  The DOG, then:\n\tanother  thing!",
            "naïve café 👋 <|endoftext|> done", ""};

    private static Path gpt2Folder() throws Exception {
        return Path.of(HfTokenizerTest.class.getResource("/hf/tiny-gpt2/tokenizer.json").toURI()).getParent();
    }

    @Test
    void byteLevelBpeGivesTheWorkbenchReadersIds() throws Exception {
        Tokenizer ours = Tokenizers.load(gpt2Folder());
        HfTokenizer hf = HfTokenizer.load(gpt2Folder(), OptionalInt.empty());
        for (String text : TEXTS) {
            assertArrayEquals(ours.encode(text), hf.encode(text), text);
            assertArrayEquals(ours.encode(text), hf.encodeWithSpecialTokens(text), text); // GPT-2 adds nothing
            assertEquals(ours.decode(ours.encode(text)), hf.decode(hf.encode(text)), text);
        }
        assertEquals(ours.vocabSize(), hf.vocabSize());
        assertEquals(ours.endOfTextId(), hf.endOfTextId()); // no tokenizer_config.json: <|endoftext|> is known
        assertEquals("BPE", hf.modelType());
    }

    @Test
    void specialTokensComeFromTokenizerConfigAndSurviveSave(@TempDir Path folder) throws Exception {
        Files.copy(gpt2Folder().resolve("tokenizer.json"), folder.resolve("tokenizer.json"));
        Files.writeString(folder.resolve(HfTokenizer.CONFIG_FILE), """
                {"bos_token": {"content": "<|endoftext|>", "special": true}, "eos_token": "<|endoftext|>",
                 "pad_token": null, "add_bos_token": true}""");
        HfTokenizer tokenizer = HfTokenizer.load(folder, OptionalInt.empty());
        int eot = tokenizer.endOfTextId();
        assertEquals(eot, tokenizer.specialTokens().bos());
        assertEquals(-1, tokenizer.specialTokens().pad());
        int[] plain = tokenizer.encode("the cat");
        int[] withBos = tokenizer.encodeWithSpecialTokens("the cat");
        assertEquals(plain.length + 1, withBos.length);
        assertEquals(eot, withBos[0]);

        Path saved = Files.createDirectory(folder.resolve("saved"));
        tokenizer.save(saved);
        HfTokenizer again = HfTokenizer.load(saved, OptionalInt.empty());
        assertEquals(tokenizer.specialTokens(), again.specialTokens());
        assertArrayEquals(withBos, again.encodeWithSpecialTokens("the cat"));
    }

    @Test
    void aSpecialTokenThatIsNotInTheVocabularyIsRefusedByKey(@TempDir Path folder) throws Exception {
        Files.copy(gpt2Folder().resolve("tokenizer.json"), folder.resolve("tokenizer.json"));
        Files.writeString(folder.resolve(HfTokenizer.CONFIG_FILE), "{\"eos_token\": \"</s>\"}");
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> HfTokenizer.load(folder, OptionalInt.empty()));
        assertTrue(e.getMessage().contains("eos_token '</s>' is not a token of"), e.getMessage());
    }
}
