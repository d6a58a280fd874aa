package dev.workbench.model;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.model.gpt.TinyModels;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static dev.workbench.model.gpt.TinyModels.CONFIG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    private static NDManager manager;
    private static GptModel model;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        model = GptModel.create(CONFIG, 21, manager);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void sameSeedSameTokensOtherSeedOtherTokens() {
        Generator generator = new Generator(model);
        int[] prompt = {72, 105, 33};
        SamplingConfig sampling = new SamplingConfig(20, 1.0, 0, 1.0, 7);
        int[] first = generator.generate(prompt, sampling, 299);
        int[] second = generator.generate(prompt, sampling, 299);
        assertArrayEquals(first, second);
        assertEquals(20, first.length);
        int[] other = generator.generate(prompt, new SamplingConfig(20, 1.0, 0, 1.0, 8), 299);
        // an untrained model is close to uniform over 300 ids: two seeds agree on all 20 draws with negligible odds
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void greedyFollowsTheArgmaxAndSlidesPastTheContext() {
        Generator generator = new Generator(model);
        int[] prompt = new int[20]; // longer than context_length 12: only the last 12 tokens are read
        Arrays.fill(prompt, 65);
        int[] greedy = generator.generate(prompt, SamplingConfig.greedy(15), 299);
        assertEquals(15, greedy.length);
        long[][] window = new long[1][12];
        Arrays.fill(window[0], 65);
        float[] logits = TinyModels.logits(model, manager, window);
        float[] last = Arrays.copyOfRange(logits, 11 * 300, 12 * 300);
        assertEquals(Generator.argMax(last), greedy[0]);
    }

    @Test
    void keyValueCacheGivesTheSameTokensAsFullForwardPasses() {
        Generator cached = new Generator(model, true);
        Generator reference = new Generator(model, false);
        // prompts of 1, 3 and 11 tokens with 14 new ones: the cache covers positions up to context_length 12, then
        // the window slides and both paths run full passes; greedy plus sampling with top-k / top-p and two seeds
        int[][] prompts = {{65}, {72, 105, 33}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}};
        SamplingConfig[] samplings = {SamplingConfig.greedy(14), new SamplingConfig(14, 1.0, 0, 1.0, 3),
            new SamplingConfig(14, 0.7, 40, 0.9, 11)};
        for (int[] prompt : prompts) {
            for (SamplingConfig sampling : samplings) {
                int[] expected = reference.generate(prompt, sampling, 299);
                assertEquals(14, expected.length);
                assertArrayEquals(expected, cached.generate(prompt, sampling, 299),
                        Arrays.toString(prompt) + " " + sampling);
            }
        }
        // LoRA projections go through the same cached path
        GptModel adapted = GptModel.create(CONFIG, 4, manager);
        Lora.apply(adapted, new dev.workbench.recipe.Finetune.Lora(2, 4.0, 0.0, java.util.List.of("q", "v")), 5);
        SamplingConfig sampling = new SamplingConfig(10, 1.0, 0, 1.0, 9);
        assertArrayEquals(new Generator(adapted, false).generate(new int[] {7, 8}, sampling, 299),
                new Generator(adapted, true).generate(new int[] {7, 8}, sampling, 299));
    }

    @Test
    void stopsBeforeEndOfText() {
        Generator generator = new Generator(model);
        int[] prompt = {1, 2, 3};
        int[] greedy = generator.generate(prompt, SamplingConfig.greedy(10), 299);
        int stop = greedy[4];
        int firstStop = 0;
        while (greedy[firstStop] != stop) {
            firstStop++;
        }
        int[] stopped = generator.generate(prompt, SamplingConfig.greedy(10), stop);
        assertArrayEquals(Arrays.copyOf(greedy, firstStop), stopped);
    }

    @Test
    void topKAndTopPRestrictTheCandidates() {
        // probabilities at temperature 1 are softmax([3, 2, 1, 0]) = 0.644, 0.237, 0.087, 0.032 (python3, math.exp)
        float[] logits = {1f, 3f, 0f, 2f};
        Random random = new Random(0);
        Set<Integer> topTwo = new HashSet<>();
        Set<Integer> nucleus = new HashSet<>();
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            topTwo.add(Generator.sample(logits, new SamplingConfig(1, 1, 2, 1, 0), random));
            nucleus.add(Generator.sample(logits, new SamplingConfig(1, 1, 0, 0.85, 0), random));
            all.add(Generator.sample(logits, new SamplingConfig(1, 1, 0, 1, 0), random));
        }
        assertEquals(Set.of(1, 3), topTwo);
        assertEquals(Set.of(1, 3), nucleus, "0.644 + 0.237 = 0.881 >= 0.85: the nucleus is ids 1 and 3");
        assertEquals(Set.of(0, 1, 2, 3), all);
        assertEquals(1, Generator.sample(logits, new SamplingConfig(1, 1, 0, 0.5, 0), random));
        assertEquals(1, Generator.sample(logits, SamplingConfig.greedy(1), random));
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(WorkbenchException.class, () -> new SamplingConfig(1, -1, 0, 1, 0));
        assertThrows(WorkbenchException.class, () -> new SamplingConfig(1, 1, 0, 0, 0));
        assertThrows(WorkbenchException.class, () -> new SamplingConfig(-1, 1, 0, 1, 0));
        assertTrue(new Generator(model).generate(new int[] {5}, SamplingConfig.greedy(0), 299).length == 0);
    }
}
