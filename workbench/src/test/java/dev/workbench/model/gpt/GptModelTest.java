package dev.workbench.model.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.KvCache;
import dev.workbench.recipe.Finetune;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.workbench.model.gpt.TinyModels.CONFIG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GptModelTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void logitsHaveShapeBatchTimeVocab() {
        GptModel model = GptModel.create(CONFIG, 1, manager);
        try (NDManager sub = manager.newSubManager()) {
            NDArray ids = sub.create(new long[][] {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}});
            NDArray logits = model.forward(new ParameterStore(sub, false), new NDList(ids), false).head();
            assertEquals(new Shape(2, 5, 300), logits.getShape());
            // int32 ids are accepted too
            NDArray ints = sub.create(new int[][] {{1, 2, 3}});
            assertEquals(new Shape(1, 3, 300),
                    model.forward(new ParameterStore(sub, false), new NDList(ints), false).head().getShape());
        }
    }

    @Test
    void parameterNamesAreStableAndCountMatchesConfig() {
        GptModel model = GptModel.create(CONFIG, 1, manager);
        Map<String, Parameter> named = model.namedParameters();
        assertEquals(List.of("transformer.token_embedding.weight", "transformer.position_embedding.weight",
                        "transformer.blocks.0.ln1.weight", "transformer.blocks.0.ln1.bias",
                        "transformer.blocks.0.attention.q.weight", "transformer.blocks.0.attention.q.bias"),
                named.keySet().stream().limit(6).toList());
        assertTrue(named.containsKey("transformer.blocks.1.mlp.down.bias"));
        assertTrue(named.containsKey("transformer.final_norm.weight"));
        assertEquals(new Shape(64, 16), named.get("transformer.blocks.1.mlp.up.weight").getShape());
        // DJL sees exactly the same parameters (no hidden extra output weight)
        assertEquals(model.getParameters().size(), named.size());
        long total = named.values().stream().mapToLong(p -> p.getArray().size()).sum();
        assertEquals(CONFIG.parameterCount(), total);
    }

    @Test
    void outputProjectionIsTiedToTokenEmbedding() {
        GptModel model = GptModel.create(CONFIG, 1, manager);
        long embeddingLike = model.namedParameters().values().stream()
                .filter(p -> p.getShape().equals(new Shape(300, 16))).count();
        assertEquals(1, embeddingLike, "one (vocab, dim) matrix: embedding and output projection are one parameter");
        // changing the embedding row of token 7 changes the logit of token 7 (output side) at a position that
        // never reads token 7 as input
        long[][] ids = {{1, 2, 3}};
        float[] before = TinyModels.logits(model, manager, ids);
        NDArray table = model.trunk().tokenEmbedding().getArray();
        table.set(new ai.djl.ndarray.index.NDIndex("7"), table.get(7).add(1f));
        float[] after = TinyModels.logits(model, manager, ids);
        assertNotEquals(before[7], after[7]);
    }

    @Test
    void laterTokensDoNotChangeEarlierLogits() {
        GptModel model = GptModel.create(CONFIG, 3, manager);
        long[][] a = {{5, 9, 11, 13, 17, 19, 23, 29}};
        long[][] b = {{5, 9, 11, 13, 250, 251, 252, 253}};
        float[] la = TinyModels.logits(model, manager, a);
        float[] lb = TinyModels.logits(model, manager, b);
        int v = CONFIG.vocabSize();
        // positions 0..3 identical bit for bit, position 4 differs
        assertArrayEquals(Arrays.copyOfRange(la, 0, 4 * v), Arrays.copyOfRange(lb, 0, 4 * v));
        assertTrue(TinyModels.maxAbsDiff(Arrays.copyOfRange(la, 4 * v, 5 * v), Arrays.copyOfRange(lb, 4 * v, 5 * v))
                > 1e-4);
    }

    @Test
    void sameSeedSameInitialisationOtherSeedOtherValues() {
        GptModel a = GptModel.create(CONFIG, 42, manager);
        GptModel b = GptModel.create(CONFIG, 42, manager);
        GptModel c = GptModel.create(CONFIG, 43, manager);
        for (String name : a.namedParameters().keySet()) {
            assertArrayEquals(a.namedParameters().get(name).getArray().toFloatArray(),
                    b.namedParameters().get(name).getArray().toFloatArray(), name);
        }
        String q = "transformer.blocks.0.attention.q.weight";
        assertNotEquals(a.namedParameters().get(q).getArray().getFloat(0, 0),
                c.namedParameters().get(q).getArray().getFloat(0, 0));
    }

    @Test
    void initialisationFollowsGpt2Scheme() {
        GptConfig wide = new GptConfig(300, 12, 8, 2, 64, 0);
        GptModel model = GptModel.create(wide, 5, manager);
        Map<String, Parameter> named = model.namedParameters();
        // std of 64*64 normal draws estimates sigma within ~3% (1/sqrt(2*4096) relative standard error)
        assertEquals(0.02, std(named.get("transformer.blocks.0.attention.q.weight")), 0.02 * 0.06);
        assertEquals(0.02 / Math.sqrt(16), std(named.get("transformer.blocks.3.attention.o.weight")), 0.005 * 0.06);
        assertEquals(0.0, named.get("transformer.blocks.0.attention.q.bias").getArray().abs().max().getFloat());
        assertEquals(1.0f, named.get("transformer.blocks.0.ln1.weight").getArray().min().getFloat());
    }

    private static double std(Parameter parameter) {
        float[] values = parameter.getArray().toFloatArray();
        double sum = 0;
        double squares = 0;
        for (float value : values) {
            sum += value;
            squares += value * value;
        }
        double mean = sum / values.length;
        return Math.sqrt(squares / values.length - mean * mean);
    }

    @Test
    void tooLongInputIsRefused() {
        GptModel model = GptModel.create(CONFIG, 1, manager);
        long[][] ids = {new long[13]};
        assertThrows(IllegalArgumentException.class, () -> TinyModels.logits(model, manager, ids));
    }

    @Test
    void aDecoderRefusesClsPoolingItsFirstTokenHasSeenOnlyItself() {
        assertEquals(List.of(Finetune.Pooling.MEAN, Finetune.Pooling.LAST), CONFIG.family().poolings());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassifierModel.of(CONFIG, 2, Finetune.Pooling.CLS));
        assertEquals("gpt classifiers pool by [MEAN, LAST], not CLS", e.getMessage());
    }

    @Test
    void classifierPoolsOnlyRealTokens() {
        for (Finetune.Pooling pooling : CONFIG.family().poolings()) {
            ClassifierModel model = CONFIG.family().newClassifier(CONFIG, 3, pooling, 7, manager);
            try (NDManager sub = manager.newSubManager()) {
                ParameterStore store = new ParameterStore(sub, false);
                NDArray plain = model.forward(store, new NDList(sub.create(new long[][] {{4, 5, 6}})), false).head();
                NDArray ids = sub.create(new long[][] {{4, 5, 6, 0, 0}, {4, 5, 6, 9, 9}});
                NDArray mask = sub.create(new long[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}});
                NDArray padded = model.forward(store, new NDList(ids, mask), false).head();
                assertEquals(new Shape(2, 3), padded.getShape());
                float[] expected = plain.toFloatArray();
                float[] got = padded.get(0).toFloatArray();
                assertTrue(TinyModels.maxAbsDiff(expected, got) < 1e-5, pooling + ": padding changed the logits");
                assertTrue(TinyModels.maxAbsDiff(expected, padded.get(1).toFloatArray()) > 1e-5);
            }
        }
    }

    @Test
    void cachedPositionsMatchTheFullPass() {
        long[] ids = {5, 80, 120, 7, 33};
        GptModel model = GptModel.create(CONFIG, 21, manager);
        try (NDManager sub = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(sub, false);
            float[] full = model.trunk().forward(store, new NDList(sub.create(ids)
                    .reshape(1, 5)), false).head().toFloatArray();
            KvCache cache = new KvCache(sub, CONFIG.layers());
            float[] prompt = model.trunk().forwardCached(store, sub.create(new long[] {5, 80, 120})
                    .reshape(1, 3), cache).toFloatArray();
            float[] fourth = model.trunk().forwardCached(store, sub.create(new long[] {7}).reshape(1, 1), cache)
                    .toFloatArray();
            float[] fifth = model.trunk().forwardCached(store, sub.create(new long[] {33}).reshape(1, 1), cache)
                    .toFloatArray();
            assertEquals(5, cache.length());
            int d = CONFIG.embeddingDim();
            assertArrayEquals(Arrays.copyOfRange(full, 0, 3 * d), prompt, 1e-5f);
            assertArrayEquals(Arrays.copyOfRange(full, 3 * d, 4 * d), fourth, 1e-5f);
            assertArrayEquals(Arrays.copyOfRange(full, 4 * d, 5 * d), fifth, 1e-5f);
        }
    }
}
