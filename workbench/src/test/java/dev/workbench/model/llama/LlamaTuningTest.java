package dev.workbench.model.llama;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.Freezing;
import dev.workbench.model.Init;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.NamedParameters;
import dev.workbench.model.ParameterGroup;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.model.tokenizer.Tokenizers;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LoRA on every projection role of a Llama layer (gate included), merging, freezing by layer with an untied output
 * projection, gradients only where training is asked for, a classifier on the Llama trunk, and a workbench checkpoint
 * of an hf base that reloads with its family and tokenizer.
 */
class LlamaTuningTest {
    private static final List<String> ALL = LlamaConfig.PROJECTIONS;
    private static final long[][] IDS = {{5, 40, 77, 120, 200, 33, 9}, {1, 2, 3, 4, 5, 6, 7}};

    @TempDir
    Path dir;

    @Test
    void loraOnEveryRoleCountsLikeThePlanAndMergesToTheSameLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel model = HfImporter.loadModel(LlamaFixtures.folder("qwen3"), manager);
            LlamaConfig config = (LlamaConfig) model.architecture();
            float[] base = logits(model, manager);
            List<String> adapters = Lora.apply(model, new Finetune.Lora(4, 8, 0.0, ALL), 3);
            assertEquals(2 * ALL.size() * config.layers(), adapters.size());
            assertTrue(adapters.contains("transformer.layers.1.mlp.gate.lora_b"));
            assertArrayEquals(base, logits(model, manager), "fresh adapters (B = 0) change nothing");
            long perLayer = 0;
            for (String role : ALL) {
                perLayer += 4L * (config.projectionInputs(role) + config.projectionOutputs(role));
            }
            assertEquals(perLayer * config.layers(), Freezing.trainableCount(model));

            perturbAdapters(model, manager);
            float[] adapted = logits(model, manager);
            assertTrue(maxDiff(base, adapted) > 1e-2, "perturbed adapters change the output");
            assertEquals(ALL.size() * config.layers(), Lora.merge(model));
            assertFalse(Lora.hasAdapters(model));
            assertTrue(maxDiff(adapted, logits(model, manager)) < 1e-4);
        }
    }

    @Test
    void freezingByLayerKeepsAnUntiedOutputProjectionTrainable() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel model = HfImporter.loadModel(LlamaFixtures.folder("mistral"), manager);
            assertEquals(ParameterGroup.OUTPUT, model.group(LlamaModel.OUTPUT));
            assertEquals(ParameterGroup.EMBEDDINGS, model.group("transformer.token_embedding.weight"));
            assertEquals(ParameterGroup.layer(1), model.group("transformer.layers.1.attention.q.weight"));
            assertEquals(ParameterGroup.FINAL, model.group("transformer.final_norm.weight"));
            Freezing.apply(model, new Finetune.Freeze(true, 1));
            List<String> trainable = Freezing.trainable(model);
            assertTrue(trainable.contains(LlamaModel.OUTPUT));
            assertTrue(trainable.contains("transformer.layers.1.mlp.gate.weight"));
            assertFalse(trainable.contains("transformer.layers.0.mlp.gate.weight"));
            assertFalse(trainable.contains("transformer.token_embedding.weight"));
            LlamaConfig config = (LlamaConfig) model.architecture();
            assertEquals(config.parameterCount() - config.embeddingParameterCount() - config.layerParameterCount(),
                    Freezing.trainableCount(model));
            assertEquals(config.parameterCount(), Freezing.totalCount(model));
        }
    }

    @Test
    void onlyAdaptersGetGradientsAfterNewTrainer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel model = HfImporter.loadModel(LlamaFixtures.folder("llama"), manager);
            Lora.apply(model, new Finetune.Lora(2, 4, 0.0, List.of("q", "gate", "down")), 5);
            perturbAdapters(model, manager);
            try (Model djl = Model.newInstance("llama-lora")) {
                djl.setBlock(model);
                try (Trainer trainer = djl.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                    Lora.freezeAllButAdapters(model);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(manager.create(IDS))).head();
                        collector.backward(logits.square().mean());
                    }
                    for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                        NDArray array = entry.getValue().getArray();
                        if (Lora.isAdapter(entry.getKey())) {
                            assertTrue(array.getGradient().abs().sum().getFloat() > 0, entry.getKey());
                        } else {
                            assertFalse(array.hasGradient(), entry.getKey());
                        }
                    }
                }
            }
        }
    }

    @Test
    void aCheckpointOfAnHfBaseReloadsWithItsFamilyAndTokenizer() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            HfImporter.Imported imported = HfImporter.load(LlamaFixtures.folder("mistral"), manager);
            Lora.apply(imported.model(), new Finetune.Lora(2, 4, 0.0, List.of("v", "up")), 1);
            perturbAdapters(imported.model(), manager);
            float[] before = logits(imported.model(), manager);
            Path folder = CheckpointIO.save(dir.resolve("ckpt"), CheckpointConfig.languageModel(
                    imported.model().architecture(), BaseModel.TokenizerKind.FILE).withLora(
                    new Finetune.Lora(2, 4, 0.0, List.of("v", "up"))), imported.model(), imported.tokenizer());
            Checkpoint checkpoint = Checkpoint.open(folder);
            assertEquals(imported.model().architecture(), checkpoint.config().model());
            LanguageModel back = checkpoint.loadLanguageModel(manager);
            assertTrue(Lora.hasAdapters(back));
            assertArrayEquals(before, logits(back, manager));
            Tokenizer tokenizer = checkpoint.loadTokenizer(Tokenizers::load);
            String text = "The patient reports a mild headache.";
            assertArrayEquals(imported.tokenizer().encode(text), tokenizer.encode(text));
            assertEquals(imported.tokenizer().endOfTextId(), tokenizer.endOfTextId());
        }
    }

    @Test
    void aClassifierOnTheLlamaTrunkTakesTheTrunkWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierModel classifier = HfImporter.loadClassifierBase(LlamaFixtures.folder("qwen2"), 3,
                    Finetune.Pooling.LAST, 7, manager);
            NDArray ids = manager.create(IDS);
            NDArray mask = manager.create(new float[][] {{1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0, 0}});
            float[] out = classifier.forward(new ParameterStore(manager, false), new NDList(ids, mask), false)
                    .head().toFloatArray();
            assertEquals(6, out.length);
            // the padded row's last real token gives the same logits as the unpadded 4-token row
            NDArray shortIds = manager.create(new long[][] {{1, 2, 3, 4}});
            float[] alone = classifier.forward(new ParameterStore(manager, false), new NDList(shortIds), false)
                    .head().toFloatArray();
            for (int k = 0; k < 3; k++) {
                assertEquals(alone[k], out[3 + k], 1e-4);
            }
            assertInstanceOf(LlamaTrunk.class, classifier.trunk());
        }
    }

    static float[] logits(LanguageModel model, NDManager manager) {
        return model.forward(new ParameterStore(manager, false), new NDList(manager.create(IDS)), false).head()
                .toFloatArray();
    }

    static double maxDiff(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    static void perturbAdapters(NamedParameters model, NDManager manager) {
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
