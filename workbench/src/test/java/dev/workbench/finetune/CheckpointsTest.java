package dev.workbench.finetune;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointsTest {
    /** A stand-in for a model's writer: one file, then the marker, assembled in .tmp and renamed. */
    private static Checkpoints.Writer writing(String content) {
        return target -> {
            Path staging = target.resolveSibling(target.getFileName() + ".tmp");
            Files.createDirectories(staging);
            Files.writeString(staging.resolve("payload.txt"), content);
            Files.writeString(staging.resolve(Checkpoints.MARKER), "done\n");
            Files.move(staging, target);
        };
    }

    @Test
    void replacesAFolderOnlyWithACompleteOne(@TempDir Path dir) throws IOException {
        Checkpoints.write(dir, Checkpoints.BEST, writing("first"));
        assertThrows(IOException.class, () -> Checkpoints.write(dir, Checkpoints.BEST, target -> {
            throw new IOException("disk full while writing");
        }));
        assertEquals("first", Files.readString(dir.resolve("best/payload.txt")), "a failed write keeps the old one");
        Checkpoints.write(dir, Checkpoints.BEST, writing("second"));
        assertEquals("second", Files.readString(dir.resolve("best/payload.txt")));
    }

    @Test
    void rotationKeepsTheNewestCompleteStepsAndSweepsLeftovers(@TempDir Path dir) throws IOException {
        for (long step : new long[] {10, 20, 30}) {
            Checkpoints.write(dir, Checkpoints.stepFolderName(step), writing("s" + step));
        }
        Files.createDirectories(dir.resolve("step-000040"));              // torn: no marker
        Files.createDirectories(dir.resolve(".step-000050.incoming.tmp")); // a crashed write's staging
        assertEquals(dir.resolve("step-000030"), Checkpoints.latest(dir).orElseThrow());
        List<Checkpoints.Entry> found = Checkpoints.find(dir);
        assertEquals(5, found.size(), found.toString());
        assertFalse(found.stream().filter(e -> e.folder().getFileName().toString().equals("step-000040"))
                .findFirst().orElseThrow().complete());

        Checkpoints.rotate(dir, 2);
        assertEquals(List.of("step-000020", "step-000030"), Checkpoints.committedSteps(dir).stream()
                .map(p -> p.getFileName().toString()).toList());
        assertFalse(Files.exists(dir.resolve(".step-000050.incoming.tmp")));
        assertTrue(Files.exists(dir.resolve("step-000040")), "an incomplete step folder is left for inspection");
    }
}
