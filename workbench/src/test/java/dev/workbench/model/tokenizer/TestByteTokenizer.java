package dev.workbench.model.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test stand-in for the real tokenizers: one id per UTF-8 byte, id 256 is end-of-text. */
public final class TestByteTokenizer implements Tokenizer {
    public static final String CONTENT = "{\"test_tokenizer\": \"bytes\"}\n";

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        byte[] bytes = new byte[ids.length];
        int n = 0;
        for (int id : ids) {
            if (id < 256) {
                bytes[n++] = (byte) id;
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return 257;
    }

    @Override
    public int endOfTextId() {
        return 256;
    }

    @Override
    public void save(Path folder) throws IOException {
        Files.writeString(folder.resolve(FILE), CONTENT);
    }

    /** The loader a checkpoint is given in tests: checks that the file is the one {@link #save} wrote. */
    public static Tokenizer load(Path file) {
        try {
            if (!Files.readString(file).equals(CONTENT)) {
                throw new IllegalStateException("not a test tokenizer file: " + file);
            }
            return new TestByteTokenizer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
