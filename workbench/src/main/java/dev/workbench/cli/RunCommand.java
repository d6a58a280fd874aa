package dev.workbench.cli;

import dev.workbench.plan.ConsoleProgress;
import dev.workbench.plan.Durations;
import dev.workbench.plan.Preflight;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.ResolvedRecipe;
import dev.workbench.recipe.ResolvedRecipeWriter;
import dev.workbench.store.RunManifest;
import dev.workbench.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a recipe: fine-tune, synthesize, evaluate, report. Every long step shows its progress "
                + "(elapsed, ETA): a bar on a terminal, plain lines in logs or with CI=true. Ends with one line: the "
                + "total time, each stage's time and the report.",
                "Exit codes as for workbench (see workbench --help); 5: --resume with a conflicting --set, 6: the run "
                        + "is being written by another process, 7: disk full, 130: interrupted."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RECIPE", description = "the recipe YAML file")
    Path recipeFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a recipe value, e.g. --set training.max_steps=50 (recorded in the manifest)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "RUN_ID",
            description = "continue an interrupted run of this recipe from its last good checkpoint, with the --set "
                    + "overrides recorded in its manifest (a --set that would change one is refused, exit 5)")
    String resume;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "runs folder (default: ${DEFAULT-VALUE})")
    Path runsRoot;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "reports",
            description = "reports folder (default: ${DEFAULT-VALUE})")
    Path reportsRoot;

    @Override
    public Integer call() throws Exception {
        RunStore store = new RunStore(runsRoot);
        List<String> effective = overrides;
        if (resume != null) {
            // a resumed run keeps the settings it started with: its recorded --set overrides, nothing else
            Optional<RunStore.RunEntry> entry = store.find(resume);
            if (entry.isPresent() && entry.get().manifest().isPresent()) {
                List<String> recorded = entry.get().manifest().get().overrides();
                effective = ResumeOverrides.merge(recipeFile, entry.get().runId(),
                        recorded == null ? List.of() : recorded, overrides);
            }
        }
        ResolvedRecipe resolved = RecipeReader.resolve(recipeFile, effective);
        // Everything knowable is checked before the run folder exists: a refusal leaves nothing to --resume.
        Preflight.Checked checked = Preflight.check(resolved, runsRoot.toAbsolutePath(), true);
        Pipeline pipeline = new Pipeline(store, reportsRoot, System.err, ConsoleProgress.forStream(System.err),
                Stages.all(), Stages.report());
        Thread onInterrupt = new Thread(() -> pipeline.interrupt().ifPresent(run -> {
            System.err.println();
            System.err.println("interrupted; resume with: workbench run " + recipeFile + " --resume " + run.runId()
                    + folderOptions());
            System.err.flush();
        }), "workbench-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Pipeline.Outcome outcome;
        try {
            outcome = pipeline.run(resolved.recipe(), ResolvedRecipeWriter.toYaml(resolved), effective,
                    Optional.ofNullable(resume), checked.data());
        } finally {
            removeHook(onInterrupt);
        }
        Path html = outcome.reportFolder().resolve("report.html");
        System.out.println(summary(outcome, html.toFile().exists() ? html : outcome.reportFolder()));
        return 0;
    }

    /** The --runs / --reports options a resume needs too, when they are not the defaults. */
    private String folderOptions() {
        return (runsRoot.equals(Path.of("runs")) ? "" : " --runs " + runsRoot)
                + (reportsRoot.equals(Path.of("reports")) ? "" : " --reports " + reportsRoot);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting: the hook runs, and finds no active run
        }
    }

    /** The one closing line: total time, each stage's time (skipped stages left out), the report. */
    static String summary(Pipeline.Outcome outcome, Path report) {
        StringBuilder stages = new StringBuilder();
        for (RunManifest.StageRecord stage : outcome.stages()) {
            if ("skipped".equals(stage.status())) {
                continue;
            }
            stages.append(stages.isEmpty() ? "" : ", ").append(stage.name()).append(' ')
                    .append(Durations.format(stage.seconds()));
        }
        stages.append(stages.isEmpty() ? "" : ", ").append("report ").append(Durations.format(outcome.reportSeconds()));
        return "run " + outcome.runId() + " done in " + Durations.format(outcome.totalSeconds()) + " (" + stages
                + "); report: " + report;
    }
}
