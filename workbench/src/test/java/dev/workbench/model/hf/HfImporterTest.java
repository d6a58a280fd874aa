package dev.workbench.model.hf;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfImporterTest {
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
    void importedLogitsEqualTheIndependentPyTorchReference() {
        HfImporter.Imported imported = HfImporter.load(HfFixtures.tinyGpt2(), manager);
        assertEquals(new GptConfig(269, 16, 2, 2, 16, 0.1, GptConfig.Activation.GELU_TANH), imported.model().architecture());
        JsonNode expected = HfFixtures.expected();
        for (int s = 0; s < expected.path("inputs").size(); s++) {
            float[] actual = HfFixtures.logits(imported.model(), manager, HfFixtures.ids(expected, s));
            float diff = HfFixtures.maxAbsDiff(HfFixtures.expectedLogits(expected, s), actual);
            assertTrue(diff < 1e-4, "sequence " + s + ": max |logit - reference| = " + diff);
        }
    }

    @Test
    void theTokenizerIsTheFixturesByteLevelBpe() {
        var tokenizer = HfImporter.loadTokenizer(HfFixtures.tinyGpt2());
        assertEquals(269, tokenizer.vocabSize());
        assertEquals(268, tokenizer.endOfTextId());
        // merges in the fixture's order: th=256, the=257, Gthe=258, at=259, Gs=260, Gc=261, Gcat=262 (G = space)
        assertArrayEquals(new int[] {257, 262, 260, 259}, tokenizer.encode("the cat sat"));
        assertEquals("the cat sat", tokenizer.decode(new int[] {257, 262, 260, 259}));
    }

    @Test
    void gpt2sOlderVocabAndMergesFilesWorkToo() throws Exception {
        Path folder = HfFixtures.copyOfTinyGpt2(dir.resolve("pair"));
        JsonNode model = JSON.readTree(folder.resolve("tokenizer.json").toFile()).path("model");
        Files.writeString(folder.resolve("vocab.json"), model.path("vocab").toString());
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        model.path("merges").forEach(m -> merges.append(m.asText()).append('\n'));
        Files.writeString(folder.resolve("merges.txt"), merges.toString());
        Files.delete(folder.resolve("tokenizer.json"));
        assertArrayEquals(new int[] {257, 262, 260, 259}, HfImporter.loadTokenizer(folder).encode("the cat sat"));
        Path out = HfExporter.export(CheckpointRef.resolve("hf:" + folder), dir.resolve("pair-export"));
        assertArrayEquals(new int[] {257, 262, 260, 259},
                HfImporter.loadTokenizer(out).encode("the cat sat"), "exported as tokenizer.json");
        Files.delete(folder.resolve("merges.txt"));
        assertInvalid(() -> HfImporter.loadTokenizer(folder), "no tokenizer.json (nor the older");
    }

    @Test
    void aClassifierBaseGetsThePretrainedTrunkAndAFreshHead() {
        LanguageModel lm = HfImporter.loadModel(HfFixtures.tinyGpt2(), manager);
        ClassifierModel classifier = HfImporter.loadClassifierBase(HfFixtures.tinyGpt2(), 3,
                Finetune.Pooling.MEAN, 5, manager);
        Map<String, Parameter> trunk = classifier.namedParameters();
        lm.namedParameters().forEach((name, parameter) -> assertArrayEquals(parameter.getArray().toFloatArray(),
                trunk.get(name).getArray().toFloatArray(), name));
        assertEquals(new ai.djl.ndarray.types.Shape(3, 16), trunk.get("head.weight").getShape());
        assertTrue(trunk.values().stream().allMatch(Parameter::requiresGradient));
    }

    @Test
    void bf16WeightsAreWidenedInJavaAndGiveNearlyTheSameLogits() throws Exception {
        Path folder = HfFixtures.copyOfTinyGpt2(dir.resolve("bf16"));
        Path weights = folder.resolve("model.safetensors");
        Safetensors.write(weights, Safetensors.read(weights), Safetensors.DType.BF16, Map.of("format", "pt"));
        LanguageModel model = HfImporter.loadModel(folder, manager);
        JsonNode expected = HfFixtures.expected();
        float diff = HfFixtures.maxAbsDiff(HfFixtures.expectedLogits(expected, 1),
                HfFixtures.logits(model, manager, HfFixtures.ids(expected, 1)));
        // bf16 keeps 8 mantissa bits (relative error <= 2^-9 per weight): logits move, but only a little
        assertTrue(diff > 0 && diff < 0.1, "bf16 logits differ by " + diff);
    }

    @Test
    void shardedWeightsWithAnIndexLoadTheSameModel() throws Exception {
        Path folder = shardedCopy("sharded");
        JsonNode expected = HfFixtures.expected();
        LanguageModel model = HfImporter.loadModel(folder, manager);
        assertTrue(HfFixtures.maxAbsDiff(HfFixtures.expectedLogits(expected, 1),
                HfFixtures.logits(model, manager, HfFixtures.ids(expected, 1))) < 1e-4);
    }

    @Test
    void aDishonestOrEscapingIndexIsRefused() throws Exception {
        Path folder = shardedCopy("lying");
        Path index = folder.resolve(ShardedSafetensors.INDEX);
        ObjectNode root = (ObjectNode) JSON.readTree(index.toFile());
        ((ObjectNode) root.path("weight_map")).put("wte.weight", "model-00002-of-00002.safetensors");
        Files.writeString(index, root.toString());
        assertInvalid(() -> HfImporter.loadModel(folder, manager), "places in model-00002-of-00002");

        ((ObjectNode) root.path("weight_map")).put("wte.weight", "../../etc/passwd.safetensors");
        Files.writeString(index, root.toString());
        assertInvalid(() -> HfImporter.loadModel(folder, manager), "plain *.safetensors file name");

        ((ObjectNode) root.path("weight_map")).remove("wte.weight");
        Files.writeString(index, root.toString());
        assertInvalid(() -> HfImporter.loadModel(folder, manager), "does not list");
    }

    @Test
    void unsupportedConfigFieldsAreRefusedByName() throws Exception {
        refusedConfig(c -> c.put("model_type", "t5"), "model_type 't5' is not supported");
        refusedConfig(c -> c.putArray("architectures").add("GPT2ForSequenceClassification"), "architectures");
        refusedConfig(c -> c.put("scale_attn_by_inverse_layer_idx", true), "scale_attn_by_inverse_layer_idx");
        refusedConfig(c -> c.put("activation_function", "relu"), "activation_function 'relu'");
        refusedConfig(c -> c.put("n_inner", 40), "n_inner 40");
        refusedConfig(c -> c.put("layer_norm_epsilon", 1e-6), "layer_norm_epsilon");
        refusedConfig(c -> c.put("tie_word_embeddings", false), "tie_word_embeddings");
        refusedConfig(c -> c.put("add_cross_attention", true), "add_cross_attention");
        refusedConfig(c -> c.put("n_head", 3), "not divisible by n_head 3");
        refusedConfig(c -> c.put("n_embd", -16), "n_embd must be a positive integer");
        refusedConfig(c -> c.put("vocab_size", 2_000_000_000), "beyond any GPT-2");
        // a config that disagrees with the weights is caught by shape
        refusedConfig(c -> c.put("n_positions", 32), "'wpe.weight' has shape [16, 16] but config.json implies [32, 16]");
        refusedConfig(c -> c.put("n_layer", 1), "tensors a GPT-2 language model of 1 layers does not have");
        refusedConfig(c -> c.put("eos_token_id", 3), "eos_token_id 3 differs");
    }

    @Test
    void weightProblemsAreRefusedByTensorName() throws Exception {
        refusedWeights(w -> w.remove("h.1.mlp.c_fc.bias"), "no tensor 'h.1.mlp.c_fc.bias'");
        refusedWeights(w -> w.put("score.weight", w.get("wte.weight")), "score.weight");
        refusedWeights(w -> w.put("lm_head.weight", w.get("h.0.attn.c_proj.weight")), "untied output head");
        refusedWeights(w -> w.put("h.0.ln_1.weight", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {4, 4},
                w.get("h.0.ln_1.weight").values())), "'h.0.ln_1.weight' has shape [4, 4]");
        // a tied lm_head (as distilgpt2 stores it) and the transformer. prefix are accepted
        Path folder = HfFixtures.copyOfTinyGpt2(dir.resolve("prefixed"));
        Map<String, Safetensors.Tensor> prefixed = new LinkedHashMap<>();
        Safetensors.read(folder.resolve("model.safetensors")).forEach((k, v) -> prefixed.put("transformer." + k, v));
        prefixed.put("lm_head.weight", prefixed.get("transformer.wte.weight"));
        Safetensors.write(folder.resolve("model.safetensors"), prefixed, Safetensors.DType.F32, Map.of());
        assertEquals(16, HfImporter.loadModel(folder, manager).architecture().embeddingDim());
    }

    @Test
    void pickleCheckpointsAreRefusedWithTheReason() throws Exception {
        Path folder = HfFixtures.copyOfTinyGpt2(dir.resolve("pickle"));
        Files.delete(folder.resolve("model.safetensors"));
        Files.write(folder.resolve("pytorch_model.bin"), new byte[] {'P', 'K', 3, 4});
        assertInvalid(() -> HfImporter.loadModel(folder, manager), "arbitrary code");
        assertInvalid(() -> HfImporter.config(folder.resolve("pytorch_model.bin")), "arbitrary code");
        assertInvalid(() -> HfImporter.config(dir.resolve("absent")), "no such Hugging Face model folder");
    }

    private Path shardedCopy(String name) throws Exception {
        Path folder = HfFixtures.copyOfTinyGpt2(dir.resolve(name));
        Map<String, Safetensors.Tensor> all = Safetensors.read(folder.resolve("model.safetensors"));
        Files.delete(folder.resolve("model.safetensors"));
        Map<String, Safetensors.Tensor> first = new LinkedHashMap<>();
        Map<String, Safetensors.Tensor> second = new LinkedHashMap<>();
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode weightMap = index.putObject("weight_map");
        all.forEach((k, v) -> {
            boolean one = k.startsWith("h.0.") || k.startsWith("w");
            (one ? first : second).put(k, v);
            weightMap.put(k, one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        });
        Safetensors.write(folder.resolve("model-00001-of-00002.safetensors"), first, Safetensors.DType.F32, Map.of());
        Safetensors.write(folder.resolve("model-00002-of-00002.safetensors"), second, Safetensors.DType.F32,
                Map.of());
        Files.writeString(folder.resolve(ShardedSafetensors.INDEX), index.toString());
        return folder;
    }

    private void refusedConfig(Consumer<ObjectNode> change, String fragment) throws Exception {
        Path folder = HfFixtures.copyOfTinyGpt2(dir.resolve("config" + System.nanoTime()));
        ObjectNode config = (ObjectNode) JSON.readTree(folder.resolve("config.json").toFile());
        change.accept(config);
        Files.writeString(folder.resolve("config.json"), config.toString());
        assertInvalid(() -> HfImporter.load(folder, manager), fragment);
    }

    private void refusedWeights(Consumer<Map<String, Safetensors.Tensor>> change, String fragment) throws Exception {
        Path folder = HfFixtures.copyOfTinyGpt2(dir.resolve("weights" + System.nanoTime()));
        Map<String, Safetensors.Tensor> weights = new LinkedHashMap<>(Safetensors.read(folder.resolve("model.safetensors")));
        change.accept(weights);
        Safetensors.write(folder.resolve("model.safetensors"), weights, Safetensors.DType.F32, Map.of());
        assertInvalid(() -> HfImporter.loadModel(folder, manager), fragment);
    }

    private static void assertInvalid(org.junit.jupiter.api.function.Executable call, String fragment) {
        WorkbenchException e = assertThrows(WorkbenchException.class, call);
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' in: " + e.getMessage());
    }
}
