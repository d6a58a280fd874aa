package dev.workbench.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.tokenizer.HfTokenizer;
import dev.workbench.recipe.Finetune;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The imported BERT, RoBERTa and DistilBERT encoders compute what transformers computes (float64, committed by
 * {@code make_tiny_bert.py}): the last hidden states of a right-padded batch at every position, the CLS-pooled vector
 * (through the pretrained pooler for BERT, the raw first state for the pooler-less RoBERTa MLM checkpoint and
 * DistilBERT) and the mean-pooled vector, each within 1e-4; and each text alone, without padding, gives its rows of
 * the batch.
 */
class BertReferenceTest {
    private static final float TOLERANCE = 1e-4f;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void hiddenStatesAndPooledVectorsEqualTransformers(String type) {
        JsonNode expected = BertFixtures.expected(type);
        ClassifierModel cls = HfImporter.loadClassifierBase(BertFixtures.folder(type), 2, Finetune.Pooling.CLS, 1,
                manager);
        ClassifierModel mean = HfImporter.loadClassifierBase(BertFixtures.folder(type), 2, Finetune.Pooling.MEAN, 1,
                manager);
        assertEquals(expected.path("cls_through_pooler").asBoolean(),
                ((BertConfig) cls.architecture()).pooler(), "pooler weights present");
        try (NDManager sub = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(sub, false);
            NDArray ids = sub.create(BertFixtures.longs(expected.path("input_ids")));
            NDArray mask = sub.create(BertFixtures.longs(expected.path("attention_mask")));
            float[] hidden = cls.trunk().forward(store, new NDList(ids, mask), false).head().toFloatArray();
            float hiddenDiff = BertFixtures.maxAbsDiff(BertFixtures.flat(expected.path("last_hidden_state")), hidden);
            float clsDiff = BertFixtures.maxAbsDiff(BertFixtures.flat(expected.path("pooled_cls")),
                    cls.pooled(store, ids, mask, false).toFloatArray());
            float meanDiff = BertFixtures.maxAbsDiff(BertFixtures.flat(expected.path("pooled_mean")),
                    mean.pooled(store, ids, mask, false).toFloatArray());
            System.out.printf("%s: max |diff| hidden %.2e, cls %.2e, mean %.2e%n", type, hiddenDiff, clsDiff,
                    meanDiff);
            assertTrue(hiddenDiff < TOLERANCE, type + ": last hidden states differ by " + hiddenDiff);
            assertTrue(clsDiff < TOLERANCE, type + ": cls-pooled vectors differ by " + clsDiff);
            assertTrue(meanDiff < TOLERANCE, type + ": mean-pooled vectors differ by " + meanDiff);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void theFoldersTokenizerGivesTransformersIds(String type) {
        JsonNode expected = BertFixtures.expected(type);
        HfTokenizer tokenizer = HfTokenizer.load(BertFixtures.folder(type), OptionalInt.empty());
        long[][] ids = BertFixtures.longs(expected.path("ids"));
        for (int s = 0; s < ids.length; s++) {
            String text = expected.path("texts").get(s).asText();
            int[] got = tokenizer.encodeWithSpecialTokens(text);
            assertArrayEquals(ids[s], java.util.Arrays.stream(got).asLongStream().toArray(), type + ": " + text);
        }
        // the encoders' end of text is their separator: [SEP] for WordPiece, </s> for RoBERTa's BPE
        assertEquals(ids[0][ids[0].length - 1], tokenizer.endOfTextId());
    }

    /** bert-base-uncased's own tokenizer_config.json names no special token: [SEP] is still found as end of text. */
    @org.junit.jupiter.api.Test
    void aHubTokenizerConfigWithoutSpecialTokensLoads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path folder = BertFixtures.copy("bert", dir.resolve("hub-style"));
        java.nio.file.Files.writeString(folder.resolve("tokenizer_config.json"),
                "{\"do_lower_case\": true, \"model_max_length\": 512}");
        dev.workbench.model.tokenizer.Tokenizer tokenizer = HfImporter.loadTokenizer(folder);
        long[] ids = BertFixtures.longs(BertFixtures.expected("bert").path("ids"))[0];
        assertEquals(ids[ids.length - 1], tokenizer.endOfTextId());
        assertArrayEquals(ids, java.util.Arrays.stream(tokenizer.encodeWithSpecialTokens("the cat sat on the mat."))
                .asLongStream().toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "distilbert"})
    void eachTextAloneGivesItsRowsOfThePaddedBatch(String type) {
        JsonNode expected = BertFixtures.expected(type);
        ClassifierModel model = HfImporter.loadClassifierBase(BertFixtures.folder(type), 2, Finetune.Pooling.CLS, 1,
                manager);
        long[][] texts = BertFixtures.longs(expected.path("ids"));
        for (int s = 0; s < texts.length; s++) {
            try (NDManager sub = manager.newSubManager()) {
                ParameterStore store = new ParameterStore(sub, false);
                NDArray ids = sub.create(new long[][] {texts[s]});
                float[] alone = model.trunk().forward(store, new NDList(ids), false).head().toFloatArray();
                JsonNode rows = expected.path("last_hidden_state").get(s);
                float[] reference = new float[alone.length];
                System.arraycopy(BertFixtures.flat(rows), 0, reference, 0, alone.length); // the real positions
                float diff = BertFixtures.maxAbsDiff(reference, alone);
                assertTrue(diff < TOLERANCE, type + " text " + s + ": unpadded differs by " + diff);
                float[] pooled = model.pooled(store, ids, ids.onesLike(), false).toFloatArray();
                float pooledDiff = BertFixtures.maxAbsDiff(BertFixtures.flat(expected.path("pooled_cls").get(s)),
                        pooled);
                assertTrue(pooledDiff < TOLERANCE, type + " text " + s + ": cls-pooled unpadded differs by "
                        + pooledDiff);
            }
        }
    }
}
