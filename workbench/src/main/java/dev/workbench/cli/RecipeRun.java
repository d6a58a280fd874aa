package dev.workbench.cli;

import dev.workbench.plan.Preflight;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.ResolvedRecipe;
import dev.workbench.recipe.ResolvedRecipeWriter;
import dev.workbench.store.RunStore;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One ordinary {@code workbench run RECIPE --set ...}, callable from code: the workbench-spark module's {@code sweep}
 * runs each trial through here, in a Spark task, so a trial is exactly a run (its own run folder, its overrides in
 * the manifest, the same preflight checks) and nothing of the pipeline is written twice.
 */
public final class RecipeRun {

    /** Where the committed run and its report are. */
    public record Finished(String runId, Path runFolder, Path reportFolder, double seconds) {
    }

    private RecipeRun() {
    }

    /**
     * Checks what {@code run} checks before its run folder exists (the recipe with {@code overrides}: every problem
     * at once, as a {@code RecipeException}), without loading data or writing anything; returns the recipe's name.
     */
    public static String check(Path recipeFile, List<String> overrides) {
        return RecipeReader.resolve(recipeFile, overrides).recipe().name();
    }

    /** Runs every stage of the recipe with {@code overrides}, as {@code workbench run} does; progress goes to log. */
    public static Finished run(Path recipeFile, List<String> overrides, Path runsRoot, Path reportsRoot,
                               PrintStream log) throws Exception {
        Offline.enforce(); // a Spark executor's JVM never ran Main
        ResolvedRecipe resolved = RecipeReader.resolve(recipeFile, overrides);
        Preflight.Checked checked = Preflight.check(resolved, runsRoot.toAbsolutePath(), true);
        Pipeline pipeline = new Pipeline(new RunStore(runsRoot), reportsRoot, log, Stages.all(), Stages.report());
        Pipeline.Outcome outcome = pipeline.run(resolved.recipe(), ResolvedRecipeWriter.toYaml(resolved), overrides,
                Optional.empty(), checked.data());
        return new Finished(outcome.runId(), outcome.runFolder(), outcome.reportFolder(), outcome.totalSeconds());
    }
}
