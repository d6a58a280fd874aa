package dev.workbench.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Text to token ids and back. Part of every checkpoint: {@link #save} writes a Hugging Face {@code tokenizer.json}
 * into the checkpoint folder so that any tokenizers-compatible tool (DJL's {@code HuggingFaceTokenizer} included)
 * reproduces the same ids.
 */
public interface Tokenizer {

    /** File name inside a checkpoint folder. */
    String FILE = "tokenizer.json";

    int[] encode(String text);

    String decode(int[] ids);

    int vocabSize();

    /** Bytes of UTF-8 text that {@code ids} stand for; bits-per-byte divides by this. */
    default long byteCount(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** Writes {@code tokenizer.json} into {@code folder}. */
    void save(Path folder) throws IOException;
}
