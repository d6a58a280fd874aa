package dev.workbench.model;

import ai.djl.ndarray.NDManager;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static dev.workbench.model.TinyModels.CONFIG;
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
