package dev.workbench.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.workbench.data.chat.ChatTokens;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.llama.LlamaFixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packing keeps conversations apart (packed loss == each alone), and masked tokens carry no gradient. */
class InstructBatchesTest {

    /** Three conversations of different lengths, the last few tokens of each trained (as an assistant turn). */
    private static List<ChatTokens> conversations(int vocab) {
        Random random = new Random(7);
        List<ChatTokens> out = new ArrayList<>();
        for (int length : new int[] {9, 14, 6}) {
            int[] ids = new int[length];
            boolean[] trained = new boolean[length];
            for (int i = 0; i < length; i++) {
                ids[i] = random.nextInt(vocab);
                trained[i] = i >= length / 2;
            }
            out.add(new ChatTokens(ids, trained, 0, ""));
        }
        return out;
    }

    private static void assertPackedEqualsAlone(LanguageModel model, int vocab) {
        List<ChatTokens> conversations = conversations(vocab);
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            MicroBatch packed = InstructBatches.of(List.of(conversations), manager);
            double packedLoss = LossFunctions.lossSum(model, store, packed, false).getFloat();
            double alone = 0;
            long units = 0;
            for (ChatTokens c : conversations) {
                MicroBatch one = InstructBatches.of(List.of(List.of(c)), manager);
                alone += LossFunctions.lossSum(model, store, one, false).getFloat();
                units += one.units();
            }
            // the same conversations padded into a batch of rows, one each
            MicroBatch rows = InstructBatches.of(conversations.stream().map(List::of).toList(), manager);
            double rowsLoss = LossFunctions.lossSum(model, store, rows, false).getFloat();
            assertEquals(units, packed.units());
            assertEquals(5 + 7 + 3, packed.units()); // trained targets: tokens length/2 .. end of 9, 14, 6
            assertEquals(alone, packedLoss, 1e-5 * Math.abs(alone));
            assertEquals(alone, rowsLoss, 1e-5 * Math.abs(alone));
            // the test can fail: without segments and positions (one causal sequence) the loss differs
            MicroBatch crossing = new MicroBatch(new NDList(packed.inputs().get(0)), packed.labels(), packed.weights(),
                    packed.units(), packed.tokens());
            double crossingLoss = LossFunctions.lossSum(model, store, crossing, false).getFloat();
            assertTrue(Math.abs(crossingLoss - alone) > 1e-3 * Math.abs(alone), "attention crossed: " + crossingLoss);
        }
    }

    @Test
    void packedLossEqualsUnpackedForGpt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GptModel model = GptModel.create(new GptConfig(50, 32, 2, 2, 16, 0.0), 3, manager);
            assertPackedEqualsAlone(model, 50);
        }
    }

    @Test
    void packedLossEqualsUnpackedForLlamaAndQwen() {
        for (String name : List.of("llama", "qwen2")) {
            try (NDManager manager = NDManager.newBaseManager()) {
                LanguageModel model = HfImporter.loadModel(LlamaFixtures.folder(name), manager);
                assertPackedEqualsAlone(model, 200);
            }
        }
    }

    @Test
    void batchMarksSegmentsPositionsAndTrainedTargets() {
        ChatTokens a = new ChatTokens(new int[] {5, 6, 7}, new boolean[] {false, false, true}, 0, "");
        ChatTokens b = new ChatTokens(new int[] {8, 9}, new boolean[] {false, true}, 0, "");
        try (NDManager manager = NDManager.newBaseManager()) {
            MicroBatch batch = InstructBatches.of(List.of(List.of(a, b), List.of(b)), manager);
            // (2, 3): row 0 = a's two inputs then b's one; row 1 = b's one input and padding
            assertArrayEquals(new long[] {5, 6, 8, 8, 0, 0}, batch.inputs().get(0).toLongArray());
            assertArrayEquals(new long[] {1, 1, 2, 1, 0, 0}, batch.inputs().get(1).toLongArray());
            assertArrayEquals(new long[] {0, 1, 0, 0, 0, 0}, batch.inputs().get(2).toLongArray());
            assertArrayEquals(new long[] {6, 7, 9, 9, 0, 0}, batch.labels().toLongArray());
            assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0}, batch.weights().toFloatArray());
            assertEquals(3, batch.units());
        }
    }

    /**
     * The gradient of the loss with respect to the logits is exactly 0 at every position whose target is a prompt
     * token or padding, and not 0 where the target is trained; changing a masked target changes nothing.
     */
    @Test
    void maskedTokensCarryZeroGradient() {
        List<ChatTokens> conversations = conversations(50);
        try (NDManager manager = NDManager.newBaseManager()) {
            GptModel model = GptModel.create(new GptConfig(50, 32, 2, 2, 16, 0.0), 3, manager);
            ParameterStore store = new ParameterStore(manager, false);
            MicroBatch batch = InstructBatches.of(List.of(conversations.subList(0, 2), conversations.subList(2, 3)),
                    manager);
            float[] weights = batch.weights().toFloatArray();
            float[] gradient = logitGradient(model, store, batch, batch.labels());
            int vocab = 50;
            int masked = 0;
            for (int position = 0; position < weights.length; position++) {
                double norm = 0;
                for (int v = 0; v < vocab; v++) {
                    norm += Math.abs(gradient[position * vocab + v]);
                }
                if (weights[position] == 0) {
                    assertEquals(0.0, norm, 0.0, "masked position " + position);
                    masked++;
                } else {
                    assertTrue(norm > 0, "trained position " + position);
                }
            }
            assertTrue(masked > 5);
            // a different target at every masked position: the same gradient, to the bit
            long[] labels = batch.labels().toLongArray();
            for (int i = 0; i < labels.length; i++) {
                if (weights[i] == 0) {
                    labels[i] = (labels[i] + 17) % vocab;
                }
            }
            NDArray changed = manager.create(labels, batch.labels().getShape());
            assertArrayEquals(gradient, logitGradient(model, store, batch, changed));
        }
    }

    private static float[] logitGradient(LanguageModel model, ParameterStore store, MicroBatch batch,
                                         NDArray labels) {
        NDArray logits = model.forward(store, batch.inputs(), false).head().duplicate();
        logits.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(LossFunctions.nllPerRow(logits, labels, batch.weights()).sum());
        }
        return logits.getGradient().toFloatArray();
    }
}
