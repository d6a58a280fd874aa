package dev.workbench.model.llama;

import dev.workbench.finetune.LoraStepBenchmark;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench llama}'s random folder is a complete Hugging Face folder (config, weights, tokenizer) that the importer
 * reads and that LoRA trains on: the benchmark measures the path a user's download takes, not a side door.
 */
class RandomLlamaFolderTest {
    @TempDir
    Path dir;

    @Test
    void tinyFolderLoadsAndTrainsWithLora() throws Exception {
        Path folder = dir.resolve("tiny");
        LlamaConfig config = RandomLlamaFolder.write("tiny", folder, Safetensors.DType.BF16, 1);
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertTrue(Files.isRegularFile(folder.resolve(file)), file);
        }
        assertEquals(config.parameterCount(), HfImporter.config(folder).architecture().parameterCount());

        LoraStepBenchmark.Measurement m = LoraStepBenchmark.run(folder, 1, 16, 2,
                new Finetune.Lora(4, 8.0, 0.0, LlamaConfig.PROJECTIONS), 1);
        assertEquals(config.parameterCount(), m.parameters());
        assertTrue(m.trainable() > 0 && m.trainable() < m.parameters() / 10, "LoRA trains adapters only");
        assertTrue(Double.isFinite(m.firstLoss()) && Double.isFinite(m.lastLoss()));
        assertTrue(m.rssPeakBytes() >= m.rssAfterLoadBytes());
    }

    @Test
    void refusesUnknownShapesAndExistingFolders() throws Exception {
        assertThrows(WorkbenchException.class, () -> RandomLlamaFolder.write("huge", dir.resolve("x"),
                Safetensors.DType.F32, 1));
        Files.createDirectories(dir.resolve("taken"));
        assertThrows(WorkbenchException.class, () -> RandomLlamaFolder.write("tiny", dir.resolve("taken"),
                Safetensors.DType.F32, 1));
    }
}
