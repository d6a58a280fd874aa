package dev.workbench.finetune;

import java.util.ArrayList;
import java.util.List;

/**
 * A tokenized corpus packed into one stream, {@code <eot> doc1 <eot> doc2 <eot> ...}, cut into windows of
 * {@code contextLength + 1} tokens that start every {@code contextLength} tokens. A window's first
 * {@code contextLength} tokens are the input and its last {@code contextLength} the labels, so consecutive windows
 * share one token and every token after the leading {@code <eot>} is predicted exactly once (non-overlapping for
 * evaluation). The last window may be shorter; batches pad it and mask the padding out of the loss.
 *
 * <p>Documents are separated by end-of-text so a model learns where documents end; the leading one gives the first
 * document's first token a context, as lm-eval's rolling log-likelihood does.
 */
public final class TokenWindows {
    private final int[] stream;
    private final int contextLength;

    public TokenWindows(int[] stream, int contextLength) {
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be >= 1, got " + contextLength);
        }
        this.stream = stream;
        this.contextLength = contextLength;
    }

    public static TokenWindows pack(List<int[]> documents, int endOfTextId, int contextLength) {
        int total = 1;
        for (int[] d : documents) {
            total += d.length + 1;
        }
        int[] stream = new int[total];
        int at = 0;
        stream[at++] = endOfTextId;
        for (int[] d : documents) {
            System.arraycopy(d, 0, stream, at, d.length);
            at += d.length;
            stream[at++] = endOfTextId;
        }
        return new TokenWindows(stream, contextLength);
    }

    /** One document alone, {@code <eot> doc}: what per-document scoring uses (no trailing end-of-text is scored). */
    public static TokenWindows ofDocument(int[] document, int endOfTextId, int contextLength) {
        int[] stream = new int[document.length + 1];
        stream[0] = endOfTextId;
        System.arraycopy(document, 0, stream, 1, document.length);
        return new TokenWindows(stream, contextLength);
    }

    public int contextLength() {
        return contextLength;
    }

    /** Tokens that get predicted (all but the first). */
    public long predictedTokens() {
        return Math.max(0, stream.length - 1);
    }

    public int count() {
        return stream.length <= 1 ? 0 : (stream.length - 2) / contextLength + 1;
    }

    /** Window {@code i}: up to {@code contextLength + 1} tokens. */
    public int[] window(int i) {
        int start = i * contextLength;
        int end = Math.min(stream.length, start + contextLength + 1);
        int[] w = new int[end - start];
        System.arraycopy(stream, start, w, 0, w.length);
        return w;
    }

    public List<int[]> windows() {
        List<int[]> all = new ArrayList<>(count());
        for (int i = 0; i < count(); i++) {
            all.add(window(i));
        }
        return all;
    }
}
