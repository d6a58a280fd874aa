package dev.workbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
