package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Text generation from a {@link GptModel}: one forward pass per new token over the last {@code contextLength} tokens
 * (no KV cache), then temperature, top-k and top-p sampling in Java with a seeded {@link Random}, so a given seed
 * always gives the same continuation. DJL's TextGenerator offers no sampling and expects an HF-style KV cache.
 */
public final class Generator {
    private final GptModel model;

    public Generator(GptModel model) {
        this.model = model;
    }

    /**
     * Generates after {@code prompt} and returns only the new ids. Stops after {@code maxNewTokens} or before
     * {@code endOfTextId} (which is not returned). An empty prompt starts from end-of-text, the document separator.
     */
    public int[] generate(int[] prompt, SamplingConfig sampling, int endOfTextId) {
        int contextLength = model.config().contextLength();
        int[] tokens = prompt.length == 0 ? new int[] {endOfTextId} : prompt.clone();
        int promptLength = tokens.length;
        tokens = Arrays.copyOf(tokens, promptLength + sampling.maxNewTokens());
        int length = promptLength;
        Random random = new Random(sampling.seed());
        NDArray table = model.transformer().tokenEmbedding().getArray();
        try (NDManager session = table.getManager().newSubManager()) {
            while (length < tokens.length) {
                int start = Math.max(0, length - contextLength);
                float[] logits;
                try (NDManager step = session.newSubManager()) {
                    long[] window = new long[length - start];
                    for (int i = 0; i < window.length; i++) {
                        window[i] = tokens[start + i];
                    }
                    NDArray ids = step.create(window).reshape(1, window.length);
                    NDArray output = model.forward(new ParameterStore(step, false), new NDList(ids), false).head();
                    logits = output.get(0, window.length - 1).toFloatArray();
                }
                int next = sample(logits, sampling, random);
                if (next == endOfTextId) {
                    break;
                }
                tokens[length++] = next;
            }
        }
        return Arrays.copyOfRange(tokens, promptLength, length);
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
