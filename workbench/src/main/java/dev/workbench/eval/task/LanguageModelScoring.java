package dev.workbench.eval.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
     * One forward pass per continuation (measured on models/general-micro: a right-padded batch of four choices took
     * 610 ms against 4 x 64 ms one at a time), the log-softmax taken only over the continuation's positions.
     */
    @Override
    public double[] logLikelihoods(String context, List<String> continuations) {
        double[] out = new double[continuations.size()];
        for (int r = 0; r < out.length; r++) {
            Pair pair = encodePair(context, continuations.get(r));
            int[] all = new int[pair.context().length + pair.continuation().length];
            System.arraycopy(pair.context(), 0, all, 0, pair.context().length);
            System.arraycopy(pair.continuation(), 0, all, pair.context().length, pair.continuation().length);
            // (context + continuation)[-(max_length + 1):][:-1], as lm-eval
            int start = Math.max(0, all.length - (contextLength + 1));
            long[] input = new long[Math.max(0, all.length - 1 - start)];
            for (int i = 0; i < input.length; i++) {
                input[i] = all[start + i];
            }
            // a continuation longer than the window keeps only its last tokens, as lm-eval
            int n = Math.min(pair.continuation().length, input.length);
            if (n == 0) {
                continue;
            }
            int skipped = pair.continuation().length - n;
            try (NDManager step = manager.newSubManager()) {
                NDArray ids = step.create(input).reshape(1, input.length);
                NDArray logits = model.forward(new ParameterStore(step, false), new NDList(ids), false).head();
                NDArray logProbs = logits.get(new NDIndex("0, " + (input.length - n) + ":")).logSoftmax(-1);
                int vocab = (int) logProbs.getShape().get(1);
                float[] values = logProbs.toFloatArray();
                for (int i = 0; i < n; i++) {
                    out[r] += values[i * vocab + pair.continuation()[skipped + i]];
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
