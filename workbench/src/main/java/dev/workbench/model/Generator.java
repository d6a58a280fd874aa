package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.workbench.model.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Text generation from a {@link LanguageModel} of any family, then temperature, top-k and top-p sampling in Java with a
 * seeded {@link Random}, so a given seed always gives the same continuation. DJL's TextGenerator offers no sampling and
 * expects an HF-style KV cache.
 *
 * <p>With the key/value cache (the default) the prompt runs once and each new token costs one position. Once the text
 * outgrows the context the window slides, every learned position embedding changes, and each further token is a full
 * forward pass over the last {@code contextLength} tokens: exactly what the uncached path does all along (tested:
 * identical tokens).
 */
public final class Generator {
    private final LanguageModel model;
    private final boolean kvCache;

    public Generator(LanguageModel model) {
        this(model, true);
    }

    /** @param kvCache false: a full forward pass over the window for every token (the reference path) */
    public Generator(LanguageModel model, boolean kvCache) {
        this.model = model;
        this.kvCache = kvCache;
    }

    /**
     * Generates after {@code prompt} and returns only the new ids. Stops after {@code maxNewTokens} or before
     * {@code endOfTextId} (which is not returned). An empty prompt starts from end-of-text, the document separator.
     */
    public int[] generate(int[] prompt, SamplingConfig sampling, int endOfTextId) {
        return generate(prompt, sampling, endOfTextId, generated -> false);
    }

    /**
     * As {@link #generate(int[], SamplingConfig, int)}, also stopping as soon as {@code stop} holds for the ids generated
     * so far (a chat template's end of turn that is several tokens long; an evaluation task's stop strings such as
     * {@code "\n\n"}, which only the decoded text shows); the ids that made it hold are returned.
     */
    public int[] generate(int[] prompt, SamplingConfig sampling, int endOfTextId, Predicate<int[]> stop) {
        int contextLength = model.architecture().contextLength();
        int[] tokens = prompt.length == 0 ? new int[] {endOfTextId} : prompt.clone();
        int promptLength = tokens.length;
        tokens = Arrays.copyOf(tokens, promptLength + sampling.maxNewTokens());
        int length = promptLength;
        Random random = new Random(sampling.seed());
        // the session lives on the manager that holds the model's arrays (its first parameter's: all share it)
        NDArray weights = model.namedParameters().values().iterator().next().getArray();
        try (NDManager session = weights.getManager().newSubManager()) {
            KvCache cache = kvCache ? new KvCache(session, model.architecture().layers()) : null;
            while (length < tokens.length) {
                float[] logits;
                if (cache != null && length <= contextLength) {
                    logits = cachedLogits(tokens, length, cache, session);
                } else {
                    if (cache != null) {
                        cache.clear();  // positions have started to slide: the cache no longer applies
                        cache = null;
                    }
                    logits = windowLogits(tokens, length, session);
                }
                int next = sample(logits, sampling, random);
                if (next == endOfTextId) {
                    break;
                }
                tokens[length++] = next;
                if (stop.test(Arrays.copyOfRange(tokens, promptLength, length))) {
                    break;
                }
            }
        }
        return Arrays.copyOfRange(tokens, promptLength, length);
    }

    /** Next-token logits from the tokens not yet in {@code cache} (the whole prompt first, then one at a time). */
    private float[] cachedLogits(int[] tokens, int length, KvCache cache, NDManager session) {
        try (NDManager step = session.newSubManager()) {
            long[] fresh = new long[length - cache.length()];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = tokens[cache.length() + i];
            }
            return model.nextTokenLogits(new ParameterStore(step, false), step.create(fresh).reshape(1, fresh.length),
                    cache).toFloatArray();
        }
    }

    /** Next-token logits from a full forward pass over the last {@code contextLength} tokens. */
    private float[] windowLogits(int[] tokens, int length, NDManager session) {
        int start = Math.max(0, length - model.architecture().contextLength());
        try (NDManager step = session.newSubManager()) {
            long[] window = new long[length - start];
            for (int i = 0; i < window.length; i++) {
                window[i] = tokens[start + i];
            }
            NDArray ids = step.create(window).reshape(1, window.length);
            NDArray output = model.forward(new ParameterStore(step, false), new NDList(ids), false).head();
            return output.get(0, window.length - 1).toFloatArray();
        }
    }

    /** Encodes {@code prompt}, generates, and decodes the continuation (without the prompt). */
    public String generate(Tokenizer tokenizer, String prompt, SamplingConfig sampling) {
        return tokenizer.decode(generate(tokenizer.encode(prompt), sampling, tokenizer.endOfTextId()));
    }

    /** Picks one token id from next-token logits. */
    static int sample(float[] logits, SamplingConfig sampling, Random random) {
        if (sampling.temperature() == 0) {
            return argMax(logits);
        }
        // candidates from most to least likely; ties keep the lower id first, so the order is deterministic
        Integer[] order = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]));
        int kept = sampling.topK() > 0 ? Math.min(sampling.topK(), order.length) : order.length;
        double max = logits[order[0]] / sampling.temperature();
        double[] weights = new double[kept];
        double total = 0;
        for (int i = 0; i < kept; i++) {
            weights[i] = Math.exp(logits[order[i]] / sampling.temperature() - max);
            total += weights[i];
        }
        if (sampling.topP() < 1) {
            double cumulative = 0;
            int nucleus = 0;
            while (nucleus < kept && cumulative < sampling.topP() * total) {
                cumulative += weights[nucleus++];
            }
            kept = Math.max(1, nucleus);
            total = cumulative;
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < kept; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
