package dev.workbench.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.model.gpt.TinyModels;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.tokenizer.TestByteTokenizer;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.workbench.model.gpt.TinyModels.CONFIG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoraTest {
    private static final long[][] IDS = {{10, 20, 30, 40, 50, 60}, {7, 7, 7, 8, 8, 8}};
    private static final List<String> ALL = List.of("q", "k", "v", "o", "up", "down");
    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void freshAdapterLeavesOutputsUnchanged() {
        GptModel model = GptModel.create(CONFIG, 4, manager);
        float[] before = TinyModels.logits(model, manager, IDS);
        List<String> adapters = Lora.apply(model, 4, 8, 0.1, ALL, 99);
        assertEquals(2 * 6 * CONFIG.layers(), adapters.size());
        assertTrue(adapters.contains("transformer.blocks.1.mlp.down.lora_b"));
        // B = 0, so base + scale * B A x adds exact zeros
        assertArrayEquals(before, TinyModels.logits(model, manager, IDS));
        Map<String, Parameter> named = model.namedParameters();
        assertEquals(new Shape(4, 16), named.get("transformer.blocks.0.attention.q.lora_a").getShape());
        assertEquals(new Shape(64, 4), named.get("transformer.blocks.0.mlp.up.lora_b").getShape());
        assertEquals(new Shape(4, 64), named.get("transformer.blocks.0.mlp.down.lora_a").getShape());
        // base names unchanged by wrapping
        assertTrue(named.containsKey("transformer.blocks.0.attention.q.weight"));
        // A is kaiming-uniform: |a| <= 1/sqrt(in) = 1/4, and not all zero
        NDArray a = named.get("transformer.blocks.0.attention.q.lora_a").getArray();
        assertTrue(a.abs().max().getFloat() <= 0.25f && a.abs().max().getFloat() > 0.1f);
    }

    @Test
    void mergedModelMatchesAdapterModel() {
        GptModel model = GptModel.create(CONFIG, 4, manager);
        Lora.apply(model, new Finetune.Lora(2, 6, 0.0, List.of("q", "v", "o", "down")), 5);
        perturbAdapters(model);
        float[] base = TinyModels.logits(GptModel.create(CONFIG, 4, manager), manager, IDS);
        float[] adapted = TinyModels.logits(model, manager, IDS);
        assertTrue(TinyModels.maxAbsDiff(base, adapted) > 1e-3, "perturbed adapters must change the output");
        assertEquals(4 * CONFIG.layers(), Lora.merge(model));
        assertFalse(Lora.hasAdapters(model));
        assertEquals(GptModel.create(CONFIG, 4, manager).namedParameters().keySet(), model.namedParameters().keySet());
        assertTrue(TinyModels.maxAbsDiff(adapted, TinyModels.logits(model, manager, IDS)) < 1e-5);
    }

    @Test
    void onlyAdaptersGetGradientsEvenAfterNewTrainer() {
        GptModel model = GptModel.create(CONFIG, 4, manager);
        Lora.apply(model, new Finetune.Lora(2, 4, 0.0, List.of("q", "up")), 5);
        perturbAdapters(model);
        try (Model djlModel = Model.newInstance("lora-test")) {
            djlModel.setBlock(model);
            try (Trainer trainer = djlModel.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(manager.create(IDS))).head();
                    collector.backward(logits.square().mean());
                }
                for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                    NDArray array = entry.getValue().getArray();
                    if (Lora.isAdapter(entry.getKey())) {
                        assertTrue(array.hasGradient(), entry.getKey());
                        assertTrue(array.getGradient().abs().sum().getFloat() > 0, entry.getKey());
                    } else {
                        assertFalse(entry.getValue().requiresGradient(), entry.getKey());
                        assertFalse(array.hasGradient(), entry.getKey());
                    }
                }
            }
        }
        long trainable = Freezing.trainableCount(model);
        // q: A (2,16) + B (16,2); up: A (2,16) + B (64,2); per layer 64 + 160 = 224; 2 layers
        assertEquals(448, trainable);
    }

    @Test
    void adapterCheckpointStoresAdapterSeparatelyAndMergesOnLoad() throws Exception {
        GptModel model = GptModel.create(CONFIG, 4, manager);
        Finetune.Lora spec = new Finetune.Lora(2, 4, 0.05, List.of("k", "down"));
        Lora.apply(model, spec, 5);
        perturbAdapters(model);
        CheckpointConfig config = CheckpointConfig.languageModel(CONFIG, BaseModel.TokenizerKind.BYTE).withLora(spec);
        Path folder = CheckpointIO.save(dir.resolve("adapter"), config, model, new TestByteTokenizer());
        Map<String, Safetensors.Tensor> adapter = Safetensors.read(folder.resolve(CheckpointIO.ADAPTER));
        assertEquals(4 * CONFIG.layers(), adapter.size());
        assertTrue(adapter.keySet().stream().allMatch(Lora::isAdapter));
        assertTrue(Safetensors.read(folder.resolve(CheckpointIO.WEIGHTS)).keySet().stream()
                .noneMatch(Lora::isAdapter));
        assertTrue(Files.readString(folder.resolve(CheckpointIO.ADAPTER_CONFIG)).contains("\"rank\" : 2"));

        LanguageModel loaded = Checkpoint.open(folder).loadLanguageModel(manager);
        float[] expected = TinyModels.logits(model, manager, IDS);
        assertArrayEquals(expected, TinyModels.logits(loaded, manager, IDS));
        assertTrue(Freezing.trainable(loaded).stream().allMatch(Lora::isAdapter));

        Lora.merge(loaded);
        Path merged = CheckpointIO.save(dir.resolve("merged"), config.withoutLora(), loaded, new TestByteTokenizer());
        assertFalse(Files.exists(merged.resolve(CheckpointIO.ADAPTER)));
        LanguageModel plain = Checkpoint.open(merged).loadLanguageModel(manager);
        assertTrue(TinyModels.maxAbsDiff(expected, TinyModels.logits(plain, manager, IDS)) < 1e-5);
    }

    @Test
    void adapterDropoutActsOnlyWhileTraining() {
        GptModel model = GptModel.create(new GptConfig(300, 12, 2, 2, 16, 0.0), 4, manager);
        Lora.apply(model, new Finetune.Lora(2, 4, 0.5, List.of("v")), 5);
        perturbAdapters(model);
        try (NDManager sub = manager.newSubManager()) {
            NDArray ids = sub.create(IDS);
            float[] eval1 = forward(model, sub, ids, false);
            float[] eval2 = forward(model, sub, ids, false);
            float[] train1 = forward(model, sub, ids, true);
            assertArrayEquals(eval1, eval2);
            assertTrue(TinyModels.maxAbsDiff(eval1, train1) > 1e-4, "dropout 0.5 must change training outputs");
        }
    }

    private static float[] forward(GptModel model, NDManager sub, NDArray ids, boolean training) {
        return model.forward(new ai.djl.training.ParameterStore(sub, false), new NDList(ids), training).head()
                .toFloatArray();
    }

    @Test
    void adapterLanguageModelBecomesAClassifierBaseWithAdaptersMerged() throws Exception {
        GptModel model = GptModel.create(CONFIG, 4, manager);
        Finetune.Lora spec = new Finetune.Lora(2, 4, 0, List.of("q", "up"));
        Lora.apply(model, spec, 5);
        perturbAdapters(model);
        Path folder = CheckpointIO.save(dir.resolve("lm-adapter"),
                CheckpointConfig.languageModel(CONFIG, BaseModel.TokenizerKind.BYTE).withLora(spec), model,
                new TestByteTokenizer());
        ClassifierModel classifier = Checkpoint.open(folder).loadClassifierBase(2, Finetune.Pooling.LAST, 1, manager);
        assertFalse(Lora.hasAdapters(classifier));
        Lora.merge(model);
        String up = "transformer.blocks.1.mlp.up.weight";
        assertArrayEquals(model.namedParameters().get(up).getArray().toFloatArray(),
                classifier.namedParameters().get(up).getArray().toFloatArray());
        assertTrue(Freezing.trainable(classifier).containsAll(classifier.namedParameters().keySet()));
    }

    @Test
    void savingRefusesAdaptersWithoutLoraConfig() {
        GptModel model = GptModel.create(CONFIG, 4, manager);
        Lora.apply(model, new Finetune.Lora(2, 4, 0, List.of("q")), 5);
        assertThrows(IllegalArgumentException.class, () -> CheckpointIO.save(dir.resolve("x"),
                CheckpointConfig.languageModel(CONFIG, BaseModel.TokenizerKind.BYTE), model, new TestByteTokenizer()));
    }

    @Test
    void badSpecsAreRefused() {
        GptModel model = GptModel.create(CONFIG, 4, manager);
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> Lora.apply(model, 2, 4, 0, List.of("q", "gate"), 1));
        assertEquals("finetune.lora.targets: unknown projection 'gate'; choose among [q, k, v, o, up, down]",
                e.getMessage());
        assertThrows(WorkbenchException.class, () -> Lora.apply(model, 0, 4, 0, List.of("q"), 1));
    }

    @Test
    void freezeMethodFreezesEmbeddingsAndFirstBlocks() {
        GptModel model = GptModel.create(CONFIG, 4, manager);
        Freezing.apply(model, new Finetune.Freeze(true, 1));
        List<String> trainable = Freezing.trainable(model);
        assertFalse(trainable.contains("transformer.token_embedding.weight"));
        assertFalse(trainable.contains("transformer.blocks.0.mlp.up.weight"));
        assertTrue(trainable.contains("transformer.blocks.1.ln1.weight"));
        assertTrue(trainable.contains("transformer.final_norm.bias"));
        assertThrows(WorkbenchException.class,
                () -> Freezing.apply(model, new Finetune.Freeze(false, 3)));
    }

    @Test
    void classifierLoraKeepsHeadTrainable() {
        ClassifierModel model = CONFIG.family().newClassifier(CONFIG, 2, Finetune.Pooling.MEAN, 1, manager);
        Lora.apply(model, new Finetune.Lora(2, 4, 0, List.of("v")), 5);
        List<String> trainable = Freezing.trainable(model);
        assertTrue(trainable.contains("head.weight"));
        assertTrue(trainable.contains("transformer.blocks.0.attention.v.lora_a"));
        // head weight and bias, plus lora_a and lora_b of v in each layer
        assertEquals(2 + 2 * CONFIG.layers(), trainable.size());
    }

    /** Gives every adapter non-zero, deterministic values so that it changes the output. */
    private static void perturbAdapters(NamedParameters model) {
        model.namedParameters().forEach((name, parameter) -> {
            if (Lora.isAdapter(name)) {
                NDArray array = parameter.getArray();
                boolean trainable = parameter.requiresGradient();
                parameter.freeze(true);
                array.set(Init.normal(3, name, 0.3).initialize(manager, array.getShape(), array.getDataType())
                        .toFloatArray());
                parameter.freeze(!trainable);
            }
        });
    }
}
