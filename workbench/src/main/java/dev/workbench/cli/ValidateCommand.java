package dev.workbench.cli;

import dev.workbench.plan.Preflight;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeException;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.RecipeSummary;
import dev.workbench.recipe.ResolvedRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Checks recipes without running or writing anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check recipes without running them: every problem at once, each with FILE:LINE:COL at "
                + "the recipe key. Checks the keys and values, that every corpus file exists, is readable and has "
                + "the named columns (text_column, label_column, target, drop, split.column), that the data leaves "
                + "enough rows and classes for the split, that a checkpoint or hf base folder is complete, and that "
                + "the devices and precision can train here. Writes nothing."})
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RECIPE", description = "Recipe files.")
    List<Path> recipes;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a recipe key, e.g. --set training.max_steps=50 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs",
            description = "runs folder, for a base model given as a run id (default: ${DEFAULT-VALUE})")
    Path runsRoot;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int exit = 0;
        for (Path file : recipes) {
            try {
                ResolvedRecipe resolved = RecipeReader.resolve(file, overrides);
                Preflight.check(resolved, runsRoot.toAbsolutePath(), true);
                Recipe recipe = resolved.recipe();
                out.println(file + ": ok");
                RecipeSummary.lines(recipe).forEach(line -> out.println("  " + line));
            } catch (RecipeException e) {
                err.println(e.getMessage());
                exit = Math.max(exit, e.kind().exitCode());
            }
        }
        out.flush();
        err.flush();
        return exit;
    }
}
