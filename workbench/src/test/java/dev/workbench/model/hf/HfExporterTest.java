package dev.workbench.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfExporterTest {
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
    void exportThenImportGivesIdenticalLogits() throws Exception {
        CheckpointRef source = CheckpointRef.resolve("hf:" + HfFixtures.tinyGpt2());
        assertInstanceOf(CheckpointRef.HuggingFace.class, source);
        Path out = HfExporter.export(source, dir.resolve("export"));

        assertEquals(List.of("config.json", "model.safetensors", "tokenizer.json"), // no workbench marker
                Files.list(out).map(p -> p.getFileName().toString()).sorted().toList());
        assertArrayEquals(Files.readAllBytes(HfFixtures.tinyGpt2().resolve("tokenizer.json")),
                Files.readAllBytes(out.resolve("tokenizer.json")));
        if (out.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(out.resolve("model.safetensors"))));
        }
        // HF names with the transformer. prefix, Conv1D layout, no lm_head (tied), no mask buffers
        Map<String, Safetensors.Tensor> stored = Safetensors.read(out.resolve("model.safetensors"));
        assertEquals(4 + 12 * 2, stored.size());
        assertArrayEquals(new long[] {16, 48}, stored.get("transformer.h.1.attn.c_attn.weight").shape());
        assertArrayEquals(new long[] {64, 16}, stored.get("transformer.h.0.mlp.c_proj.weight").shape());

        HfImporter.Imported original = HfImporter.load(HfFixtures.tinyGpt2(), manager);
        HfImporter.Imported back = HfImporter.load(out, manager);
        assertEquals(original.model().architecture(), back.model().architecture());
        JsonNode expected = HfFixtures.expected();
        for (int s = 0; s < 2; s++) {
            long[] ids = HfFixtures.ids(expected, s);
            assertArrayEquals(HfFixtures.logits(original.model(), manager, ids),
                    HfFixtures.logits(back.model(), manager, ids), "sequence " + s);
        }
        // every stored weight came back bit for bit
        Map<String, Safetensors.Tensor> fixture = Safetensors.read(HfFixtures.tinyGpt2().resolve("model.safetensors"));
        assertArrayEquals(fixture.get("h.1.attn.c_attn.weight").values(),
                stored.get("transformer.h.1.attn.c_attn.weight").values());
        assertArrayEquals(fixture.get("h.0.mlp.c_fc.weight").values(),
                stored.get("transformer.h.0.mlp.c_fc.weight").values());
    }

    @Test
    void aLoraCheckpointIsExportedWithItsAdaptersMerged() throws Exception {
        HfImporter.Imported imported = HfImporter.load(HfFixtures.tinyGpt2(), manager);
        LanguageModel model = imported.model();
        Finetune.Lora spec = new Finetune.Lora(2, 4.0, 0.0, List.of("q", "v", "down"));
        Lora.apply(model, spec, 7);
        // B starts at zero (identity); give it values so that the adapters change the outputs
        for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
            if (entry.getKey().endsWith(".lora_b")) {
                NDArray b = entry.getValue().getArray();
                float[] values = new float[Math.toIntExact(b.size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = 0.05f * ((i % 7) - 3);
                }
                b.set(values);
            }
        }
        long[] ids = HfFixtures.ids(HfFixtures.expected(), 0);
        float[] adapted = HfFixtures.logits(model, manager, ids);
        CheckpointConfig config = CheckpointConfig.languageModel(model.architecture(), BaseModel.TokenizerKind.FILE)
                .withLora(spec);
        Path checkpoint = CheckpointIO.save(dir.resolve("ckpt"), config, model, imported.tokenizer());

        Path out = HfExporter.export(CheckpointRef.resolve(checkpoint.toString()), dir.resolve("merged"));
        LanguageModel back = HfImporter.loadModel(out, manager);
        float diff = HfFixtures.maxAbsDiff(adapted, HfFixtures.logits(back, manager, ids));
        assertTrue(diff < 1e-5, "merged export differs from the adapted model by " + diff);
        float[] base = HfFixtures.logits(HfImporter.loadModel(HfFixtures.tinyGpt2(), manager), manager, ids);
        assertTrue(HfFixtures.maxAbsDiff(base, adapted) > 1e-3, "the adapters must matter for this test to mean much");
    }

    @Test
    void refusesAnExistingOutFolderAndNonLanguageModels() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("taken"));
        CheckpointRef source = CheckpointRef.resolve("hf:" + HfFixtures.tinyGpt2());
        WorkbenchException taken = assertThrows(WorkbenchException.class,
                () -> HfExporter.export(source, existing));
        assertTrue(taken.getMessage().contains("already exists"), taken.getMessage());
        assertEquals(List.of(), Files.list(dir).filter(p -> p.getFileName().toString().contains(".tmp")).toList(),
                "no staging folder left behind");

        WorkbenchException predict = assertThrows(WorkbenchException.class,
                () -> source.requireWorkbench("predict needs a classifier checkpoint"));
        assertTrue(predict.getMessage().contains("not a workbench checkpoint; predict needs"), predict.getMessage());

        WorkbenchException noPrefix = assertThrows(WorkbenchException.class,
                () -> CheckpointRef.resolve(HfFixtures.tinyGpt2().toString()));
        assertTrue(noPrefix.getMessage().contains("write hf:"), noPrefix.getMessage());
    }
}
