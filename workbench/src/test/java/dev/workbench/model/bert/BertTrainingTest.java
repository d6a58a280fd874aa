package dev.workbench.model.bert;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.Freezing;
import dev.workbench.model.Lora;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.plan.RunPlanner;
import dev.workbench.recipe.Finetune;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A classifier on an imported encoder trains with each fine-tuning method: full (every parameter, the pretrained
 * pooler included, gets a gradient: none is left unused), freeze (embeddings and the first layer stay as loaded), and
 * LoRA on all six projections (only adapters and the new head move; the merged model computes what the adapted one
 * does). The trainable counts are what {@code workbench plan} predicts.
 */
class BertTrainingTest {
    /** Two classes told apart by their tokens; padded on the right, as the classifier task batches them. */
    private static final long[][] IDS = {{2, 53, 59, 93, 3, 0}, {2, 81, 108, 6, 118, 3}, {2, 53, 59, 3, 0, 0},
            {2, 108, 118, 3, 0, 0}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0},
            {1, 1, 1, 1, 0, 0}};
    private static final long[] LABELS = {0, 1, 0, 1};
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static ClassifierModel classifier(String type, Finetune.Pooling pooling) {
        return HfImporter.loadClassifierBase(BertFixtures.folder(type), 2, pooling, 3, manager);
    }

    @Test
    void fullFineTuningGivesEveryParameterAGradientAndLearns() {
        for (Finetune.Pooling pooling : List.of(Finetune.Pooling.CLS, Finetune.Pooling.MEAN)) {
            ClassifierModel model = classifier("bert", pooling);
            assertEquals(pooling == Finetune.Pooling.CLS, model.namedParameters().containsKey(
                    "transformer.pooler.weight"), pooling + ": the pooler serves cls only");
            float[] losses = train(model, 30, 3e-3f, true);
            assertTrue(losses[1] < losses[0] * 0.5, pooling + ": loss " + losses[0] + " -> " + losses[1]);
            assertEquals(Freezing.totalCount(model), Freezing.trainableCount(model));
            assertEquals(plannedTrainable(model, new Finetune(List.of(Finetune.Task.CLASSIFIER),
                    Finetune.Method.FULL, java.util.Optional.empty(), java.util.Optional.empty(), pooling)),
                    Freezing.trainableCount(model));
        }
    }

    @Test
    void freezingKeepsEmbeddingsAndTheFirstLayerAsLoaded() {
        ClassifierModel model = classifier("roberta", Finetune.Pooling.CLS);
        Finetune.Freeze freeze = new Finetune.Freeze(true, 1);
        Freezing.apply(model, freeze);
        Map<String, float[]> before = snapshot(model);
        float[] losses = train(model, 20, 3e-3f, false);
        assertTrue(losses[1] < losses[0], "loss " + losses[0] + " -> " + losses[1]);
        for (String name : model.namedParameters().keySet()) {
            boolean fixed = name.startsWith("transformer.token_") || name.startsWith("transformer.position_")
                    || name.startsWith("transformer.embedding_norm.") || name.startsWith("transformer.blocks.0.");
            assertEquals(fixed, java.util.Arrays.equals(before.get(name),
                    model.namedParameters().get(name).getArray().toFloatArray()), name + " fixed?");
        }
        assertEquals(plannedTrainable(model, new Finetune(List.of(Finetune.Task.CLASSIFIER), Finetune.Method.FREEZE,
                java.util.Optional.of(freeze), java.util.Optional.empty(), Finetune.Pooling.CLS)),
                Freezing.trainableCount(model));
    }

    @Test
    void loraOnAllSixProjectionsTrainsAdaptersAndHeadOnlyAndMergesExactly() {
        ClassifierModel model = classifier("bert", Finetune.Pooling.CLS);
        Finetune.Lora spec = new Finetune.Lora(4, 8, 0.0, List.of("q", "k", "v", "o", "up", "down"));
        List<String> adapters = Lora.apply(model, spec, 7);
        assertEquals(2 * 6 * 2, adapters.size());
        assertTrue(adapters.contains("transformer.blocks.1.mlp.down.lora_b"));
        Map<String, float[]> before = snapshot(model);
        float[] losses = train(model, 30, 1e-2f, false);
        assertTrue(losses[1] < losses[0], "loss " + losses[0] + " -> " + losses[1]);
        for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
            boolean moves = Lora.isAdapter(entry.getKey()) || entry.getKey().startsWith("head.");
            assertEquals(moves, entry.getValue().requiresGradient(), entry.getKey());
            if (!moves) { // the pretrained pooler stays frozen, as PEFT's sequence classification leaves it
                assertArrayEquals(before.get(entry.getKey()), entry.getValue().getArray().toFloatArray(),
                        entry.getKey());
            }
        }
        assertEquals(plannedTrainable(model, new Finetune(List.of(Finetune.Task.CLASSIFIER), Finetune.Method.LORA,
                java.util.Optional.empty(), java.util.Optional.of(spec), Finetune.Pooling.CLS)),
                Freezing.trainableCount(model));

        float[] adapted = logits(model);
        assertEquals(6 * 2, Lora.merge(model));
        assertFalse(Lora.hasAdapters(model));
        float[] merged = logits(model);
        assertTrue(BertFixtures.maxAbsDiff(adapted, merged) < 1e-5, "merged differs by "
                + BertFixtures.maxAbsDiff(adapted, merged));
    }

    private static long plannedTrainable(ClassifierModel model, Finetune finetune) {
        long head = model.namedParameters().get("head.weight").getShape().size() + 2;
        return RunPlanner.trainableParameters(finetune, model.architecture()) + head;
    }

    private static Map<String, float[]> snapshot(ClassifierModel model) {
        Map<String, float[]> values = new java.util.HashMap<>();
        model.namedParameters().forEach((name, p) -> values.put(name, p.getArray().toFloatArray()));
        return values;
    }

    private static float[] logits(ClassifierModel model) {
        try (NDManager sub = manager.newSubManager()) {
            return model.forward(new ai.djl.training.ParameterStore(sub, false),
                    new NDList(sub.create(IDS), sub.create(MASK)), false).head().toFloatArray();
        }
    }

    /** First and last loss of {@code steps} Adam steps on the four examples (dropout on). */
    private static float[] train(ClassifierModel model, int steps, float learningRate, boolean everyGradient) {
        float first = Float.NaN;
        float last = Float.NaN;
        try (Model djl = Model.newInstance("bert-training")) {
            djl.setBlock(model);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build());
            try (Trainer trainer = djl.newTrainer(config)) {
                for (int step = 0; step < steps; step++) {
                    try (NDManager batch = manager.newSubManager();
                         GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(batch.create(IDS), batch.create(MASK))).head();
                        NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(batch.create(LABELS)),
                                new NDList(logits));
                        collector.backward(loss);
                        first = step == 0 ? loss.getFloat() : first;
                        last = loss.getFloat();
                    }
                    if (everyGradient && step == 0) {
                        model.namedParameters().forEach((name, parameter) -> assertTrue(parameter.getArray()
                                .getGradient().abs().sum().getFloat() > 0, name + " got no gradient"));
                    }
                    trainer.step();
                }
            }
        }
        return new float[] {first, last};
    }
}
