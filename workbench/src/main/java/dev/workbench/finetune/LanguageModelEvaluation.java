package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.workbench.data.TextDocument;
import dev.workbench.model.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores documents under a language model, one document at a time, so the same numbers serve corpus metrics and
 * per-document paired comparisons (base vs fine-tuned).
 *
 * <p>Each document is scored as {@code <eot> doc} in non-overlapping windows ({@link TokenWindows#ofDocument}): every
 * token of the document is predicted once, with up to {@code contextLength} tokens of its own document as context.
 *
 * <p><b>Bits per byte</b> follows lm-evaluation-harness ({@code bits_per_byte} of its perplexity tasks): the summed
 * negative log-likelihood in nats of all evaluated documents, divided by {@code ln 2} and by the total number of UTF-8
 * bytes of their text: {@code bpb = sum(nll) / ln(2) / sum(bytes)}. It does not depend on the tokenizer, so models with
 * different vocabularies compare fairly. Perplexity is per TOKEN, {@code exp(sum(nll) / sum(tokens))}, and therefore
 * comparable only between models sharing a tokenizer.
 */
public final class LanguageModelEvaluation {
    private LanguageModelEvaluation() {
    }

    /** @param nllNats summed negative log-likelihood of the document's tokens, in nats */
    public record DocumentScore(String id, long bytes, long tokens, double nllNats) {
        public double bits() {
            return nllNats / Math.log(2);
        }
    }

    /** Corpus-level numbers over documents. */
    public record Summary(long documents, long bytes, long tokens, double nllNats) {
        public double loss() {
            return nllNats / Math.max(1, tokens);
        }

        public double bitsPerByte() {
            return nllNats / Math.log(2) / Math.max(1, bytes);
        }

        public double perplexity() {
            return Math.exp(loss());
        }

        public static Summary of(List<DocumentScore> scores) {
            long bytes = 0;
            long tokens = 0;
            double nll = 0;
            for (DocumentScore s : scores) {
                bytes += s.bytes();
                tokens += s.tokens();
                nll += s.nllNats();
            }
            return new Summary(scores.size(), bytes, tokens, nll);
        }
    }

    /** Scores every document; windows of many documents share batches of {@code batchSize} rows. */
    public static List<DocumentScore> score(Block model, Tokenizer tokenizer, List<TextDocument> documents,
                                            int contextLength, int batchSize, Device device) {
        List<int[]> windows = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        long[] tokens = new long[documents.size()];
        for (int d = 0; d < documents.size(); d++) {
            TokenWindows w = TokenWindows.ofDocument(tokenizer.encode(documents.get(d).text()),
                    tokenizer.endOfTextId(), contextLength);
            tokens[d] = w.predictedTokens();
            for (int[] window : w.windows()) {
                windows.add(window);
                owner.add(d);
            }
        }
        double[] nll = new double[documents.size()];
        try (NDManager manager = NDManager.newBaseManager(device)) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int from = 0; from < windows.size(); from += batchSize) {
                int to = Math.min(windows.size(), from + batchSize);
                try (NDManager batchManager = manager.newSubManager()) {
                    MicroBatch batch = LanguageModelBatches.of(windows.subList(from, to), batchManager);
                    double[] perRow = LossFunctions.nllPerRow(model.forward(store, batch.inputs(), false).head(),
                            batch.labels(), batch.weights()).toType(DataType.FLOAT64, false).toDoubleArray();
                    for (int r = 0; r < perRow.length; r++) {
                        nll[owner.get(from + r)] += perRow[r];
                    }
                }
            }
        }
        List<DocumentScore> scores = new ArrayList<>(documents.size());
        for (int d = 0; d < documents.size(); d++) {
            TextDocument doc = documents.get(d);
            scores.add(new DocumentScore(doc.id(), tokenizer.byteCount(doc.text()), tokens[d], nll[d]));
        }
        return scores;
    }
}
