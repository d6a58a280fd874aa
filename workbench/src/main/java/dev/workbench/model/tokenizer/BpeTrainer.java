package dev.workbench.model.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Learns byte-level BPE merges. Hand-written: DJL's Hugging Face tokenizers binding has no trainer.
 *
 * <p>Works on unique pre-tokens with their frequencies, not on the text: each pair's count is the sum over the
 * pieces that contain it of (occurrences x frequency). After each merge only the pieces that contain the merged
 * pair are rewritten (an index maps each pair to those pieces) and the counts change by their difference, so a merge
 * costs time in proportion to where the pair occurs, not to the corpus.
 *
 * <p>Order, deterministic: the pair with the highest count; on a tie the smaller left id, then the smaller right id
 * (ids: bytes 0..255, merge {@code i} = 256 + i). Training stops early when no pair is left.
 */
final class BpeTrainer {

    private final int[][] symbols;
    private final int[] lengths;
    private final long[] frequencies;
    private final Map<Long, long[]> pairCounts = new HashMap<>();
    /** Pieces that contain (or once contained) each pair; stale entries are skipped when used. */
    private final Map<Long, IdList> piecesWithPair = new HashMap<>();
    /** Max-heap of {count, pairKey}; an entry is stale when its count differs from {@link #pairCounts}. */
    private final PriorityQueue<long[]> heap = new PriorityQueue<>((x, y) ->
            x[0] != y[0] ? Long.compare(y[0], x[0]) : Long.compare(x[1], y[1]));

    private BpeTrainer(Map<String, int[]> pieceCounts) {
        // Sorted so that index order (and with it everything after) does not depend on HashMap iteration order.
        String[] pieces = pieceCounts.keySet().toArray(new String[0]);
        Arrays.sort(pieces);
        symbols = new int[pieces.length][];
        lengths = new int[pieces.length];
        frequencies = new long[pieces.length];
        for (int w = 0; w < pieces.length; w++) {
            byte[] bytes = pieces[w].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            symbols[w] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                symbols[w][i] = bytes[i] & 0xFF;
            }
            lengths[w] = bytes.length;
            frequencies[w] = pieceCounts.get(pieces[w])[0];
            for (int i = 0; i + 1 < lengths[w]; i++) {
                long key = BpeTokenizer.pairKey(symbols[w][i], symbols[w][i + 1]);
                pairCounts.computeIfAbsent(key, k -> new long[1])[0] += frequencies[w];
                indexPiece(key, w);
            }
        }
        for (Map.Entry<Long, long[]> e : pairCounts.entrySet()) {
            heap.add(new long[] {e.getValue()[0], e.getKey()});
        }
    }

    /**
     * @param pieceCounts each distinct pre-token with its number of occurrences
     * @param maxMerges   merges wanted
     * @return merges in rank order, each {@code {left, right}}; merge {@code i} makes id {@code 256 + i}
     */
    static List<int[]> learn(Map<String, int[]> pieceCounts, int maxMerges) {
        return new BpeTrainer(pieceCounts).run(maxMerges);
    }

    private List<int[]> run(int maxMerges) {
        List<int[]> merges = new ArrayList<>(maxMerges);
        while (merges.size() < maxMerges) {
            long[] top = heap.poll();
            if (top == null) {
                break;
            }
            long current = count(top[1]);
            if (current != top[0]) {
                if (current > 0) {
                    heap.add(new long[] {current, top[1]});
                }
                continue;
            }
            if (current <= 0) {
                break;
            }
            int left = (int) (top[1] >>> 32);
            int right = (int) top[1];
            int merged = 256 + merges.size();
            merges.add(new int[] {left, right});
            apply(top[1], left, right, merged);
        }
        return merges;
    }

    private void apply(long key, int left, int right, int merged) {
        IdList where = piecesWithPair.remove(key);
        int[] pieces = where.toArray();
        Arrays.sort(pieces);
        List<Long> newPairs = new ArrayList<>();
        int last = -1;
        for (int w : pieces) {
            if (w == last) {
                continue;
            }
            last = w;
            int[] s = symbols[w];
            int n = lengths[w];
            if (!contains(s, n, left, right)) {
                continue;
            }
            long f = frequencies[w];
            for (int i = 0; i + 1 < n; i++) {
                pairCounts.get(BpeTokenizer.pairKey(s[i], s[i + 1]))[0] -= f;
            }
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && s[i] == left && s[i + 1] == right) {
                    s[k++] = merged;
                    i++;
                } else {
                    s[k++] = s[i];
                }
            }
            lengths[w] = k;
            for (int i = 0; i + 1 < k; i++) {
                long pair = BpeTokenizer.pairKey(s[i], s[i + 1]);
                long[] c = pairCounts.computeIfAbsent(pair, p -> new long[1]);
                if (s[i] == merged || s[i + 1] == merged) {
                    if (c[0] == 0) {
                        newPairs.add(pair);
                    }
                    indexPiece(pair, w);
                }
                c[0] += f;
            }
        }
        pairCounts.remove(key);
        // Only pairs with the new symbol can have grown; every other count only fell, which the lazy heap tolerates.
        for (long pair : newPairs) {
            heap.add(new long[] {pairCounts.get(pair)[0], pair});
        }
    }

    private static boolean contains(int[] s, int n, int left, int right) {
        for (int i = 0; i + 1 < n; i++) {
            if (s[i] == left && s[i + 1] == right) {
                return true;
            }
        }
        return false;
    }

    private long count(long key) {
        long[] c = pairCounts.get(key);
        return c == null ? 0 : c[0];
    }

    private void indexPiece(long key, int piece) {
        piecesWithPair.computeIfAbsent(key, k -> new IdList(4)).add(piece);
    }
}
