package dev.workbench.finetune;

import ai.djl.Device;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.optim.Adam;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training loop's checkpoints: the {@code last} pointer, and what resume refuses (torn or altered folders). */
class CheckpointIntegrityTest {
    private final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true);

    private TrainingLoop.Result train(TinyTask task, Path dir, long steps, Optional<Path> resume) throws IOException {
        TrainingLoop.Settings s = new TrainingLoop.Settings("tiny", steps, 1.0,
                new LrSchedule(Training.LrSchedule.CONSTANT, 0.05, 0, steps), Adam.Settings.adamW(0.0), 0,
                Optional.empty(), 2, 10, 3, 1, 42);
        return new TrainingLoop(s, log).run(task, Device.cpu(), dir.resolve("checkpoints"), dir.resolve("metrics.csv"),
                resume);
    }

    @Test
    void lastPointsAtTheNewestStepAndAFolderWithoutMarkerIsNeverResumedFrom(@TempDir Path dir) throws IOException {
        train(new TinyTask(1, 0f, new int[] {4}, false), dir, 4, Optional.empty());
        Path checkpoints = dir.resolve("checkpoints");
        assertEquals("step-000004", Files.readString(checkpoints.resolve(Checkpoints.LAST)).trim());
        assertTrue(Files.isRegularFile(checkpoints.resolve("step-000004/manifest.json")));

        // a torn newer folder (everything but the marker, as a crash just before the rename would leave it)
        Path torn = checkpoints.resolve("step-000006");
        Files.createDirectories(torn);
        try (var files = Files.list(checkpoints.resolve("step-000004"))) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(CheckpointIO.MARKER)) {
                    Files.copy(f, torn.resolve(f.getFileName()));
                }
            }
        }
        assertEquals(checkpoints.resolve("step-000004"), Checkpoints.latest(checkpoints).orElseThrow(),
                "resume picks the newest COMPLETE folder");
        WorkbenchException refused = assertThrows(WorkbenchException.class, () -> Checkpoints.readState(torn));
        assertTrue(refused.getMessage().contains("is not a complete checkpoint"), refused.getMessage());
        assertThrows(WorkbenchException.class, () -> train(new TinyTask(2, 0f, new int[] {4}, false), dir, 8,
                Optional.of(torn)));
        assertFalse(Files.exists(checkpoints.resolve("step-000008")), "nothing trained from the torn folder");
    }

    @Test
    void resumeRefusesAnAlteredOptimizerState(@TempDir Path dir) throws IOException {
        train(new TinyTask(1, 0f, new int[] {4}, false), dir, 2, Optional.empty());
        Path step = dir.resolve("checkpoints/step-000002");
        Path optimizer = step.resolve(Adam.STATE_FILE);
        byte[] bytes = Files.readAllBytes(optimizer);
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(optimizer, bytes);
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> train(new TinyTask(1, 0f, new int[] {4}, false), dir, 4, Optional.of(step)));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("checkpoint file " + Adam.STATE_FILE + " changed since it was written"),
                e.getMessage());
    }
}
