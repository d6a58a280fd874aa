package dev.workbench.finetune;

import dev.workbench.model.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test tokenizer: one token per Unicode code point below 1000, so tokens != UTF-8 bytes for non-ASCII text. */
final class CodePointTokenizer implements Tokenizer {
    static final int VOCAB = 1000;
    static final int EOT = 999;

    @Override
    public int[] encode(String text) {
        return text.codePoints().map(c -> Math.min(c, 998)).toArray();
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            if (id != EOT) {
                b.appendCodePoint(id);
            }
        }
        return b.toString();
    }

    @Override
    public int vocabSize() {
        return VOCAB;
    }

    @Override
    public int endOfTextId() {
        return EOT;
    }

    @Override
    public void save(Path folder) throws java.io.IOException {
        Files.writeString(folder.resolve(FILE), "{\"test\": \"code points\"}\n");
    }
}
