package dev.workbench.model.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a byte-level BPE {@code tokenizer.json} says: the model vocabulary by id ({@code null} where an id is
 * not a model token), the merges in rank order as {@code {left, right, result}} ids, the added tokens and the
 * ByteLevel pre-tokenizer flags.
 */
record BpeModel(List<String> vocab, List<int[]> merges, List<AddedTokens.Token> addedTokens,
                boolean addPrefixSpace, boolean useRegex, boolean ignoreMerges) {

    BpeModel {
        vocab = java.util.Collections.unmodifiableList(new ArrayList<>(vocab));
        merges = List.copyOf(merges);
        addedTokens = List.copyOf(addedTokens);
    }

    /**
     * The workbench layout: ids 0..255 are the bytes, merge {@code i} makes id {@code 256 + i}, and
     * {@code <|endoftext|>} comes last (in the vocabulary too, as in GPT-2's file).
     *
     * @param pairs merges in rank order, each {@code {left, right}}
     */
    static BpeModel fromByteMerges(List<int[]> pairs) {
        List<byte[]> bytes = new ArrayList<>(256 + pairs.size());
        List<String> vocab = new ArrayList<>(257 + pairs.size());
        for (int b = 0; b < 256; b++) {
            bytes.add(new byte[] {(byte) b});
            vocab.add(ByteLevel.tokenString(bytes.get(b)));
        }
        List<int[]> merges = new ArrayList<>(pairs.size());
        for (int[] pair : pairs) {
            byte[] left = bytes.get(pair[0]);
            byte[] right = bytes.get(pair[1]);
            byte[] joined = new byte[left.length + right.length];
            System.arraycopy(left, 0, joined, 0, left.length);
            System.arraycopy(right, 0, joined, left.length, right.length);
            merges.add(new int[] {pair[0], pair[1], bytes.size()});
            bytes.add(joined);
            vocab.add(ByteLevel.tokenString(joined));
        }
        int endOfText = vocab.size();
        vocab.add(BpeTokenizer.END_OF_TEXT);
        return new BpeModel(vocab, merges, List.of(new AddedTokens.Token(endOfText, BpeTokenizer.END_OF_TEXT, true)),
                false, true, false);
    }

    /** True when this is exactly {@link ByteTokenizer}'s file: no merges, bytes in byte order, end-of-text 256. */
    boolean isByteTokenizer() {
        return merges.isEmpty() && !addPrefixSpace && !ignoreMerges
                && fromByteMerges(List.of()).vocab.equals(vocab)
                && addedTokens.equals(fromByteMerges(List.of()).addedTokens);
    }
}
