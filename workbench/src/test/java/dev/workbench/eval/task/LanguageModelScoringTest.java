package dev.workbench.eval.task;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.Generator;
import dev.workbench.model.SamplingConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.model.gpt.TinyModels;
import dev.workbench.model.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lm-eval's loglikelihood and generate_until on a real (tiny, untrained) model with the byte tokenizer. */
class LanguageModelScoringTest {
    private static NDManager manager;
    private static GptModel model;
    private static LanguageModelScoring scoring;
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        model = GptModel.create(TinyModels.CONFIG, 5, manager); // context 12
        scoring = new LanguageModelScoring(model, TOKENIZER, manager);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    /** Σ log softmax of the continuation's tokens, in doubles, from one forward pass over the given ids. */
    static double reference(int[] ids, int continuationLength) {
        long[][] input = {Arrays.stream(Arrays.copyOf(ids, ids.length - 1)).asLongStream().toArray()};
        float[] logits = TinyModels.logits(model, manager, input);
        int vocab = logits.length / input[0].length;
        double sum = 0;
        for (int p = input[0].length - continuationLength; p < input[0].length; p++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[p * vocab + v]);
            }
            double z = 0;
            for (int v = 0; v < vocab; v++) {
                z += Math.exp(logits[p * vocab + v] - max);
            }
            sum += logits[p * vocab + ids[p + 1]] - max - Math.log(z);
        }
        return sum;
    }

    @Test
    void trailingSpacesMoveToTheContinuationAndEmptyContextIsEndOfText() {
        LanguageModelScoring.Pair pair = scoring.encodePair("A: ", "yes");
        assertArrayEquals(bytes("A:"), pair.context());
        assertArrayEquals(bytes(" yes"), pair.continuation());
        LanguageModelScoring.Pair empty = scoring.encodePair("", "hi");
        assertArrayEquals(new int[] {TOKENIZER.endOfTextId()}, empty.context());
        assertArrayEquals(bytes("hi"), empty.continuation());
    }

    @Test
    void logLikelihoodIsTheSumOverContinuationTokensLeftTruncatedToTheContext() {
        double[] ll = scoring.logLikelihoods("Q: 2+2?", List.of(" 4", " four"));
        assertEquals(reference(bytes("Q: 2+2? 4"), 2), ll[0], 1e-4);
        assertEquals(reference(bytes("Q: 2+2? four"), 5), ll[1], 1e-4);
        assertTrue(ll[1] < ll[0], "more tokens, each with probability < 1");
        // 20 + 2 tokens: the input is the last context + 1 = 13 of them, minus the last
        String longContext = "abcdefghijklmnopqrst";
        double truncated = scoring.logLikelihoods(longContext, List.of("uv"))[0];
        int[] all = bytes(longContext + "uv");
        assertEquals(reference(Arrays.copyOfRange(all, all.length - 13, all.length), 2), truncated, 1e-4);
    }

    @Test
    void generationIsGreedyAndCutAtTheFirstStopString() {
        String prompt = "The cat";
        // 4 new tokens leave 12 - 4 = 8 positions for the prompt: all 7 of its bytes
        int[] greedy = new Generator(model).generate(bytes(prompt), SamplingConfig.greedy(4),
                TOKENIZER.endOfTextId());
        String full = TOKENIZER.decode(greedy);
        assertEquals(full, scoring.generateUntil(prompt, List.of(), 4));
        // stopping at the first character generated leaves nothing
        assertEquals("", scoring.generateUntil(prompt, List.of("\u0000never", full.substring(0, 1)), 4));
        // 6 new tokens leave 6 positions: the prompt loses its first byte, as lm-eval truncates
        int[] truncated = new Generator(model).generate(bytes("he cat"), SamplingConfig.greedy(6),
                TOKENIZER.endOfTextId());
        assertEquals(TOKENIZER.decode(truncated), scoring.generateUntil(prompt, List.of(), 6));
        assertEquals(1, LanguageModelScoring.firstStop("ab\n\ncd", List.of("cd", "\n")) - 1);
    }
}
