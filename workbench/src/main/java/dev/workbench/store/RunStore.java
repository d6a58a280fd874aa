package dev.workbench.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code runs/} tree. A run in progress lives in {@code runs/<recipe>/<run-id>.partial/}; when it ends well its
 * manifest and the commit marker are written and the folder is renamed to {@code runs/<recipe>/<run-id>/}. A run that
 * crashed or was killed keeps its {@code .partial} folder (resumable from its checkpoints) and is never listed as
 * complete.
 */
public final class RunStore {
    public static final String PARTIAL_SUFFIX = ".partial";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path runsRoot;

    public RunStore(Path runsRoot) {
        this.runsRoot = runsRoot.toAbsolutePath().normalize();
    }

    public Path root() {
        return runsRoot;
    }

    /** A new run id: UTC time plus a random suffix, so two runs started in the same second never collide. */
    public static String newRunId(Instant now) {
        return RUN_ID_TIME.format(now) + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    }

    /** Creates {@code runs/<recipe>/<run-id>.partial/}. */
    public Path startRun(String recipeName, String runId) throws IOException {
        Path partial = runsRoot.resolve(recipeName).resolve(runId + PARTIAL_SUFFIX);
        Files.createDirectories(partial);
        return partial;
    }

    /**
     * Writes the final manifest and marker, then renames the partial folder into place. Should the rename fail, the
     * marker is removed again, so the folder stays what it is: incomplete.
     */
    public Path commit(Path partialFolder, RunManifest manifest) throws IOException {
        String name = partialFolder.getFileName().toString();
        if (!name.endsWith(PARTIAL_SUFFIX)) {
            throw new IllegalArgumentException("not a partial run folder: " + partialFolder);
        }
        Path target = partialFolder.resolveSibling(name.substring(0, name.length() - PARTIAL_SUFFIX.length()));
        if (Files.exists(target)) {
            throw new java.nio.file.FileAlreadyExistsException(target.toString(), null,
                    "a run folder of that name already exists; " + partialFolder + " was not committed");
        }
        writeManifest(partialFolder, manifest);
        try {
            return AtomicDirectory.commit(partialFolder, target);
        } catch (IOException e) {
            Files.deleteIfExists(partialFolder.resolve(AtomicDirectory.COMMIT_MARKER));
            throw e;
        }
    }

    /** Takes the exclusive writer's lock of run {@code runId} ({@link RunLock}). */
    public RunLock lock(String recipeName, String runId) throws IOException {
        return RunLock.acquire(RunLock.file(runsRoot.resolve(recipeName), runId));
    }

    /** Writes {@code manifest.json} via a temporary file and an atomic rename. */
    public static void writeManifest(Path folder, RunManifest manifest) throws IOException {
        RunFolder.writeAtomically(folder.resolve(RunFolder.MANIFEST), JSON.writeValueAsBytes(manifest));
    }

    /**
     * Deletes the hidden staging leftovers under a run folder (half-written checkpoints, generators and files: every
     * entry whose name starts with a dot), e.g. after the disk filled up; what they held was never committed.
     */
    public static void deleteStaging(Path runFolder) throws IOException {
        if (!Files.isDirectory(runFolder)) {
            return;
        }
        List<Path> hidden;
        try (Stream<Path> walk = Files.walk(runFolder)) {
            hidden = walk.filter(p -> !p.equals(runFolder) && p.getFileName().toString().startsWith(".")).toList();
        }
        for (Path p : hidden) {
            AtomicDirectory.deleteRecursively(p);
        }
    }

    public static Optional<RunManifest> readManifest(Path runFolder) {
        Path file = runFolder.resolve(RunFolder.MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RunManifest.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A run as found on disk. {@code complete} only when its commit marker is present. */
    public record RunEntry(String recipeName, String runId, Path folder, boolean complete,
                           Optional<RunManifest> manifest) {
        public String status() {
            if (complete) {
                return manifest.map(RunManifest::status).orElse("completed");
            }
            // A manifest says "completed" just before the commit's rename; a folder whose rename never happened (a
            // crash, or a stray copy holding a marker) is not complete, whatever its manifest or marker say.
            return manifest.map(RunManifest::status)
                    .filter(s -> !"running".equals(s) && !"completed".equals(s)).orElse("incomplete");
        }
    }

    /** Every run folder, complete or not, newest first. Hidden staging folders are not runs. */
    public List<RunEntry> list() throws IOException {
        List<RunEntry> entries = new ArrayList<>();
        if (!Files.isDirectory(runsRoot)) {
            return entries;
        }
        try (Stream<Path> recipes = Files.list(runsRoot)) {
            for (Path recipeDir : recipes.filter(Files::isDirectory).toList()) {
                try (Stream<Path> runs = Files.list(recipeDir)) {
                    for (Path run : runs.filter(Files::isDirectory).toList()) {
                        String name = run.getFileName().toString();
                        if (name.startsWith(".")) {
                            continue;
                        }
                        boolean partial = name.endsWith(PARTIAL_SUFFIX);
                        String runId = partial ? name.substring(0, name.length() - PARTIAL_SUFFIX.length()) : name;
                        boolean complete = !partial && AtomicDirectory.isCommitted(run);
                        entries.add(new RunEntry(recipeDir.getFileName().toString(), runId, run, complete,
                                readManifest(run)));
                    }
                }
            }
        }
        entries.sort(Comparator.comparing(RunEntry::runId).reversed());
        return entries;
    }

    /** Finds a run by id (complete or partial), or by a path to its folder. */
    public Optional<RunEntry> find(String runIdOrPath) throws IOException {
        for (RunEntry entry : list()) {
            if (entry.runId().equals(runIdOrPath)) {
                return Optional.of(entry);
            }
        }
        Path asPath = Path.of(runIdOrPath).toAbsolutePath().normalize();
        for (RunEntry entry : list()) {
            if (entry.folder().equals(asPath)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }
}
