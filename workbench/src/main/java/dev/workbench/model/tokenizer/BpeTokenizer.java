package dev.workbench.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GPT-2-style byte-level BPE: the text is split at added tokens, then with GPT-2's pre-tokenizer regex
 * ({@link Gpt2Split}); each piece's UTF-8 bytes start as one symbol each and are merged by rank, lowest rank first
 * and leftmost first on a tie (the Hugging Face BPE model's order, so loaded GPT-2 files give the library's ids).
 * Encoded pieces are cached.
 *
 * <p>Made either by {@link #train} (hand-written: DJL's binding of the Hugging Face library can load and run a
 * tokenizer but cannot train one) or by {@link Tokenizers#load} from a {@code tokenizer.json}. Thread-safe.
 */
public final class BpeTokenizer implements Tokenizer {

    /** The end-of-text special token's text. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    /** Cached pieces; past this the cache is dropped and refilled (prose needs a few tens of thousands). */
    private static final int CACHE_LIMIT = 200_000;
    private static final AddedTokens END_OF_TEXT_ONLY =
            new AddedTokens(List.of(new AddedTokens.Token(ByteTokenizer.END_OF_TEXT_ID, END_OF_TEXT, true)));

    private final BpeModel model;
    private final int[] byteIds;
    private final byte[][] idBytes;
    /** (left << 32 | right) -> (rank << 32 | result). */
    private final Map<Long, Long> mergeTable;
    private final Map<String, Integer> vocabIds;
    private final AddedTokens added;
    private final int endOfTextId;
    private final int vocabSize;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    BpeTokenizer(BpeModel model) {
        this.model = model;
        this.added = new AddedTokens(model.addedTokens());
        int size = model.vocab().size();
        for (AddedTokens.Token t : model.addedTokens()) {
            size = Math.max(size, t.id() + 1);
        }
        this.vocabSize = size;
        this.idBytes = new byte[size][];
        this.vocabIds = new HashMap<>(model.vocab().size() * 2);
        for (int id = 0; id < model.vocab().size(); id++) {
            String token = model.vocab().get(id);
            if (token != null) {
                idBytes[id] = ByteLevel.tokenBytes(token);
                vocabIds.put(token, id);
            }
        }
        for (AddedTokens.Token t : model.addedTokens()) {
            idBytes[t.id()] = ByteLevel.tokenBytes(t.content());
        }
        this.byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            // A byte without a vocabulary entry is dropped, as the HF BPE model does when it has no unk token.
            byteIds[b] = vocabIds.getOrDefault(String.valueOf(ByteLevel.charOf(b)), -1);
        }
        this.mergeTable = new HashMap<>(model.merges().size() * 2);
        for (int rank = 0; rank < model.merges().size(); rank++) {
            int[] m = model.merges().get(rank);
            // A pair listed twice keeps its last rank, as in the HF library (its merge map is built by insertion).
            mergeTable.put(pairKey(m[0], m[1]), ((long) rank << 32) | m[2]);
        }
        int eot = -1;
        for (AddedTokens.Token t : model.addedTokens()) {
            if (t.content().equals(END_OF_TEXT)) {
                eot = t.id();
            }
        }
        if (eot < 0) {
            eot = vocabIds.getOrDefault(END_OF_TEXT, -1);
        }
        if (eot < 0) {
            throw new IllegalArgumentException("no " + END_OF_TEXT + " token");
        }
        this.endOfTextId = eot;
    }

    /**
     * Learns byte-level BPE merges from {@code corpusTexts} until the vocabulary (256 bytes + merges +
     * {@code <|endoftext|>}) has {@code vocabSize} entries, or no pair of symbols is left to merge (a tiny corpus:
     * then {@link #vocabSize()} is smaller). Deterministic: see {@link BpeTrainer}.
     *
     * @throws IllegalArgumentException when {@code vocabSize < 257}
     */
    public static BpeTokenizer train(Iterable<String> corpusTexts, int vocabSize) {
        if (vocabSize < ByteTokenizer.VOCAB_SIZE) {
            throw new IllegalArgumentException("BPE vocab_size must be at least " + ByteTokenizer.VOCAB_SIZE
                    + " (256 bytes + <|endoftext|>), got " + vocabSize);
        }
        Map<String, int[]> pieceCounts = new HashMap<>();
        for (String text : corpusTexts) {
            String clean = ByteLevel.sanitize(text);
            END_OF_TEXT_ONLY.split(clean, new AddedTokens.Sink() {
                @Override
                public void text(int start, int end) {
                    Gpt2Split.split(clean, start, end,
                            (s, e) -> pieceCounts.computeIfAbsent(clean.substring(s, e), k -> new int[1])[0]++);
                }

                @Override
                public void token(int id) {
                    // documents are separated by the special token; its text is not learned from
                }
            });
        }
        List<int[]> pairs = BpeTrainer.learn(pieceCounts, vocabSize - ByteTokenizer.VOCAB_SIZE);
        return new BpeTokenizer(BpeModel.fromByteMerges(pairs));
    }

    static AddedTokens endOfTextOnly() {
        return END_OF_TEXT_ONLY;
    }

    @Override
    public int[] encode(String text) {
        String clean = ByteLevel.sanitize(text);
        IdList ids = new IdList(clean.length() / 3 + 16);
        added.split(clean, new AddedTokens.Sink() {
            @Override
            public void text(int start, int end) {
                encodeSegment(clean, start, end, ids);
            }

            @Override
            public void token(int id) {
                ids.add(id);
            }
        });
        return ids.toArray();
    }

    private void encodeSegment(String text, int start, int end, IdList ids) {
        String segment = text;
        if (model.addPrefixSpace() && text.charAt(start) != ' ') {
            segment = " " + text.substring(start, end);
            start = 0;
            end = segment.length();
        }
        if (!model.useRegex()) {
            ids.addAll(encodePiece(segment.substring(start, end)));
            return;
        }
        String s = segment;
        Gpt2Split.split(s, start, end, (from, to) -> ids.addAll(encodePiece(s.substring(from, to))));
    }

    private int[] encodePiece(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] result = null;
        if (model.ignoreMerges()) {
            Integer whole = vocabIds.get(ByteLevel.tokenString(bytes));
            if (whole != null) {
                result = new int[] {whole};
            }
        }
        if (result == null) {
            int[] symbols = new int[bytes.length];
            int n = 0;
            for (byte b : bytes) {
                int id = byteIds[b & 0xFF];
                if (id >= 0) {
                    symbols[n++] = id;
                }
            }
            result = merge(symbols, n);
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(piece, result);
        return result;
    }

    /**
     * Applies merges to one piece: repeatedly the adjacent pair of lowest rank, leftmost first, via a heap of
     * (rank, position) over a linked list, so a long piece (a run of spaces) costs n log n rather than n squared.
     */
    private int[] merge(int[] symbols, int n) {
        if (n < 2) {
            return java.util.Arrays.copyOf(symbols, n);
        }
        int[] next = new int[n];
        int[] prev = new int[n];
        boolean[] gone = new boolean[n];
        PriorityQueue<Long> heap = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
            if (i + 1 < n) {
                offer(heap, symbols, i, i + 1);
            }
        }
        int remaining = n;
        while (!heap.isEmpty()) {
            long top = heap.poll();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            int right = next[pos];
            if (gone[pos] || right < 0) {
                continue;
            }
            Long merge = mergeTable.get(pairKey(symbols[pos], symbols[right]));
            if (merge == null || (int) (merge >>> 32) != rank) {
                continue; // stale entry: one side was merged since it was queued
            }
            symbols[pos] = (int) (long) merge;
            gone[right] = true;
            remaining--;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
                offer(heap, symbols, pos, next[pos]);
            }
            if (prev[pos] >= 0) {
                offer(heap, symbols, prev[pos], pos);
            }
        }
        int[] out = new int[remaining];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = symbols[i];
        }
        return out;
    }

    private void offer(PriorityQueue<Long> heap, int[] symbols, int left, int right) {
        Long merge = mergeTable.get(pairKey(symbols[left], symbols[right]));
        if (merge != null) {
            heap.add((merge & 0xFFFF_FFFF_0000_0000L) | left);
        }
    }

    static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFF_FFFFL);
    }

    /**
     * Concatenates the bytes of {@code ids} and reads them as UTF-8; invalid sequences (a model can emit any bytes)
     * become U+FFFD. Added tokens, {@code <|endoftext|>} included, decode to their text.
     *
     * @throws IllegalArgumentException for an id that is no token
     */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id < 0 || id >= vocabSize || idBytes[id] == null) {
                throw new IllegalArgumentException("token id " + id + " is not in the vocabulary (size " + vocabSize + ")");
            }
            out.writeBytes(idBytes[id]);
        }
        return ByteLevel.decodeLossy(out.toByteArray(), out.size());
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int endOfTextId() {
        return endOfTextId;
    }

    @Override
    public long byteCount(String text) {
        return ByteLevel.utf8Length(text);
    }

    /** Number of merges (ranks). */
    public int mergeCount() {
        return model.merges().size();
    }

    /** The merges in rank order as pairs of token texts (decoded from GPT-2's byte characters to UTF-8 where possible). */
    public List<String[]> merges() {
        List<String[]> out = new ArrayList<>(model.merges().size());
        for (int[] m : model.merges()) {
            out.add(new String[] {tokenText(m[0]), tokenText(m[1])});
        }
        return out;
    }

    /**
     * The bytes token {@code id} stands for, as text (lossy for a token that ends inside a UTF-8 sequence).
     *
     * @throws IllegalArgumentException for an id that is no token
     */
    public String tokenText(int id) {
        return decode(new int[] {id});
    }

    BpeModel model() {
        return model;
    }

    @Override
    public void save(Path folder) throws IOException {
        TokenizerJson.write(model, folder.resolve(FILE));
    }

    @Override
    public String toString() {
        return "BpeTokenizer[vocab=" + vocabSize + ", merges=" + model.merges().size() + "]";
    }
}
