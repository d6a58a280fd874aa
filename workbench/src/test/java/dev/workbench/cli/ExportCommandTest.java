package dev.workbench.cli;

import dev.workbench.store.AtomicDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void exportsAnHfFolderAndExitsWith2OnBadInput() throws Exception {
        Path fixture = Path.of(getClass().getResource("/hf/tiny-gpt2").toURI());
        Path out = dir.resolve("out");
        assertEquals(0, Main.execute("export", "--checkpoint", "hf:" + fixture, "--format", "hf", "--out",
                out.toString()));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        // the same folder again: it exists now
        assertEquals(2, Main.execute("export", "--checkpoint", "hf:" + fixture, "--out", out.toString()));
        // a pickle file instead of a folder
        Path bin = Files.write(dir.resolve("pytorch_model.bin"), new byte[] {'P', 'K', 3, 4});
        assertEquals(2, Main.execute("export", "--checkpoint", "hf:" + bin, "--out", dir.resolve("x").toString()));
    }

    /** Like generate, predict and score: a run folder means its language model's best checkpoint. */
    @Test
    void exportsTheBestCheckpointOfARunFolderWithoutTheRunsMarkers() throws Exception {
        Path run = dir.resolve("runs/r/20260101-000000-abcdef");
        Path best = run.resolve("checkpoints/language_model/best");
        Files.createDirectories(best);
        try (var files = Files.list(Path.of("../models/general-micro"))) {
            for (Path file : files.toList()) {
                Files.copy(file, best.resolve(file.getFileName()));
            }
        }
        Files.writeString(run.resolve(AtomicDirectory.COMMIT_MARKER), "ok\n");
        Path out = dir.resolve("exported");
        assertEquals(0, Main.execute("export", "--checkpoint", run.toString(), "--out", out.toString()));
        try (var files = Files.list(out)) {
            assertEquals(List.of("config.json", "model.safetensors", "tokenizer.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
