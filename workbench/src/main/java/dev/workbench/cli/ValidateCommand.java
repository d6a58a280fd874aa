package dev.workbench.cli;

import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeException;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.RecipeSummary;
import dev.workbench.recipe.WorkbenchException;
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
        description = "Check recipes: every problem at once, each with FILE:LINE:COL. Writes nothing.")
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RECIPE", description = "Recipe files.")
    List<Path> recipes;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a recipe key, e.g. --set training.max_steps=50 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int exit = 0;
        for (Path file : recipes) {
            try {
                Recipe recipe = RecipeReader.read(file, overrides);
                out.println(file + ": ok");
                RecipeSummary.lines(recipe).forEach(line -> out.println("  " + line));
            } catch (RecipeException e) {
                err.println(e.getMessage());
                exit = WorkbenchException.Kind.INVALID_INPUT.exitCode();
            }
        }
        out.flush();
        err.flush();
        return exit;
    }
}
