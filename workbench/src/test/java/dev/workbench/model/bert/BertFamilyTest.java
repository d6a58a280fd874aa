package dev.workbench.model.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.Freezing;
import dev.workbench.model.Lora;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.io.CheckpointManifest;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encoder family's edges: what config.json fields are read and refused by name, which stored tensors are skipped
 * or refused, the parameter counts {@code plan} prints, no language model, and classifier checkpoints (plain and
 * LoRA) that record the family and load back to the same logits.
 */
class BertFamilyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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
    void theFixturesConfigsReadAsTheirVariants() {
        assertEquals(new BertConfig(BertConfig.Variant.BERT, 120, 40, 2, 2, 4, 32, 48, BertConfig.Activation.GELU,
                1e-12, 0.1, 0.1, -1, true), HfImporter.config(BertFixtures.folder("bert")).architecture());
        BertConfig roberta = (BertConfig) HfImporter.config(BertFixtures.folder("roberta")).architecture();
        assertEquals(new BertConfig(BertConfig.Variant.ROBERTA, 300, 42, 1, 2, 4, 32, 48,
                BertConfig.Activation.GELU_TANH, 1e-5, 0.1, 0.1, 1, false), roberta);
        assertEquals(40, roberta.contextLength(), "42 positions less the padding index 1 and the one below it");
        assertEquals(new BertConfig(BertConfig.Variant.DISTILBERT, 120, 40, 0, 2, 4, 32, 48,
                BertConfig.Activation.GELU, 1e-12, 0.1, 0.1, -1, false),
                HfImporter.config(BertFixtures.folder("distilbert")).architecture());
        assertEquals(-1, HfImporter.config(BertFixtures.folder("roberta")).endOfTextId(), "an encoder generates "
                + "nothing: no eos is checked");
    }

    @Test
    void unsupportedOptionsAreRefusedByName() throws Exception {
        assertRefused("bert", c -> c.put("position_embedding_type", "relative_key"),
                "position_embedding_type \"relative_key\" is not supported: only \"absolute\"");
        assertRefused("bert", c -> c.put("is_decoder", true), "is_decoder true is not supported");
        assertRefused("roberta", c -> c.put("add_cross_attention", true), "add_cross_attention true is not supported");
        assertRefused("bert", c -> c.put("hidden_act", "relu"), "hidden_act \"relu\" is not supported");
        assertRefused("distilbert", c -> c.put("activation", "relu"), "activation \"relu\" is not supported");
        assertRefused("bert", c -> c.put("num_attention_heads", 5), "hidden_size 32 is not divisible by "
                + "num_attention_heads 5");
        assertRefused("distilbert", c -> c.put("n_heads", 3), "dim 32 is not divisible by n_heads 3");
        assertRefused("roberta", c -> c.put("pad_token_id", 41), "pad_token_id 41 leaves no position");
        assertRefused("bert", c -> c.putArray("architectures").add("ErnieModel"),
                "architectures [ErnieModel] are not bert models");
        assertRefused("bert", c -> c.put("layer_norm_eps", "small"), "layer_norm_eps must be a number");
        assertRefused("roberta", c -> c.put("hidden_dropout_prob", 1.5), "hidden_dropout_prob must be a number in "
                + "[0, 1)");
    }

    private void assertRefused(String type, Consumer<ObjectNode> edit, String expected) throws Exception {
        Path folder = BertFixtures.copy(type, dir.resolve(type + "-" + expected.hashCode()));
        ObjectNode config = (ObjectNode) JSON.readTree(folder.resolve("config.json").toFile());
        edit.accept(config);
        Files.writeString(folder.resolve("config.json"), config.toString());
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> HfImporter.config(folder));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(folder.resolve("config.json") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void taskHeadsAndBuffersAreSkippedOtherTensorsRefused() throws Exception {
        BertFamily family = BertFamily.INSTANCE;
        assertTrue(family.isHfBuffer("classifier.weight"));
        assertTrue(family.isHfBuffer("cls.predictions.decoder.weight"));
        assertTrue(family.isHfBuffer("lm_head.dense.weight"));
        assertTrue(family.isHfBuffer("bert.embeddings.position_ids"));
        assertTrue(family.isHfBuffer("vocab_projector.bias"));
        assertFalse(family.isHfBuffer("bert.pooler.dense.weight"));

        Path folder = BertFixtures.copy("bert", dir.resolve("extra"));
        Path weights = folder.resolve("model.safetensors");
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>(Safetensors.read(weights));
        Safetensors.Tensor q = tensors.get("bert.encoder.layer.1.attention.self.query.weight");
        tensors.put("bert.encoder.layer.2.attention.self.query.weight", q);
        Safetensors.write(weights, tensors, Safetensors.DType.F32, Map.of("format", "pt"));
        WorkbenchException extra = assertThrows(WorkbenchException.class, () -> HfImporter.loadClassifierBase(folder,
                2, Finetune.Pooling.CLS, 1, manager));
        assertTrue(extra.getMessage().contains("1 tensors a bert encoder of 2 layers does not have: "
                + "[encoder.layer.2.attention.self.query.weight]"), extra.getMessage());

        tensors.remove("bert.encoder.layer.2.attention.self.query.weight");
        tensors.remove("bert.encoder.layer.0.output.dense.bias");
        Safetensors.write(weights, tensors, Safetensors.DType.F32, Map.of("format", "pt"));
        WorkbenchException missing = assertThrows(WorkbenchException.class, () -> HfImporter.loadClassifierBase(
                folder, 2, Finetune.Pooling.CLS, 1, manager));
        assertTrue(missing.getMessage().contains("no tensor 'encoder.layer.0.output.dense.bias'"),
                missing.getMessage());
    }

    @Test
    void tensorFlowEraLayerNormNamesAndAPrefixlessEncoderLoadTheSameWeights() throws Exception {
        Path folder = BertFixtures.copy("bert", dir.resolve("gamma"));
        Path weights = folder.resolve("model.safetensors");
        Map<String, Safetensors.Tensor> renamed = new LinkedHashMap<>();
        Safetensors.read(weights).forEach((name, tensor) -> renamed.put(name.replace("bert.", "")
                .replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"), tensor));
        Safetensors.write(weights, renamed, Safetensors.DType.F32, Map.of("format", "pt"));
        assertEquals(logits(HfImporter.loadClassifierBase(BertFixtures.folder("bert"), 2, Finetune.Pooling.CLS, 1,
                manager)).length, 0 + logits(HfImporter.loadClassifierBase(folder, 2, Finetune.Pooling.CLS, 1,
                manager)).length);
        assertArrayEquals(logits(HfImporter.loadClassifierBase(BertFixtures.folder("bert"), 2, Finetune.Pooling.CLS,
                1, manager)), logits(HfImporter.loadClassifierBase(folder, 2, Finetune.Pooling.CLS, 1, manager)));
    }

    /** The pooler is found in a sharded folder's index too; a BF16 file is widened and loads close by (F16 reading is tested with the Safetensors reader). */
    @Test
    void shardedAndHalfPrecisionFoldersLoad() throws Exception {
        float[] reference = logits(HfImporter.loadClassifierBase(BertFixtures.folder("bert"), 2, Finetune.Pooling.CLS,
                1, manager));
        Path sharded = BertFixtures.copy("bert", dir.resolve("sharded"));
        Map<String, Safetensors.Tensor> all = Safetensors.read(sharded.resolve("model.safetensors"));
        Files.delete(sharded.resolve("model.safetensors"));
        Map<String, Safetensors.Tensor> first = new LinkedHashMap<>();
        Map<String, Safetensors.Tensor> second = new LinkedHashMap<>();
        ObjectNode index = JSON.createObjectNode();
        ObjectNode weightMap = index.putObject("weight_map");
        all.forEach((name, tensor) -> {
            boolean one = name.contains("layer.0.") || name.contains("embeddings");
            (one ? first : second).put(name, tensor);
            weightMap.put(name, one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        });
        Safetensors.write(sharded.resolve("model-00001-of-00002.safetensors"), first, Safetensors.DType.F32, Map.of());
        Safetensors.write(sharded.resolve("model-00002-of-00002.safetensors"), second, Safetensors.DType.F32,
                Map.of());
        Files.writeString(sharded.resolve("model.safetensors.index.json"), index.toString());
        assertTrue(((BertConfig) HfImporter.config(sharded).architecture()).pooler(), "pooler found in the index");
        assertArrayEquals(reference, logits(HfImporter.loadClassifierBase(sharded, 2, Finetune.Pooling.CLS, 1,
                manager)));

        for (Safetensors.DType half : List.of(Safetensors.DType.BF16)) {
            Path folder = BertFixtures.copy("bert", dir.resolve(half.name()));
            Path weights = folder.resolve("model.safetensors");
            Safetensors.write(weights, Safetensors.read(weights), half, Map.of("format", "pt"));
            float diff = BertFixtures.maxAbsDiff(reference, logits(HfImporter.loadClassifierBase(folder, 2,
                    Finetune.Pooling.CLS, 1, manager)));
            assertTrue(diff > 0 && diff < 0.1, half + " logits differ by " + diff);
        }
    }

    @Test
    void exportNamesAreTheEncoderModelsOwnAndReadBack() {
        for (String type : BertFixtures.TYPES) {
            BertConfig config = (BertConfig) HfImporter.config(BertFixtures.folder(type)).architecture();
            ClassifierModel model = HfImporter.loadClassifierBase(BertFixtures.folder(type), 2,
                    Finetune.Pooling.CLS, 1, manager);
            Map<String, Safetensors.Tensor> trunk = new LinkedHashMap<>(CheckpointIO.tensors(model));
            trunk.keySet().removeIf(name -> name.startsWith("head."));
            Map<String, Safetensors.Tensor> hf = BertFamily.INSTANCE.toHf(trunk, config);
            assertTrue(hf.keySet().stream().noneMatch(n -> n.startsWith(type + ".")), "BertModel names: no prefix");
            Map<String, Safetensors.Tensor> back = BertFamily.INSTANCE.fromHf(hf, config, "export");
            assertEquals(trunk.keySet(), back.keySet());
            trunk.forEach((name, tensor) -> assertArrayEquals(tensor.values(), back.get(name).values(), name));
            String json = BertFamily.INSTANCE.hfConfigJson(config, -1);
            assertTrue(json.contains("\"model_type\" : \"" + type + "\""), json);
        }
    }

    @Test
    void parameterCountsAreTheModelsOwn() {
        for (String type : BertFixtures.TYPES) {
            BertConfig config = (BertConfig) HfImporter.config(BertFixtures.folder(type)).architecture();
            for (Finetune.Pooling pooling : List.of(Finetune.Pooling.CLS, Finetune.Pooling.MEAN)) {
                ClassifierModel model = HfImporter.loadClassifierBase(BertFixtures.folder(type), 3, pooling, 1,
                        manager);
                long head = 3 * 32 + 3;
                assertEquals(config.forClassifier(pooling).parameterCount() + head, Freezing.totalCount(model),
                        type + " " + pooling);
                long embeddings = model.namedParameters().entrySet().stream()
                        .filter(e -> model.group(e.getKey()).part() == dev.workbench.model.ParameterGroup.Part
                                .EMBEDDINGS).mapToLong(e -> e.getValue().getShape().size()).sum();
                assertEquals(config.embeddingParameterCount(), embeddings, type);
            }
        }
    }

    @Test
    void anEncoderHasNoLanguageModel() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> HfImporter.loadModel(
                BertFixtures.folder("roberta"), manager));
        assertEquals("a roberta encoder has no language-model head: it cannot generate, score text or be fine-tuned "
                + "as a language_model; use it as a classifier's base", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassifierModel.of(
                HfImporter.config(BertFixtures.folder("bert")).architecture(), 2, Finetune.Pooling.LAST));
    }

    @Test
    void classifierCheckpointsRecordTheFamilyAndLoadBack() throws Exception {
        for (Finetune.Pooling pooling : List.of(Finetune.Pooling.CLS, Finetune.Pooling.MEAN)) {
            ClassifierModel model = HfImporter.loadClassifierBase(BertFixtures.folder("bert"), 2, pooling, 4,
                    manager);
            CheckpointConfig config = CheckpointConfig.classifier(model.architecture(), BaseModel.TokenizerKind.FILE,
                    List.of("neg", "pos"), pooling);
            Path folder = CheckpointIO.save(dir.resolve("plain-" + pooling), config, model, new TestByteTokenizer());
            String json = Files.readString(folder.resolve(CheckpointIO.CONFIG));
            assertTrue(json.contains("\"family\" : \"bert\""), json);
            assertTrue(json.contains("\"pooler\" : " + (pooling == Finetune.Pooling.CLS)), json);
            assertTrue(CheckpointManifest.describe(Checkpoint.open(folder).config()).contains("bert"),
                    CheckpointManifest.describe(Checkpoint.open(folder).config()));
            ClassifierModel loaded = Checkpoint.open(folder).loadClassifier(manager);
            assertArrayEquals(logits(model), logits(loaded), pooling.toString());

            // a fine-tuned encoder classifier is the base of the next classifier: the trunk carries over
            ClassifierModel next = Checkpoint.open(folder).loadClassifierBase(3, Finetune.Pooling.CLS, 9, manager);
            String q = "transformer.blocks.1.attention.q.weight";
            assertArrayEquals(model.namedParameters().get(q).getArray().toFloatArray(),
                    next.namedParameters().get(q).getArray().toFloatArray());
        }

        ClassifierModel adapted = HfImporter.loadClassifierBase(BertFixtures.folder("distilbert"), 2,
                Finetune.Pooling.CLS, 4, manager);
        Finetune.Lora spec = new Finetune.Lora(2, 4, 0.0, List.of("q", "v", "up"));
        Lora.apply(adapted, spec, 5);
        adapted.namedParameters().forEach((name, parameter) -> {
            if (name.endsWith(".lora_b")) { // B = 0 leaves the output unchanged: give the adapters a visible effect
                parameter.getArray().stopGradient();
                parameter.freeze(true);
                parameter.getArray().set(dev.workbench.model.Init.normal(3, name, 0.3).initialize(manager,
                        parameter.getShape(), ai.djl.ndarray.types.DataType.FLOAT32).toFloatArray());
                parameter.freeze(false);
            }
        });
        CheckpointConfig config = CheckpointConfig.classifier(adapted.architecture(), BaseModel.TokenizerKind.FILE,
                List.of("a", "b"), Finetune.Pooling.CLS).withLora(spec);
        Path folder = CheckpointIO.save(dir.resolve("lora"), config, adapted, new TestByteTokenizer());
        ClassifierModel loaded = Checkpoint.open(folder).loadClassifier(manager);
        assertArrayEquals(logits(adapted), logits(loaded));
        assertTrue(Freezing.trainable(loaded).stream().allMatch(n -> Lora.isAdapter(n) || n.startsWith("head.")));
    }

    private static float[] logits(ClassifierModel model) {
        try (NDManager sub = manager.newSubManager()) {
            return model.forward(new ParameterStore(sub, false), new NDList(
                    sub.create(new long[][] {{2, 53, 59, 93, 3, 0}, {2, 81, 108, 6, 118, 3}}),
                    sub.create(new long[][] {{1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 1, 1}})), false).head().toFloatArray();
        }
    }
}
