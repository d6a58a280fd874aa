package dev.workbench.model.llama;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.hf.HfExporter;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.Finetune;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export of a LoRA-adapted Llama-family model, merged and as a PEFT adapter: the workbench reads the merged folder back
 * to the adapted model's logits and the PEFT folder's base to the base's; transformers (and PEFT) loaded the same
 * exports to the same logits when {@code scripts/hf_reference/check_llama_export.py} last ran
 * ({@code hf/llama/export-check.json}: what it measured, and the last position's logits it computed, which this test
 * compares with the workbench's within 1e-4).
 *
 * <p>To regenerate the check: {@code WORKBENCH_LLAMA_EXPORT=/tmp/llama-export mvn -o test -Dtest=LlamaExportTest},
 * then {@code /work/venv/bin/python scripts/hf_reference/check_llama_export.py /tmp/llama-export
 * workbench/src/test/resources/hf/llama/export-check.json}.
 */
class LlamaExportTest {
    /** Every role adapted; rank 2, alpha 6: PEFT scales by 6 / 2 as the workbench does. */
    static final Finetune.Lora LORA = new Finetune.Lora(2, 6, 0.0, LlamaConfig.PROJECTIONS);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @FieldSource("dev.workbench.model.llama.LlamaFixtures#MODELS")
    void mergedAndPeftExportsLoadToTheAdaptedLogits(String name) throws IOException {
        Path keep = System.getenv("WORKBENCH_LLAMA_EXPORT") == null ? dir
                : Files.createDirectories(Path.of(System.getenv("WORKBENCH_LLAMA_EXPORT")));
        int[] ids = LlamaFixtures.ints(LlamaFixtures.expected(name).path("logits").path("ids"));
        try (NDManager manager = NDManager.newBaseManager()) {
            HfImporter.Imported base = HfImporter.load(LlamaFixtures.folder(name), manager);
            float[] baseLogits = logits(base.model(), ids, manager);
            float[] adapted = adapted(name, manager, ids, keep.resolve(name + "-peft"), HfExporter.Adapters.PEFT);
            float[] merged = adapted(name, manager, ids, keep.resolve(name + "-merged"), HfExporter.Adapters.MERGED);
            assertArrayEquals(adapted, merged, "the same adapters, whatever the export");

            LanguageModel mergedBack = HfImporter.loadModel(keep.resolve(name + "-merged"), manager);
            double mergedDiff = LlamaTuningTest.maxDiff(adapted, logits(mergedBack, ids, manager));
            assertTrue(mergedDiff < 1e-4, name + ": merged export reads back with logits off by " + mergedDiff);
            LanguageModel peftBase = HfImporter.loadModel(keep.resolve(name + "-peft"), manager);
            assertArrayEquals(baseLogits, logits(peftBase, ids, manager), "the PEFT export keeps the base as it was");
            Path adapter = keep.resolve(name + "-peft").resolve("adapter");
            JsonNode config = JSON.readTree(adapter.resolve("adapter_config.json").toFile());
            assertEquals(2, config.path("r").asInt());
            assertEquals(6.0, config.path("lora_alpha").asDouble());
            assertEquals(List.of("down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"),
                    JSON.convertValue(config.path("target_modules"), List.class));
            Map<String, Safetensors.Tensor> tensors = Safetensors.read(adapter.resolve("adapter_model.safetensors"));
            assertEquals(2 * 7 * base.model().architecture().layers(), tensors.size());
            assertTrue(tensors.containsKey("base_model.model.model.layers.1.mlp.gate_proj.lora_B.weight"));

            if (keep != dir) { // the regeneration run: what the Python check compares transformers with
                ObjectNode written = JSON.createObjectNode();
                written.set("ids", JSON.valueToTree(ids));
                ArrayNode values = written.putArray("adapted_logits");
                for (float v : adapted) {
                    values.add(v);
                }
                written.put("vocab_size", base.model().architecture().vocabSize());
                Files.writeString(keep.resolve(name + "-workbench.json"), written.toString());
            }
            JsonNode check = LlamaFixtures.expectedExportCheck().path(name);
            int vocab = base.model().architecture().vocabSize();
            for (String kind : List.of("merged", "peft")) {
                JsonNode reference = check.path(kind);
                assertTrue(reference.path("max_abs_diff").asDouble(1) < 1e-4, name + " " + kind + ": " + reference);
                JsonNode last = reference.path("last_position_logits");
                assertEquals(vocab, last.size());
                double worst = 0;
                for (int v = 0; v < vocab; v++) {
                    worst = Math.max(worst, Math.abs(adapted[(ids.length - 1) * vocab + v] - last.get(v).asDouble()));
                }
                assertTrue(worst < 1e-4, name + " " + kind + ": transformers' logits differ by " + worst);
            }
        }
    }

    /** The fixture with deterministic non-zero adapters on every role; exported to {@code out}; its logits. */
    private static float[] adapted(String name, NDManager manager, int[] ids, Path out, HfExporter.Adapters how)
            throws IOException {
        HfImporter.Imported imported = HfImporter.load(LlamaFixtures.folder(name), manager);
        Lora.apply(imported.model(), LORA, 11);
        LlamaTuningTest.perturbAdapters(imported.model(), manager);
        float[] logits = logits(imported.model(), ids, manager);
        if (Files.exists(out)) { // a kept folder from an earlier regeneration run
            dev.workbench.store.AtomicDirectory.deleteRecursively(out);
        }
        HfExporter.export(imported.model(), imported.tokenizer(), out, how);
        return logits;
    }

    private static float[] logits(LanguageModel model, int[] ids, NDManager manager) {
        return model.forward(new ai.djl.training.ParameterStore(manager, false), new ai.djl.ndarray.NDList(
                manager.create(LlamaReferenceTest.toLongs(ids)).reshape(1, ids.length)), false).head().toFloatArray();
    }
}
