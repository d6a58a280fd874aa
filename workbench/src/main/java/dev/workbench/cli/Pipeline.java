package dev.workbench.cli;

import dev.workbench.data.DataPreparer;
import dev.workbench.data.PreparedData;
import dev.workbench.plan.ConsoleProgress;
import dev.workbench.plan.Progress;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.DiskFullException;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunManifest;
import dev.workbench.store.RunLock;
import dev.workbench.store.RunManifest.StageRecord;
import dev.workbench.store.RunStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code workbench run}: one run folder, the data loaded once, each enabled stage in order, then an atomic commit.
 * A failing stage leaves the run as {@code <run-id>.partial} with status failed (or diverged), never as complete.
 */
final class Pipeline {

    /**
     * Where a finished run and its report are, and how long it took.
     *
     * @param stages every stage of the run folder (the report excluded), with its time
     */
    record Outcome(String runId, Path runFolder, Path reportFolder, List<StageRecord> stages, double reportSeconds,
                   double totalSeconds) {
    }

    /**
     * The run whose folder this pipeline is writing, while it does, and how a Ctrl-C records it as interrupted in its
     * manifest.
     */
    record Active(String runId, Path folder, Runnable markInterrupted) {
    }

    private final RunStore store;
    private final Path reportsRoot;
    private final PrintStream log;
    private final Progress progress;
    private final List<Stage> stages;
    private final Stage report;
    private volatile Active active;

    /** @param stages what computes results, in order ({@link Stages#all()}); {@code report} runs after the commit */
    Pipeline(RunStore store, Path reportsRoot, PrintStream log, List<Stage> stages, Stage report) {
        this(store, reportsRoot, log, ConsoleProgress.lines(log), stages, report);
    }

    /** @param progress shown every long step of every stage */
    Pipeline(RunStore store, Path reportsRoot, PrintStream log, Progress progress, List<Stage> stages, Stage report) {
        this.store = store;
        this.reportsRoot = reportsRoot.toAbsolutePath().normalize();
        this.log = log;
        this.progress = progress;
        this.stages = List.copyOf(stages);
        this.report = report;
    }

    /**
     * For a Ctrl-C: records the active run as interrupted in its manifest (best effort: the process is ending) and
     * returns it.
     */
    Optional<Active> interrupt() {
        Active run = active;
        if (run != null) {
            run.markInterrupted().run();
        }
        return Optional.ofNullable(run);
    }

    Outcome run(Recipe recipe, String resolvedYaml, List<String> overrides, Optional<String> resumeRunId)
            throws Exception {
        return run(recipe, resolvedYaml, overrides, resumeRunId, DataPreparer.prepare(recipe));
    }

    /**
     * @param data the recipe's data, loaded before anything is written ({@code plan.Preflight} loads it with the
     *             other checks): a run that cannot start leaves no folder behind
     */
    Outcome run(Recipe recipe, String resolvedYaml, List<String> overrides, Optional<String> resumeRunId,
                PreparedData data) throws Exception {
        long runStart = System.nanoTime();
        String runId;
        Path runFolder;
        Optional<Path> resumeFrom = Optional.empty();
        RunLock lock;
        if (resumeRunId.isPresent()) {
            RunStore.RunEntry entry = resumable(resumeRunId.get(), recipe);
            lock = lock(entry.recipeName(), entry.runId());
            try {
                // another process may have finished (committed) the run while this one waited to look
                entry = resumable(resumeRunId.get(), recipe);
            } catch (IOException | RuntimeException e) {
                lock.close();
                throw e;
            }
            runId = entry.runId();
            runFolder = entry.folder();
            resumeFrom = Optional.of(runFolder);
            log.println("resuming run " + runId + " from " + runFolder
                    + (overrides.isEmpty() ? "" : " with its recorded overrides " + overrides));
        } else {
            runId = RunStore.newRunId(Instant.now());
            lock = lock(recipe.name(), runId);
            runFolder = store.startRun(recipe.name(), runId);
        }
        try (lock) {
            return run(recipe, resolvedYaml, overrides, data, runId, runFolder, resumeFrom, runStart);
        } finally {
            active = null;
        }
    }

    private RunStore.RunEntry resumable(String runIdOrPath, Recipe recipe) throws IOException {
        RunStore.RunEntry entry = store.find(runIdOrPath).orElseThrow(() -> WorkbenchException.invalid(
                "no run '" + runIdOrPath + "' under " + store.root() + " (see `workbench runs list`)"));
        if (entry.complete()) {
            throw WorkbenchException.invalid("run " + entry.runId() + " already completed; nothing to resume");
        }
        if (!entry.recipeName().equals(recipe.name())) {
            throw WorkbenchException.invalid("run " + entry.runId() + " belongs to recipe '" + entry.recipeName()
                    + "', not '" + recipe.name() + "'");
        }
        return entry;
    }

    /** The run's writer lock; a run another process is writing is refused with that process's PID. */
    private RunLock lock(String recipeName, String runId) throws IOException {
        try {
            return store.lock(recipeName, runId);
        } catch (RunLock.HeldException e) {
            throw new WorkbenchException(WorkbenchException.Kind.RUN_LOCKED, "run " + runId + " is being written by "
                    + e.holderPid().map(pid -> "process " + pid).orElse("another process") + " (lock "
                    + e.lockFile() + "); wait for it to end, or stop it, before resuming this run", e);
        }
    }

