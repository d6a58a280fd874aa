package dev.workbench.model.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.Init;
import dev.workbench.model.Lora;
import dev.workbench.model.hf.CheckpointRef;
import dev.workbench.model.hf.HfExporter;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export of a fine-tuned BERT classifier (LoRA merged) as {@code BertForSequenceClassification}: names, shapes and
 * config.json, the workbench's importer reads the folder back to the same encoder, and every classifier transformers
 * has no same-function class for is refused, saying why. transformers loaded the same export to the same logits when
 * {@code scripts/hf_reference/check_bert_export.py} last ran ({@code hf/tiny-bert-export-check.json}: what it
 * measured and the logits it computed, which this test compares with the workbench's within 1e-4).
 *
 * <p>To regenerate the check: {@code WORKBENCH_BERT_EXPORT=/tmp/bert-export mvn -o test -Dtest=BertExportTest}, then
 * {@code /work/venv/bin/python scripts/hf_reference/check_bert_export.py /tmp/bert-export
 * workbench/src/test/resources/hf/tiny-bert-export-check.json}.
 */
class BertExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LABELS = List.of("billing", "refund", "other");
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
    void aLoraBertClassifierExportsAsBertForSequenceClassification() throws Exception {
        Path keep = System.getenv("WORKBENCH_BERT_EXPORT") == null ? dir
                : Files.createDirectories(Path.of(System.getenv("WORKBENCH_BERT_EXPORT")));
        Path checkpoint = checkpoint("bert", Finetune.Pooling.CLS, true);
        ClassifierModel fine = Checkpoint.open(checkpoint).loadClassifier(manager);
        float[] logits = logits(fine);
        Path out = keep.resolve("bert-classifier");
        if (Files.exists(out)) { // a kept folder from an earlier regeneration run
            dev.workbench.store.AtomicDirectory.deleteRecursively(out);
        }
        HfExporter.export(CheckpointRef.resolve(checkpoint.toString()), out);

        try (var files = Files.list(out)) {
            assertEquals(List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            assertArrayEquals(Files.readAllBytes(BertFixtures.folder("bert").resolve(file)),
                    Files.readAllBytes(out.resolve(file)), file);
        }
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals("BertForSequenceClassification", config.path("architectures").get(0).asText());
        assertEquals("bert", config.path("model_type").asText());
        assertEquals(3, config.path("num_labels").asInt());
        assertEquals("refund", config.path("id2label").path("1").asText());
        assertEquals(2, config.path("label2id").path("other").asInt());
        assertEquals("single_label_classification", config.path("problem_type").asText());
        JsonNode fixture = JSON.readTree(BertFixtures.folder("bert").resolve("config.json").toFile());
        for (String key : List.of("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                "vocab_size", "max_position_embeddings", "type_vocab_size", "hidden_act")) {
            assertEquals(fixture.path(key), config.path(key), key);
        }
        assertEquals(fixture.path("layer_norm_eps").asDouble(), config.path("layer_norm_eps").asDouble());

        Map<String, Safetensors.Tensor> tensors = Safetensors.read(out.resolve("model.safetensors"));
        assertTrue(tensors.keySet().stream().noneMatch(n -> n.contains("lora")), tensors.keySet().toString());
        assertTrue(tensors.keySet().stream().allMatch(n -> n.startsWith("bert.") || n.startsWith("classifier.")));
        long d = fine.architecture().embeddingDim();
        assertArrayEquals(new long[] {3, d}, tensors.get("classifier.weight").shape());
        assertArrayEquals(new long[] {3}, tensors.get("classifier.bias").shape());
        assertArrayEquals(new long[] {d, d}, tensors.get("bert.pooler.dense.weight").shape());
        assertTrue(tensors.containsKey("bert.encoder.layer.1.attention.self.query.weight"));
        assertTrue(tensors.containsKey("bert.embeddings.LayerNorm.weight"));
        assertEquals(fine.namedParameters().size() - lora(fine), tensors.size());
        assertTrue(tensors.values().stream().allMatch(t -> t.dtype() == Safetensors.DType.F32));
        assertArrayEquals(fine.namedParameters().get("head.weight").getArray().toFloatArray(),
                tensors.get("classifier.weight").values());

        // the workbench's own importer reads the exported folder: the same encoder (pooler included)
        assertEquals(fine.architecture(), HfImporter.config(out).architecture());
        ClassifierModel back = HfImporter.loadClassifierBase(out, 3, Finetune.Pooling.CLS, 1, manager);
        float[] pooled = pooled(fine);
        float diff = BertFixtures.maxAbsDiff(pooled, pooled(back));
        assertTrue(diff < 1e-5, "re-imported pooled features differ by " + diff);

        if (keep != dir) { // the regeneration run: what the Python check compares transformers with
            JsonNode expected = BertFixtures.expected("bert");
            ObjectNode written = JSON.createObjectNode();
            written.set("texts", expected.path("texts"));
            written.set("input_ids", expected.path("input_ids"));
            written.set("attention_mask", expected.path("attention_mask"));
            written.set("labels", JSON.valueToTree(LABELS));
            written.set("logits", JSON.valueToTree(logits));
            Files.writeString(keep.resolve("bert-workbench.json"), written.toString());
        }
        Path checkFile = BertFixtures.folder("bert").getParent().resolve("tiny-bert-export-check.json");
        JsonNode check = JSON.readTree(checkFile.toFile());
        assertTrue(check.path("max_abs_diff").asDouble(1) < 1e-4, check.toString());
        float[] transformers = BertFixtures.flat(check.path("logits"));
        float worst = BertFixtures.maxAbsDiff(logits, transformers);
        assertTrue(worst < 1e-4, "transformers' logits of the export differ from the workbench's by " + worst);
    }

    @Test
    void classifiersTransformersComputesDifferentlyAreRefusedSayingWhy() throws Exception {
        assertRefused(checkpoint("roberta", Finetune.Pooling.CLS, false), "RobertaForSequenceClassification has a "
                + "dense + tanh head the workbench classifier does not have");
        assertRefused(checkpoint("distilbert", Finetune.Pooling.CLS, false), "DistilBertForSequenceClassification "
                + "has a pre_classifier");
        assertRefused(checkpoint("bert", Finetune.Pooling.MEAN, false), "with mean pooling");

        BertConfig base = (BertConfig) HfImporter.config(BertFixtures.folder("bert")).architecture();
        ClassifierModel raw = BertFamily.INSTANCE.newClassifier(base.withPooler(false), 2, Finetune.Pooling.CLS, 3,
                manager);
        Path noPooler = CheckpointIO.save(dir.resolve("no-pooler"), CheckpointConfig.classifier(raw.architecture(),
                BaseModel.TokenizerKind.FILE, List.of("a", "b"), Finetune.Pooling.CLS), raw,
                folder -> CheckpointIO.copyTokenizer(BertFixtures.folder("bert"), folder), Safetensors.DType.F32,
                CheckpointIO.FolderWriter.NOTHING);
        assertRefused(noPooler, "pools the raw first token");

        WorkbenchException peft = assertThrows(WorkbenchException.class, () -> HfExporter.export(CheckpointRef
                .resolve(checkpoint("bert", Finetune.Pooling.CLS, true).toString()), dir.resolve("peft"),
                HfExporter.Adapters.PEFT));
        assertTrue(peft.getMessage().contains("--lora peft"), peft.getMessage());
        assertFalse(Files.exists(dir.resolve("peft")));
    }

    private void assertRefused(Path checkpoint, String expected) {
        Path out = dir.resolve("refused-" + checkpoint.getFileName());
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> HfExporter.export(CheckpointRef.resolve(checkpoint.toString()), out));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("export supports bert classifiers with cls pooling"), e.getMessage());
        assertFalse(Files.exists(out), "nothing is written for a refused export");
    }

    /**
     * A classifier checkpoint on the {@code type} fixture with a visible head (and, with {@code lora}, non-zero
     * adapters on q, v and up), the fixture's tokenizer files.
     */
    private Path checkpoint(String type, Finetune.Pooling pooling, boolean lora) throws IOException {
        ClassifierModel model = HfImporter.loadClassifierBase(BertFixtures.folder(type), 3, pooling, 4, manager);
        Finetune.Lora spec = new Finetune.Lora(2, 4, 0.0, List.of("q", "v", "up"));
        if (lora) {
            Lora.apply(model, spec, 5);
        }
        model.namedParameters().forEach((name, parameter) -> {
            if (name.endsWith(".lora_b") || name.equals("head.weight")) { // visible effects on the logits
                parameter.getArray().stopGradient();
                parameter.freeze(true);
                parameter.getArray().set(Init.normal(3, name, 0.3).initialize(manager, parameter.getShape(),
                        DataType.FLOAT32).toFloatArray());
                parameter.freeze(false);
            }
        });
        CheckpointConfig config = CheckpointConfig.classifier(model.architecture(), BaseModel.TokenizerKind.FILE,
                LABELS, pooling);
        String name = type + "-" + pooling + (lora ? "-lora" : "");
        Path folder = dir.resolve("checkpoints").resolve(name);
        if (Files.exists(folder)) {
            return folder;
        }
        return CheckpointIO.save(folder, lora ? config.withLora(spec) : config, model,
                into -> CheckpointIO.copyTokenizer(BertFixtures.folder(type), into), Safetensors.DType.F32,
                CheckpointIO.FolderWriter.NOTHING);
    }

    private static int lora(ClassifierModel model) {
        return (int) model.namedParameters().keySet().stream().filter(Lora::isAdapter).count();
    }

    private static NDList batch(NDManager sub) {
        JsonNode expected = BertFixtures.expected("bert");
        return new NDList(sub.create(BertFixtures.longs(expected.path("input_ids"))),
                sub.create(BertFixtures.longs(expected.path("attention_mask"))));
    }

    private static float[] logits(ClassifierModel model) {
        try (NDManager sub = manager.newSubManager()) {
            return model.forward(new ParameterStore(sub, false), batch(sub), false).head().toFloatArray();
        }
    }

    private static float[] pooled(ClassifierModel model) {
        try (NDManager sub = manager.newSubManager()) {
            return model.pooledFeatures(new ParameterStore(sub, false), batch(sub)).toFloatArray();
        }
    }
}
