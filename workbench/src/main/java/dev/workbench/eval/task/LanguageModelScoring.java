package dev.workbench.eval.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.workbench.model.Generator;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.SamplingConfig;
import dev.workbench.model.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * {@link ScoringModel} for any causal language model of the workbench and its tokenizer, following
 * lm-evaluation-harness's Hugging Face model: trailing spaces of the context move to the continuation, the
 * continuation's tokens are those of {@code encode(context + continuation)} after {@code encode(context)}'s (so merges
 * across the boundary count as the continuation's), an empty context becomes end-of-text, and the input is cut from
 * the left to the model's context; generation keeps the last {@code context - maxTokens} tokens of the prompt and
 * decodes greedily with the key/value cache ({@link Generator}).
 */
public final class LanguageModelScoring implements ScoringModel {
    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final int contextLength;
    private final NDManager manager;

    public LanguageModelScoring(LanguageModel model, Tokenizer tokenizer, NDManager manager) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.contextLength = model.architecture().contextLength();
        this.manager = manager;
    }

    /**
     * All continuations of one context in one forward pass: each row is its own sequence from position 0, padded on
     * the right, and a causal model's logits at a position never see what comes after it, so the padding changes
     * nothing that is read.
     */
    @Override
    public double[] logLikelihoods(String context, List<String> continuations) {
        int rows = continuations.size();
        long[][] inputs = new long[rows][];
        int[][] targets = new int[rows][];
        int width = 1;
        for (int r = 0; r < rows; r++) {
            Pair pair = encodePair(context, continuations.get(r));
            int[] all = new int[pair.context().length + pair.continuation().length];
            System.arraycopy(pair.context(), 0, all, 0, pair.context().length);
            System.arraycopy(pair.continuation(), 0, all, pair.context().length, pair.continuation().length);
            // (context + continuation)[-(max_length + 1):][:-1], as lm-eval
            int start = Math.max(0, all.length - (contextLength + 1));
            inputs[r] = new long[Math.max(0, all.length - 1 - start)];
            for (int i = 0; i < inputs[r].length; i++) {
                inputs[r][i] = all[start + i];
            }
            targets[r] = pair.continuation();
            width = Math.max(width, inputs[r].length);
        }
        double[] out = new double[rows];
        try (NDManager step = manager.newSubManager()) {
            long[] flat = new long[rows * width];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(inputs[r], 0, flat, r * width, inputs[r].length);
            }
            NDArray ids = step.create(flat).reshape(rows, width);
            NDArray logProbs = model.forward(new ParameterStore(step, false), new NDList(ids), false).head()
                    .logSoftmax(-1);
            int vocab = (int) logProbs.getShape().get(2);
            float[] values = logProbs.toFloatArray();
            for (int r = 0; r < rows; r++) {
                int n = Math.min(targets[r].length, inputs[r].length); // a continuation longer than the window
                int skipped = targets[r].length - n;                    // keeps only its last tokens, as lm-eval
                for (int i = 0; i < n; i++) {
                    int position = inputs[r].length - n + i;
                    out[r] += values[(r * width + position) * vocab + targets[r][skipped + i]];
                }
            }
        }
        return out;
    }

    /** The context's and the continuation's token ids as lm-eval's {@code _encode_pair} splits them. */
    record Pair(int[] context, int[] continuation) {
    }

    Pair encodePair(String context, String continuation) {
        if (context.isEmpty()) {
            return new Pair(new int[] {tokenizer.endOfTextId()}, tokenizer.encode(continuation));
        }
        int spaces = context.length() - context.stripTrailing().length();
        if (spaces > 0) {
            continuation = context.substring(context.length() - spaces) + continuation;
            context = context.substring(0, context.length() - spaces);
        }
        int[] whole = tokenizer.encode(context + continuation);
        int[] contextIds = tokenizer.encode(context);
        return new Pair(contextIds, Arrays.copyOfRange(whole, Math.min(contextIds.length, whole.length),
                whole.length));
    }

    @Override
    public String generateUntil(String context, List<String> until, int maxTokens) {
        int[] ids = context.isEmpty() ? new int[0] : tokenizer.encode(context);
        int keep = Math.max(1, contextLength - maxTokens);
        if (ids.length > keep) {
            ids = Arrays.copyOfRange(ids, ids.length - keep, ids.length);
        }
        int[] generated = new Generator(model).generate(ids, SamplingConfig.greedy(maxTokens),
                tokenizer.endOfTextId(), soFar -> firstStop(tokenizer.decode(soFar), until) >= 0);
        String text = tokenizer.decode(generated);
        int cut = firstStop(text, until);
        return cut >= 0 ? text.substring(0, cut) : text;
    }

    /** Where the first of {@code until} starts in {@code text}, or -1; lm-eval cuts at each in turn, the same. */
    static int firstStop(String text, List<String> until) {
        int first = -1;
        for (String stop : until) {
            int at = stop.isEmpty() ? -1 : text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }
}