    private Outcome run(Recipe recipe, String resolvedYaml, List<String> overrides, PreparedData data, String runId,
                        Path runFolder, Optional<Path> resumeFrom, long runStart) throws Exception {
        Path reportFolder = reportsRoot.resolve(recipe.name()).resolve(runId);
        String startedAt = Instant.now().toString();
        Files.writeString(runFolder.resolve(RunFolder.RESOLVED_RECIPE), resolvedYaml);
        Map<String, String> versions = Versions.collect();
        String device = Versions.device(recipe.training().devices());
        // written by this thread, read by the Ctrl-C hook's manifest write
        List<StageRecord> records = new CopyOnWriteArrayList<>();
        ManifestWriter manifest = new ManifestWriter(recipe, runId, overrides, versions, device, startedAt);
        Map<String, String> inputs = Collections.unmodifiableMap(new TreeMap<>(data.inputHashes()));
        manifest.write(runFolder, inputs, "running", records);
        active = new Active(runId, runFolder,
                () -> quietly(() -> manifest.write(runFolder, inputs, "interrupted", records)));
        log.printf("run %s: %s%n", runId, runFolder);

        RunContext context = new RunContext(recipe, runId, runFolder, reportFolder, store.root(), data,
                new MetricsLog(runFolder.resolve(RunFolder.METRICS)), resumeFrom, log, progress);
        for (Stage stage : stages) {
            if (!stage.enabled(recipe)) {
                records.add(new StageRecord(stage.name(), "skipped", 0, "not requested by the recipe"));
                continue;
            }
            log.println("== " + stage.name());
            long start = System.nanoTime();
            try {
                stage.run(context);
            } catch (Exception | Error e) {
                double seconds = (System.nanoTime() - start) / 1e9;
                active = null;
                if (DiskFullException.isDiskFull(e)) {
                    throw diskFull(e, stage, seconds, runId, runFolder, inputs, records, manifest);
                }
                boolean diverged = e instanceof WorkbenchException w && w.kind() == WorkbenchException.Kind.DIVERGED;
                records.add(new StageRecord(stage.name(), diverged ? "diverged" : "failed", seconds,
                        String.valueOf(e.getMessage())));
                manifest.write(runFolder, inputs, diverged ? "diverged" : "failed", records);
                log.println("run " + runId + " stopped in stage " + stage.name() + "; its folder stays at "
                        + runFolder + " (resume with --resume " + runId + ")");
                throw e;
            }
            records.add(new StageRecord(stage.name(), "completed", (System.nanoTime() - start) / 1e9, null));
            manifest.write(runFolder, inputs, "running", records);
        }
        RunManifest done = manifest.build(inputs, "completed", records);
        Path committed = store.commit(runFolder, done);
        active = null;
        log.println("== report");
        RunContext committedRun = new RunContext(recipe, runId, committed, reportFolder, store.root(), data,
                new MetricsLog(committed.resolve(RunFolder.METRICS)), Optional.empty(), log, progress);
        long reportStart = System.nanoTime();
        try {
            report.run(committedRun);
        } catch (Exception e) {
            throw new WorkbenchException(WorkbenchException.Kind.STAGE_FAILED, "the run completed and is stored in "
                    + committed + ", but its report could not be written: " + e.getMessage()
                    + " (retry with `workbench report " + committed + "`)", e);
        }
        long end = System.nanoTime();
        return new Outcome(runId, committed, reportFolder, List.copyOf(records), (end - reportStart) / 1e9,
                (end - runStart) / 1e9);
    }

    /**
     * The disk filled up during {@code stage}: the half-written (staging) files are deleted, which also frees the
     * room the manifest needs to say {@code failed} with a {@code disk full: ...} message; the run stays resumable.
     */
    private WorkbenchException diskFull(Throwable e, Stage stage, double seconds, String runId, Path runFolder,
                                        Map<String, String> inputs, List<StageRecord> records,
                                        ManifestWriter manifest) {
        String file = DiskFullException.find(e).map(d -> d.file().toString()).orElse("a file under " + runFolder);
        String cleaned;
        try {
            RunStore.deleteStaging(runFolder);
            cleaned = "the half-written files were removed";
        } catch (IOException | RuntimeException cleanup) {
            cleaned = "the half-written files could not all be removed (" + cleanup.getMessage() + ")";
        }
        records.add(new StageRecord(stage.name(), "failed", seconds, "disk full: no space left on device while "
                + "writing " + file));
        String manifestNote = "";
        try {
            manifest.write(runFolder, inputs, "failed", records);
        } catch (IOException | RuntimeException again) {
            manifestNote = "; its manifest could not be updated either (" + again.getMessage() + ")";
        }
        return new WorkbenchException(WorkbenchException.Kind.DISK_FULL, "disk full: no space left on device while "
                + "writing " + file + " in stage " + stage.name() + "; " + cleaned + manifestNote + ". Free space "
                + "and resume with --resume " + runId + " (the run folder stays at " + runFolder + ")", e);
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void quietly(IoAction action) {
        try {
            action.run();
        } catch (IOException | RuntimeException ignored) {
            // the process is ending; the manifest keeps its last status ("running", listed as incomplete)
        }
    }

    /** Keeps the fixed parts of the manifest so every rewrite differs only in status, inputs and stages. */
    private record ManifestWriter(Recipe recipe, String runId, List<String> overrides, Map<String, String> versions,
                                  String device, String startedAt) {

        RunManifest build(Map<String, String> inputs, String status, List<StageRecord> stages) throws IOException {
            boolean ended = !"running".equals(status);
            return new RunManifest(RunManifest.SCHEMA_VERSION, runId, recipe.name(), recipe.source().toString(),
                    AtomicDirectory.sha256(recipe.source()), overrides, recipe.seed(), inputs, versions, device,
                    startedAt, ended ? Instant.now().toString() : null, status, List.copyOf(stages));
        }

        void write(Path folder, Map<String, String> inputs, String status, List<StageRecord> stages)
                throws IOException {
            RunStore.writeManifest(folder, build(inputs, status, stages));
        }
    }
}
