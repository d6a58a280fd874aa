package dev.workbench.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The tiny GPT-2 fixture's tokenizer.json (written by scripts/hf_reference/make_tiny_gpt2.py in GPT-2's layout) is a
 * valid Hugging Face tokenizer, and the workbench's reader gives the library's ids for it.
 */
class HfFixtureTokenizerTest {

    @Test
    void theLibraryAndTheWorkbenchAgreeOnTheFixtureTokenizer() throws Exception {
        Path file = Path.of(getClass().getResource("/hf/tiny-gpt2/tokenizer.json").toURI());
        Tokenizer ours = Tokenizers.load(file);
        try (HuggingFaceTokenizer hf = HuggingFaceLibrary.open(file)) {
            for (String text : new String[] {"the cat sat on the mat.", "  The DOG, then:\n\tanother  thing!",
                    "naïve café 👋 <|endoftext|> done", ""}) {
                assertArrayEquals(HuggingFaceLibrary.ids(hf, text), ours.encode(text), text);
            }
        }
    }
}
