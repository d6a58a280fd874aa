package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import dev.workbench.data.Permutation;
import dev.workbench.data.TextDocument;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.Training;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LanguageModelDataTest {

    @Test
    void packsDocumentsBetweenEndOfTextIntoWindowsSharingOneToken() {
        // stream: 9 1 2 3 9 4 5 9 (8 tokens, 7 predicted); T = 3 -> windows start at 0, 3, 6
        TokenWindows w = TokenWindows.pack(List.of(new int[] {1, 2, 3}, new int[] {4, 5}), 9, 3);
        assertEquals(3, w.count());
        assertArrayEquals(new int[] {9, 1, 2, 3}, w.window(0));
        assertArrayEquals(new int[] {3, 9, 4, 5}, w.window(1));
        assertArrayEquals(new int[] {5, 9}, w.window(2));
        assertEquals(7, w.predictedTokens());
        int predicted = 0;
        for (int[] window : w.windows()) {
            predicted += window.length - 1;
        }
        assertEquals(7, predicted, "every token after the first is predicted exactly once");
    }

    @Test
    void batchesShiftLabelsAndMaskPadding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MicroBatch b = LanguageModelBatches.of(List.of(new int[] {9, 1, 2, 3}, new int[] {5, 9}), manager);
            assertEquals(new Shape(2, 3), b.labels().getShape());
            assertArrayEquals(new long[] {9, 1, 2, 5, 0, 0}, b.inputs().head().toLongArray());
            assertArrayEquals(new long[] {1, 2, 3, 9, 0, 0}, b.labels().toLongArray());
            assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0}, b.weights().toFloatArray());
            assertEquals(4, b.units());
        }
    }

    @Test
    void crossEntropyGolden() {
        // by hand: softmax([0, ln 3]) = [1/4, 3/4]; -ln(3/4) = 0.2876820724517809, -ln(1/4) = 1.3862943611198906
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {0f, (float) Math.log(3), 0f, (float) Math.log(3)},
                    new Shape(2, 2));
            NDArray nll = LossFunctions.nllPerRow(logits, manager.create(new long[] {1, 0}),
                    manager.create(new float[] {1f, 1f}));
            assertArrayEquals(new float[] {0.28768207f, 1.38629436f}, nll.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void bitsPerByteDividesNatsByLn2AndUtf8Bytes() {
        // A model with all-zero logits predicts uniformly over V = 1000 ids: every token costs ln(1000) nats.
        // "héllo wörld" = 11 code points (11 tokens) but 13 UTF-8 bytes; "abc" = 3 tokens, 3 bytes; context 4 forces
        // several windows per document. bpb = 14 * ln(1000) / ln 2 / 16 = 14 * log2(1000) / 16 = 8.720061456
        // (python3: 14 * math.log2(1000) / 16)
        LambdaBlock uniform = new LambdaBlock(inputs -> {
            NDArray ids = inputs.head();
            return new NDList(ids.getManager().zeros(new Shape(ids.getShape().get(0), ids.getShape().get(1),
                    CodePointTokenizer.VOCAB)));
        });
        List<TextDocument> docs = List.of(new TextDocument("d1", "héllo wörld"), new TextDocument("d2", "abc"));
        List<LanguageModelEvaluation.DocumentScore> scores = LanguageModelEvaluation.score(uniform,
                new CodePointTokenizer(), docs, 4, 3, Device.cpu());
        assertEquals(13, scores.get(0).bytes());
        assertEquals(11, scores.get(0).tokens());
        assertEquals(11 * Math.log(1000), scores.get(0).nllNats(), 1e-4);
        LanguageModelEvaluation.Summary summary = LanguageModelEvaluation.Summary.of(scores);
        assertEquals(8.720061456, summary.bitsPerByte(), 1e-5);
        assertEquals(1000.0, summary.perplexity(), 1e-3);
    }

    @Test
    void trainingOrderIsAFreshPermutationEachEpochAndAFunctionOfTheStep() {
        int[] doc = new int[40];
        TokenWindows windows = TokenWindows.pack(List.of(doc), 1, 4);
        assertEquals(11, windows.count());
        int[] a = Permutation.of(11, new java.util.Random(3));
        int[] b = Permutation.of(11, new java.util.Random(3));
        assertArrayEquals(a, b);
        Set<Integer> seen = new HashSet<>();
        for (int i : a) {
            seen.add(i);
        }
        assertEquals(11, seen.size());
        Training training = new Training(List.of("cpu"), Training.Precision.FP32, 2, 2, Optional.of(3),
                Optional.empty(), 1e-3, Training.LrSchedule.CONSTANT, 0, Optional.empty(), 0, 1, Optional.of(10),
                Optional.empty(), 10, 1, 10, 10);
        assertEquals(9L, TaskPlanner.totalSteps(training, windows.count()), "ceil(3 epochs * 11 windows / 4 per step)");
    }
}
