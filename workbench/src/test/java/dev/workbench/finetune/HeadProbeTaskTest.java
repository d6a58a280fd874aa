package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.workbench.data.LabelledExample;
import dev.workbench.plan.StepSchedule;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.Freezing;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.tokenizer.ByteTokenizer;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The head-only baseline trained on cached pooled features ({@link HeadProbeTask}) against the way it was trained
 * before (a {@link ClassifierTask} on the frozen classifier, a trunk forward per step): on a toy task without dropout
 * the two are the same optimisation, so they must reach the same losses; with dropout the cached path sees clean
 * features and must do at least as well. Its checkpoint must load as a classifier that predicts what it predicted.
 */
class HeadProbeTaskTest {
    private static final List<String> LABELS = List.of("billing", "card", "transfer");
    private static final Tokenizer TOKENIZER = new ByteTokenizer();
    private static final long SEED = 11;
    private static final int STEPS = 24;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** Texts of varied length (so batches pad), the label a function of a keyword. */
    private static List<LabelledExample> examples(String prefix, int count, int offset) {
        String[][] words = {{"invoice", "charge", "bill"}, {"card", "pin", "atm"}, {"transfer", "iban", "wire"}};
        List<LabelledExample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = (i + offset) % 3;
            String text = "my " + words[label][(i + offset) % 3] + " " + "x".repeat((i * 7 + offset) % 9) + " please";
            out.add(new LabelledExample(prefix + i, text, LABELS.get(label)));
        }
        return out;
    }

    private static GptConfig architecture(double dropout) {
        return new GptConfig(257, 24, 1, 2, 16, dropout, GptConfig.Activation.GELU);
    }

    /** A classifier on a fresh trunk with only its head trainable, as {@link BaseModels.Base#probe} builds it. */
    private static ClassifierModel probe(GptConfig architecture, NDManager manager) {
        ClassifierModel probe = architecture.family().newClassifier(architecture, LABELS.size(),
                Finetune.Pooling.MEAN, SEED, manager);
        Freezing.headOnly(probe);
        return probe;
    }

    private static CheckpointSaver saver(ClassifierModel model) {
        return TaskTraining.saver(CheckpointConfig.classifier(model.architecture(), BaseModel.TokenizerKind.BYTE,
                LABELS, Finetune.Pooling.MEAN), model, TOKENIZER);
    }

    private TrainingLoop.Result train(TrainingTask task, Path dir) throws Exception {
        Training training = FinetuneStageTest.training(STEPS, Training.Precision.FP32, List.of("cpu"));
        return new TrainingLoop(TrainingLoop.Settings.of("probe", training, SEED,
                StepSchedule.of(training, 30)), new PrintStream(log, true))
                .run(task, Device.cpu(), dir.resolve("checkpoints"), dir.resolve("metrics.csv"), Optional.empty());
    }

    private record Runs(TrainingLoop.Result perStep, TrainingLoop.Result cached, float[] perStepHead,
                        float[] cachedHead) {
    }

    /** The same probe trained both ways: a trunk forward per step, and on features computed once. */
    private Runs trainBothWays(double dropout, ClassifierLoss loss, Path dir) throws Exception {
        GptConfig architecture = architecture(dropout);
        Training training = FinetuneStageTest.training(STEPS, Training.Precision.FP32, List.of("cpu"));
        int window = architecture.contextLength();
        ClassifierTask.Encoded train = ClassifierTask.Encoded.of(examples("t", 30, 0), LABELS, TOKENIZER, window);
        ClassifierTask.Encoded validation = ClassifierTask.Encoded.of(examples("v", 9, 1), LABELS, TOKENIZER,
                window);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ClassifierModel perStep = probe(architecture, manager);
            ClassifierModel cached = probe(architecture, manager);
            assertArrayEquals(ModelParameters.of(perStep).get("head.weight").toFloatArray(),
                    ModelParameters.of(cached).get("head.weight").toFloatArray(), "both start from the same head");
            TrainingLoop.Result old = train(new ClassifierTask(perStep, ModelParameters.of(perStep), train,
                    validation, training.batchSize(), training.gradientAccumulationSteps(), SEED, loss, saver(perStep)),
                    dir.resolve("per-step"));

            HeadProbeTask task = new HeadProbeTask(cached, ModelParameters.of(cached),
                    PooledFeatures.of(cached, train, 7, manager), PooledFeatures.of(cached, validation, 7, manager),
                    training.batchSize(), training.gradientAccumulationSteps(), SEED, loss, saver(cached));
            TrainingLoop.Result probe = train(task, dir.resolve("cached"));
            return new Runs(old, probe, ModelParameters.of(perStep).get("head.weight").toFloatArray(),
                    ModelParameters.of(cached).get("head.weight").toFloatArray());
        }
    }

    @Test
    void withoutDropoutCachedFeaturesReachTheSameLossesAsATrunkForwardPerStep(@TempDir Path dir) throws Exception {
        Runs runs = trainBothWays(0.0, ClassifierLoss.plain(LABELS.size()), dir);
        // the same arithmetic on the same numbers (measured: equal to the last bit); the tolerance allows for
        // features computed in a differently shaped batch
        assertEquals(runs.perStep().lastTrainLoss(), runs.cached().lastTrainLoss(), 1e-6);
        assertEquals(runs.perStep().bestValidationLoss(), runs.cached().bestValidationLoss(), 1e-6);
        assertEquals(runs.perStep().bestStep(), runs.cached().bestStep());
        float[] a = runs.perStepHead();
        float[] b = runs.cachedHead();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6, "head.weight[" + i + "]");
        }
        assertTrue(runs.cached().bestValidationLoss() < Math.log(LABELS.size()),
                "the probe learns something: " + runs.cached().bestValidationLoss());
    }

    /** Label smoothing and class weights reach the probe as they reach the fine-tune: the same numbers again. */
    @Test
    void theRecipesLossIsTheProbesLoss(@TempDir Path dir) throws Exception {
        double[] weights = new double[LABELS.size()];
        java.util.Arrays.setAll(weights, c -> 0.5 + c);
        Runs runs = trainBothWays(0.0, new ClassifierLoss(0.1, weights), dir);
        Runs plain = trainBothWays(0.0, ClassifierLoss.plain(LABELS.size()), dir.resolve("plain"));
        assertEquals(runs.perStep().lastTrainLoss(), runs.cached().lastTrainLoss(), 1e-6);
        assertEquals(runs.perStep().bestValidationLoss(), runs.cached().bestValidationLoss(), 1e-6);
        assertTrue(Math.abs(runs.cached().lastTrainLoss() - plain.cached().lastTrainLoss()) > 1e-3,
                "the weighted, smoothed loss differs from plain cross-entropy");
    }

    @Test
    void withDropoutCachedFeaturesDoAtLeastAsWell(@TempDir Path dir) throws Exception {
        Runs runs = trainBothWays(0.3, ClassifierLoss.plain(LABELS.size()), dir);
        assertTrue(runs.cached().bestValidationLoss() <= runs.perStep().bestValidationLoss() + 0.02,
                "cached " + runs.cached().bestValidationLoss() + " vs per step "
                        + runs.perStep().bestValidationLoss());
    }

    @Test
    void featuresDoNotDependOnTheBatchTheyWereComputedIn() {
        GptConfig architecture = architecture(0.3);
        ClassifierTask.Encoded data = ClassifierTask.Encoded.of(examples("t", 13, 0), LABELS, TOKENIZER,
                architecture.contextLength());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ClassifierModel model = probe(architecture, manager);
            PooledFeatures one = PooledFeatures.of(model, data, 1, manager);
            PooledFeatures batched = PooledFeatures.of(model, data, 5, manager);
            assertEquals(13 * 16, one.values().length);
            for (int i = 0; i < one.values().length; i++) {
                assertEquals(one.values()[i], batched.values()[i], 1e-5, "value " + i);
            }
            assertArrayEquals(data.classes(), batched.classes());
        }
    }

    @Test
    void theSavedProbePredictsWhatTheProbeInMemoryPredicts(@TempDir Path dir) throws Exception {
        GptConfig architecture = architecture(0.1);
        Training training = FinetuneStageTest.training(STEPS, Training.Precision.FP32, List.of("cpu"));
        int window = architecture.contextLength();
        ClassifierTask.Encoded train = ClassifierTask.Encoded.of(examples("t", 30, 0), LABELS, TOKENIZER, window);
        List<LabelledExample> testExamples = examples("x", 12, 2);
        ClassifierTask.Encoded test = ClassifierTask.Encoded.of(testExamples, LABELS, TOKENIZER, window);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ClassifierModel probe = probe(architecture, manager);
            PooledFeatures none = PooledFeatures.of(probe, ClassifierTask.Encoded.of(List.of(), LABELS, TOKENIZER,
                    window), 4, manager);
            TrainingLoop.Result result = train(new HeadProbeTask(probe, ModelParameters.of(probe),
                    PooledFeatures.of(probe, train, 4, manager), none, training.batchSize(),
                    training.gradientAccumulationSteps(), SEED, ClassifierLoss.plain(LABELS.size()), saver(probe)), dir);
            List<Integer> inMemory = ClassifierTask.predict(probe, test, 5, manager).stream()
                    .map(ClassifierTask.Prediction::predicted).toList();
            try (ClassifierPredictor saved = new ClassifierPredictor(result.bestCheckpoint())) {
                List<Integer> loaded = saved.predict(testExamples.stream().map(LabelledExample::text).toList(), 3)
                        .stream().map(p -> LABELS.indexOf(p.label())).toList();
                assertEquals(inMemory, loaded);
            }
        }
    }
}
