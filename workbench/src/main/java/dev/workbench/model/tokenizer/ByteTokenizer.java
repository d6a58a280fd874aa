package dev.workbench.model.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One token per UTF-8 byte: ids 0..255 are the byte values, 256 is {@code <|endoftext|>}; vocabulary 257. Needs no
 * training. Its {@code tokenizer.json} is a byte-level BPE with no merges whose 256 base tokens are GPT-2's byte
 * characters in byte order, so the Hugging Face library gives the same ids.
 *
 * <p>Unpaired surrogates in the input become U+FFFD (3 bytes) rather than the JDK's silent '?'. A literal
 * {@code <|endoftext|>} in the text encodes to id 256, as in the Hugging Face library. Decoding turns byte sequences
 * that are not valid UTF-8 (a model can emit any bytes) into U+FFFD, one per maximal ill-formed part, as the library
 * does.
 */
public final class ByteTokenizer implements Tokenizer {

    /** Id of {@code <|endoftext|>}. */
    public static final int END_OF_TEXT_ID = 256;
    /** 256 bytes plus end-of-text. */
    public static final int VOCAB_SIZE = 257;

    private static final byte[] END_OF_TEXT_BYTES = BpeTokenizer.END_OF_TEXT.getBytes(StandardCharsets.UTF_8);

    @Override
    public int[] encode(String text) {
        String clean = ByteLevel.sanitize(text);
        if (!clean.contains(BpeTokenizer.END_OF_TEXT)) {
            return toIds(clean.getBytes(StandardCharsets.UTF_8));
        }
        IdList ids = new IdList(clean.length());
        BpeTokenizer.endOfTextOnly().split(clean, new AddedTokens.Sink() {
            @Override
            public void text(int start, int end) {
                ids.addAll(toIds(clean.substring(start, end).getBytes(StandardCharsets.UTF_8)));
            }

            @Override
            public void token(int id) {
                ids.add(id);
            }
        });
        return ids.toArray();
    }

    private static int[] toIds(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(ids.length + 16);
        for (int id : ids) {
            if (id == END_OF_TEXT_ID) {
                out.writeBytes(END_OF_TEXT_BYTES);
            } else if (id >= 0 && id < 256) {
                out.write(id);
            } else {
                throw new IllegalArgumentException("token id " + id + " is outside the byte vocabulary 0.." + END_OF_TEXT_ID);
            }
        }
        return ByteLevel.decodeLossy(out.toByteArray(), out.size());
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public int endOfTextId() {
        return END_OF_TEXT_ID;
    }

    @Override
    public long byteCount(String text) {
        return ByteLevel.utf8Length(text);
    }

    @Override
    public void save(Path folder) throws IOException {
        TokenizerJson.write(asBpe(), folder.resolve(FILE));
    }

    /** The same tokenizer as a BPE with no merges: what {@link #save} writes. */
    static BpeModel asBpe() {
        return BpeModel.fromByteMerges(List.of());
    }

    @Override
    public String toString() {
        return "ByteTokenizer[vocab=" + VOCAB_SIZE + "]";
    }
}
