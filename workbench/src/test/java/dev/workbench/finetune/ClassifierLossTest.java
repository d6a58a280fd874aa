package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.Finetune;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code finetune.label_smoothing} and {@code finetune.class_weights}: the loss per row against values computed by
 * hand from PyTorch's definition, its gradient against the closed form, balanced weights against scikit-learn's
 * formula, and a skewed toy set where balanced weights change a classifier's gradient as the formula says.
 */
class ClassifierLossTest {
    private static final float[] LOGITS = {1.0f, 2.0f, 3.0f, 0.5f, -1.0f, 2.5f, 0f, 0f, 0f};
    private static final long[] LABELS = {2, 0, 1};
    private static final float[] WEIGHTS = {1f, 2f, 0.5f};

    /**
     * {@code w * ((1 - eps) * -log p[y] + eps * mean_c -log p[c])} per row, computed in double precision by an
     * independent implementation (Python, math module only) of PyTorch's {@code CrossEntropyLoss(label_smoothing=eps,
     * reduction='none')} times the weights.
     */
    @Test
    void smoothedLossMatchesPyTorchsDefinition() {
        assertLoss(0.0, 0.407605964, 4.306356414, 0.549306144);
        assertLoss(0.1, 0.507605964, 4.273023081, 0.549306144);
        assertLoss(0.3, 0.707605964, 4.206356414, 0.549306144);
    }

