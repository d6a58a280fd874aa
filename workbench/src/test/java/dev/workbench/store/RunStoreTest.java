package dev.workbench.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run folders as {@code runs list} sees them, and the writer's lock held by a real second process. */
class RunStoreTest {

    private static RunManifest manifest(String runId, String status) {
        return new RunManifest(RunManifest.SCHEMA_VERSION, runId, "r", "r.yaml", "0", List.of(), 1, Map.of(),
                Map.of(), "cpu", "2026-01-01T00:00:00Z", null, status, List.of());
    }

    @Test
    void aPartialFolderHoldingAMarkerAndACompletedManifestIsNotListedAsCompleted(@TempDir Path dir)
            throws IOException {
        RunStore store = new RunStore(dir);
        Path stray = store.startRun("r", "20260101-000000-aaaaaa");
        RunStore.writeManifest(stray, manifest("20260101-000000-aaaaaa", "completed"));
        Files.writeString(stray.resolve(AtomicDirectory.COMMIT_MARKER), "ok\n");
        // and a folder with the committed name whose commit never finished (no marker)
        Path unmarked = Files.createDirectories(dir.resolve("r/20260101-000001-bbbbbb"));
        RunStore.writeManifest(unmarked, manifest("20260101-000001-bbbbbb", "completed"));

        for (RunStore.RunEntry entry : store.list()) {
            assertFalse(entry.complete(), entry.folder().toString());
            assertEquals("incomplete", entry.status(), entry.folder().toString());
        }
        assertEquals(2, store.list().size());
    }

    @Test
    void aCommitThatCannotRenameLeavesNoMarkerBehind(@TempDir Path dir) throws IOException {
        RunStore store = new RunStore(dir);
        Path partial = store.startRun("r", "20260101-000000-cccccc");
        Files.createDirectories(dir.resolve("r/20260101-000000-cccccc")); // the committed name is taken
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> store.commit(partial, manifest("20260101-000000-cccccc", "completed")));
        assertFalse(Files.exists(partial.resolve(AtomicDirectory.COMMIT_MARKER)));
    }

    @Test
    void aSecondProcessIsRefusedWithTheHoldersPid(@TempDir Path dir) throws Exception {
        Path lockFile = RunLock.file(dir.resolve("r"), "20260101-000000-dddddd");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldLock.class.getName(), lockFile.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("locked", out.readLine(), "the holder took the lock");
            RunLock.HeldException held = assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(lockFile));
            assertEquals(java.util.Optional.of(holder.pid()), held.holderPid());
            assertTrue(held.getMessage().contains("process " + holder.pid()), held.getMessage());
        } finally {
            holder.destroy();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        // the OS released the dead holder's lock: the run can be taken again
        try (RunLock lock = RunLock.acquire(lockFile)) {
            assertEquals(ProcessHandle.current().pid() + "", Files.readString(lockFile).trim());
        }
    }

    @Test
    void oneProcessCannotTakeTheSameRunTwice(@TempDir Path dir) throws IOException {
        Path lockFile = RunLock.file(dir, "x");
        try (RunLock first = RunLock.acquire(lockFile)) {
            RunLock.HeldException e = assertThrows(RunLock.HeldException.class, () -> RunLock.acquire(lockFile));
            assertEquals(java.util.Optional.of(ProcessHandle.current().pid()), e.holderPid());
        }
    }

    /** The other process: takes the lock, says so, and holds it until killed. */
    public static final class HoldLock {
        public static void main(String[] args) throws Exception {
            RunLock lock = RunLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
            lock.close();
        }
    }
}
