package dev.workbench.spark;

import dev.workbench.cli.RecipeRun;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.RunStore;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code workbench sweep RECIPE --grid key=[a,b] ... [--search random --trials N --seed S] [--metric M]}: every
 * trial an ordinary run, executed as a Spark task, ranked into one compare report.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a recipe over a grid of --set overrides, each trial an ordinary run (its own run folder, "
                + "its overrides in the manifest) executed as one Spark task; then rank the completed trials by "
                + "--metric into one compare report (paired tests against the best) and sweep.md.",
                "A failed trial is reported with its error; --resume SWEEP_DIR re-runs the trials that did not "
                        + "complete. Exit 1 when a trial failed."})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RECIPE", description = "the recipe YAML file")
    Path recipe;

    @Option(names = "--grid", paramLabel = "KEY=[V,...]",
            description = "a recipe key and its values (YAML, as --set takes them), repeatable; trials cross them")
    List<String> grid = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "an override every trial gets")
    List<String> sets = new ArrayList<>();

    @Option(names = "--search", defaultValue = "grid", paramLabel = "grid|random",
            description = "grid (every point) or random (--trials points drawn with --seed); default ${DEFAULT-VALUE}")
    String search;

    @Option(names = "--trials", paramLabel = "N", description = "how many points random search draws")
    Integer trials;

    @Option(names = "--seed", defaultValue = "0", description = "random search's seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--metric", paramLabel = "[SUBJECT/]METRIC",
            description = "what ranks the trials, e.g. finetuned/accuracy, finetuned/macro_f1, bits_per_byte (test "
                    + "split; default: the first of " + "finetuned/accuracy, finetuned/bits_per_byte, quality_score "
                    + "that the runs have)")
    String metric;

    @Option(names = "--runs", defaultValue = "runs", paramLabel = "DIR", description = "runs folder (default ${DEFAULT-VALUE}); shared by every executor")
    Path runs;

    @Option(names = "--reports", defaultValue = "reports", paramLabel = "DIR", description = "reports folder (default ${DEFAULT-VALUE}); shared")
    Path reports;

    @Option(names = "--sweeps", defaultValue = "sweeps", paramLabel = "DIR",
            description = "where sweep folders go: DIR/<recipe>/<sweep-id>/ (default ${DEFAULT-VALUE}); shared")
    Path sweeps;

    @Option(names = "--resume", paramLabel = "SWEEP_DIR", description = "re-run the trials of this sweep folder that did not complete")
    Path resume;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        Path folder;
        Sweep.Plan plan;
        if (resume != null) {
            if (!grid.isEmpty() || !sets.isEmpty() || trials != null) {
                throw WorkbenchException.invalid("--resume re-runs the sweep as planned in " + resume.resolve(Sweep.PLAN)
                        + "; it takes no --grid, --set or --trials");
            }
            folder = resume;
            plan = Sweep.readPlan(folder);
        } else {
            if (recipe == null) {
                throw WorkbenchException.invalid("sweep needs a RECIPE (or --resume SWEEP_DIR)");
            }
            SweepGrid.Search how = switch (search.toLowerCase(Locale.ROOT)) {
                case "grid" -> SweepGrid.Search.GRID;
                case "random" -> SweepGrid.Search.RANDOM;
                default -> throw WorkbenchException.invalid("--search " + search + ": expected grid or random");
            };
            Map<String, List<String>> axes = SweepGrid.parse(grid);
            List<SweepGrid.Trial> planned = SweepGrid.trials(axes, how, trials, seed);
            String recipeName = checkEveryTrial(planned);
            String sweepId = RunStore.newRunId(Instant.now());
            folder = sweeps.resolve(recipeName).resolve(sweepId);
            plan = new Sweep.Plan(sweepId, recipe.toAbsolutePath().normalize().toString(), List.copyOf(sets), axes,
                    how.name().toLowerCase(Locale.ROOT), seed, metric, runs.toAbsolutePath().toString(),
                    reports.toAbsolutePath().toString(), planned);
            Sweep.writePlan(folder, plan);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("sweep %s: %d trials -> %s%n", plan.sweepId(), plan.trials().size(), folder);
        out.flush();
        Sweep.Outcome outcome;
        try (SparkSession session = spark.session("workbench sweep " + plan.sweepId())) {
            outcome = Sweep.run(session, folder, plan);
        }
        out.print(Files.readString(folder.resolve(Sweep.SUMMARY)));
        if (!outcome.failed().isEmpty()) {
            out.printf("%d trial(s) did not complete; re-run them with: workbench sweep --resume %s%n",
                    outcome.failed().size(), folder);
        }
        out.flush();
        return outcome.failed().isEmpty() ? 0 : 1;
    }

    /** Every trial's recipe is resolved before anything is written; all problems of all trials at once. */
    private String checkEveryTrial(List<SweepGrid.Trial> planned) {
        List<String> problems = new ArrayList<>();
        String name = null;
        for (SweepGrid.Trial trial : planned) {
            List<String> overrides = new ArrayList<>(sets);
            overrides.addAll(trial.overrides());
            try {
                name = RecipeRun.check(recipe, overrides);
            } catch (RuntimeException e) {
                problems.add("trial " + trial.index() + " (" + String.join(" ", trial.overrides()) + "):\n"
                        + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw WorkbenchException.invalid(String.join("\n", problems));
        }
        return name;
    }
}
