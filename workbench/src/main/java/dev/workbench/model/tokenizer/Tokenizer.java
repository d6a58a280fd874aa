package dev.workbench.model.tokenizer;

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

    /** transformers' special-token settings next to a Hugging Face tokenizer.json ({@link HfTokenizer}). */
    String CONFIG_FILE = "tokenizer_config.json";

    int[] encode(String text);

    /**
     * What the model saw one text as in pretraining: {@link #encode} plus the special tokens its tokenizer adds
     * around a single text (BERT's {@code [CLS] .. [SEP]}, RoBERTa's {@code <s> .. </s>}, Llama's leading
     * {@code <s>}; nothing for GPT-2 and the workbench's own tokenizers). A classifier encodes its examples this way.
     */
    default int[] encodeWithSpecialTokens(String text) {
        return encode(text);
    }

    String decode(int[] ids);

    /** Size of the id space, special tokens included. */
    int vocabSize();

    /**
     * Id of {@code <|endoftext|>}, the special token put between documents when a corpus is packed into training
     * windows and at which generation stops. Every tokenizer has one (the byte tokenizer: id 256).
     */
    int endOfTextId();

    /** Bytes of UTF-8 text that {@code ids} stand for; bits-per-byte divides by this. */
    default long byteCount(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** Writes {@code tokenizer.json} (and, for an {@link HfTokenizer}, {@code tokenizer_config.json}) into {@code folder}. */
    void save(Path folder) throws IOException;
}