    private static void assertLoss(double epsilon, double... expected) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            float[] actual = LossFunctions.smoothedNllPerRow(manager.create(LOGITS, new Shape(3, 3)),
                    manager.create(LABELS), manager.create(WEIGHTS), epsilon).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6, "epsilon " + epsilon + ", row " + i);
            }
        }
    }

    @Test
    void noSmoothingIsThePlainLossToTheBit() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray logits = manager.create(LOGITS, new Shape(3, 3));
            assertArrayEquals(LossFunctions.nllPerRow(logits, manager.create(LABELS), manager.create(WEIGHTS))
                            .toFloatArray(),
                    LossFunctions.smoothedNllPerRow(logits, manager.create(LABELS), manager.create(WEIGHTS), 0)
                            .toFloatArray());
        }
    }

    /** d loss_i / d z_ic = w_i (p_ic - t_ic) with the smoothed target t = (1 - eps) onehot + eps / C. */
    @Test
    void gradientIsSoftmaxMinusTheSmoothedTarget() {
        double epsilon = 0.1;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray logits = manager.create(LOGITS, new Shape(3, 3));
            logits.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(LossFunctions.smoothedNllPerRow(logits, manager.create(LABELS),
                        manager.create(WEIGHTS), epsilon).sum());
            }
            float[] gradient = logits.getGradient().toFloatArray();
            // the same closed form, by hand (Python): rows of w (softmax(z) - t)
            double[] expected = {0.056697240, 0.211395138, -0.268092378, -1.634437597, -0.014849357, 1.649286955,
                    0.15, -0.3, 0.15};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], gradient[i], 1e-6, "element " + i);
            }
        }
    }

    /** scikit-learn: {@code compute_class_weight("balanced", classes=[0, 1, 2], y=[0, 0, 0, 1, 2, 2])}. */
    @Test
    void balancedWeightsAreScikitLearns() {
        assertArrayEquals(new double[] {6.0 / 9, 2.0, 1.0},
                ClassifierLoss.balancedWeights(new int[] {0, 0, 0, 1, 2, 2}, 3), 1e-12);
        // unseen labels (-1) are not samples (2 samples, 3 classes: 2 / (3 x 1)); a class without examples weighs 0
        // (scikit-learn refuses one; the training split's labels are the classes, so it cannot happen in a run)
        assertArrayEquals(new double[] {2.0 / 3, 2.0 / 3, 0.0},
                ClassifierLoss.balancedWeights(new int[] {0, -1, 1, -1}, 3), 1e-12);
        ClassifierTask.Encoded train = encoded(new int[] {0, 0, 0, 1});
        Finetune balanced = finetune(0.2, Finetune.ClassWeights.BALANCED);
        assertEquals(new ClassifierLoss(0.2, new double[] {4.0 / 6, 2.0}), ClassifierLoss.of(balanced, train, 2));
        assertTrue(ClassifierLoss.of(finetune(0, Finetune.ClassWeights.NONE), train, 2).isPlain());
        assertEquals(ClassifierLoss.plain(2), ClassifierLoss.of(finetune(0, Finetune.ClassWeights.NONE), train, 2));
    }

    /**
     * Three examples of class 0, one of class 1, logits from a head on a constant feature (the same for every row):
     * the summed loss's gradient on the head's bias is {@code sum_i w_i (p_c - [y_i = c])}. Balanced weights
     * (4/6, 4/6, 4/6, 2) give the minority class as much pull as the majority: at the prior's own prediction
     * (p = 3/4, 1/4) the unweighted gradient vanishes, the balanced one pushes towards class 1.
     */
    @Test
    void balancedWeightsChangeTheGradientAsTheFormulaSays() {
        int[] classes = {0, 0, 0, 1};
        for (Finetune.ClassWeights choice : Finetune.ClassWeights.values()) {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                SequentialBlock head = new SequentialBlock()
                        .add(inputs -> new NDList(inputs.get(1).get(":, 0:1").onesLike()))
                        .add(Linear.builder().setUnits(2).build());
                Engine.getInstance().setRandomSeed(3);
                head.initialize(manager, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
                Parameter weight = parameter(head, "weight");
                Parameter bias = parameter(head, "bias");
                // logits log(3/4), log(1/4): the training split's class prior
                weight.getArray().muli(0);
                bias.getArray().set(new float[] {(float) Math.log(0.75), (float) Math.log(0.25)});
                ClassifierTask.Encoded train = encoded(classes);
                ClassifierLoss loss = ClassifierLoss.of(finetune(0, choice), train, 2);
                ClassifierTask task = new ClassifierTask(head, ModelParameters.ofBlock(head), train, null, 4, 1, 7,
                        loss, (target, files) -> { });
                MicroBatch batch = task.microBatches(0, manager).get(0);
                float[] rowWeights = batch.weights().toFloatArray();
                long[] rowLabels = batch.labels().toLongArray();
                for (int i = 0; i < rowWeights.length; i++) {
                    assertEquals((float) loss.weightOf((int) rowLabels[i]), rowWeights[i], 0f, "row " + i);
                }
                assertEquals(4, batch.units(), "units count examples, whatever their weight");
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(task.lossSum(new ParameterStore(manager, false), batch, true));
                }
                float[] gradient = bias.getArray().getGradient().toFloatArray();
                double[] w = loss.classWeights();
                double[] p = {0.75, 0.25};
                double[] expected = new double[2];
                for (int c = 0; c < 2; c++) {
                    for (int y : classes) {
                        expected[c] += w[y] * (p[c] - (y == c ? 1 : 0));
                    }
                }
                assertEquals(expected[0], gradient[0], 1e-5, choice + ": class 0");
                assertEquals(expected[1], gradient[1], 1e-5, choice + ": class 1");
                if (choice == Finetune.ClassWeights.NONE) {
                    assertArrayEquals(new float[] {0f, 0f}, gradient, 1e-5f, "the prior is optimal unweighted");
                } else {
                    // 3 * 2/3 * (3/4 - 1) + 2 * 3/4 = 1, and its negative for class 1
                    assertArrayEquals(new float[] {1f, -1f}, gradient, 1e-5f, "balanced pulls towards class 1");
                }
            }
        }
    }

    private static Parameter parameter(SequentialBlock block, String suffix) {
        return block.getParameters().stream().filter(p -> p.getKey().endsWith(suffix)).findFirst().orElseThrow()
                .getValue();
    }

    private static ClassifierTask.Encoded encoded(int[] classes) {
        List<int[]> ids = new java.util.ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            ids.add(new int[] {i + 1, i + 2});
        }
        return new ClassifierTask.Encoded(ids, classes);
    }

    private static Finetune finetune(double labelSmoothing, Finetune.ClassWeights weights) {
        return new Finetune(List.of(Finetune.Task.CLASSIFIER), Finetune.Method.FULL, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.of(Finetune.Pooling.MEAN), labelSmoothing, weights);
    }
}
