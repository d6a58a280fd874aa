package dev.workbench.finetune;

import dev.workbench.store.DiskFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A disk that fills up while a checkpoint is written: the failure names the file and nothing half-written stays. */
class CheckpointsDiskFullTest {

    @Test
    void theFileBeingWrittenIsNamedAndTheStagingFolderRemoved(@TempDir Path taskDir) throws IOException {
        DiskFullException e = assertThrows(DiskFullException.class, () -> Checkpoints.write(taskDir, "step-000004",
                target -> {
                    // the model package's writer fills <target>.tmp one file after the other
                    Path staging = Files.createDirectories(target.resolveSibling(target.getFileName() + ".tmp"));
                    Files.writeString(staging.resolve("config.json"), "{}");
                    Path weights = staging.resolve("model.safetensors");
                    Files.writeString(weights, "partial");
                    Files.setLastModifiedTime(weights, java.nio.file.attribute.FileTime.fromMillis(
                            Files.getLastModifiedTime(staging.resolve("config.json")).toMillis() + 1000));
                    throw new IOException("No space left on device");
                }));
        assertEquals("model.safetensors", e.file().getFileName().toString());
        assertTrue(e.getMessage().startsWith("no space left on device while writing "), e.getMessage());
        try (Stream<Path> left = Files.list(taskDir)) {
            assertEquals(0, left.count(), "no staging folder left behind");
        }
    }

    @Test
    void otherFailuresAreNotCalledDiskFull(@TempDir Path taskDir) {
        IOException e = assertThrows(IOException.class, () -> Checkpoints.write(taskDir, "best", target -> {
            throw new IOException("Permission denied");
        }));
        assertFalse(DiskFullException.isDiskFull(e));
        assertEquals("Permission denied", e.getMessage());
    }
}
