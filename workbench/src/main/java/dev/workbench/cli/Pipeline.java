package dev.workbench.cli;

import dev.workbench.data.DataPreparer;
import dev.workbench.data.PreparedData;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunManifest;
import dev.workbench.store.RunManifest.StageRecord;
import dev.workbench.store.RunStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code workbench run}: one run folder, the data loaded once, each enabled stage in order, then an atomic commit.
 * A failing stage leaves the run as {@code <run-id>.partial} with status failed (or diverged), never as complete.
 */
final class Pipeline {

    /** Where a finished run and its report are. */
    record Outcome(String runId, Path runFolder, Path reportFolder, List<StageRecord> stages) {
    }

    private final RunStore store;
    private final Path reportsRoot;
    private final PrintStream log;
    private final List<Stage> stages;
    private final Stage report;

    /** @param stages what computes results, in order ({@link Stages#all()}); {@code report} runs after the commit */
    Pipeline(RunStore store, Path reportsRoot, PrintStream log, List<Stage> stages, Stage report) {
        this.store = store;
        this.reportsRoot = reportsRoot.toAbsolutePath().normalize();
        this.log = log;
        this.stages = List.copyOf(stages);
        this.report = report;
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
        String runId;
        Path runFolder;
        Optional<Path> resumeFrom = Optional.empty();
        if (resumeRunId.isPresent()) {
            RunStore.RunEntry entry = store.find(resumeRunId.get()).orElseThrow(() -> WorkbenchException.invalid(
                    "no run '" + resumeRunId.get() + "' under " + store.root() + " (see `workbench runs list`)"));
            if (entry.complete()) {
                throw WorkbenchException.invalid("run " + entry.runId() + " already completed; nothing to resume");
            }
            if (!entry.recipeName().equals(recipe.name())) {
                throw WorkbenchException.invalid("run " + entry.runId() + " belongs to recipe '" + entry.recipeName()
                        + "', not '" + recipe.name() + "'");
            }
            runId = entry.runId();
            runFolder = entry.folder();
            resumeFrom = Optional.of(runFolder);
            log.println("resuming run " + runId + " from " + runFolder);
        } else {
            runId = RunStore.newRunId(Instant.now());
            runFolder = store.startRun(recipe.name(), runId);
        }
        Path reportFolder = reportsRoot.resolve(recipe.name()).resolve(runId);
        String startedAt = Instant.now().toString();
        Files.writeString(runFolder.resolve(RunStore.RESOLVED_RECIPE), resolvedYaml);
        Map<String, String> versions = Versions.collect();
        String device = Versions.device(recipe.training().devices());
        List<StageRecord> records = new ArrayList<>();
        ManifestWriter manifest = new ManifestWriter(recipe, runId, overrides, versions, device, startedAt);
        manifest.write(runFolder, Map.of(), "running", records);

        Map<String, String> inputs = new TreeMap<>(data.inputHashes());
        manifest.write(runFolder, inputs, "running", records);
        log.printf("run %s: %s%n", runId, runFolder);

        RunContext context = new RunContext(recipe, runId, runFolder, reportFolder, store.root(), data,
                new MetricsLog(runFolder.resolve(RunStore.METRICS)), resumeFrom, log);
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
        log.println("== report");
        RunContext committedRun = new RunContext(recipe, runId, committed, reportFolder, store.root(), data,
                new MetricsLog(committed.resolve(RunStore.METRICS)), Optional.empty(), log);
        try {
            report.run(committedRun);
        } catch (Exception e) {
            throw new WorkbenchException(WorkbenchException.Kind.STAGE_FAILED, "the run completed and is stored in "
                    + committed + ", but its report could not be written: " + e.getMessage()
                    + " (retry with `workbench report " + committed + "`)", e);
        }
        return new Outcome(runId, committed, reportFolder, records);
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
