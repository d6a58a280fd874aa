package dev.workbench.cli;

import dev.workbench.plan.Preflight;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.ResolvedRecipe;
import dev.workbench.recipe.ResolvedRecipeWriter;
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
        description = "Run a recipe: fine-tune, synthesize, evaluate, report. Prints the run folder and the report.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RECIPE", description = "the recipe YAML file")
    Path recipeFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a recipe value, e.g. --set training.max_steps=50 (recorded in the manifest)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "RUN_ID",
            description = "continue an interrupted run of this recipe from its last good checkpoint")
    String resume;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "runs folder (default: ${DEFAULT-VALUE})")
    Path runsRoot;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "reports",
            description = "reports folder (default: ${DEFAULT-VALUE})")
    Path reportsRoot;

    @Override
    public Integer call() throws Exception {
        ResolvedRecipe resolved = RecipeReader.resolve(recipeFile, overrides);
        // Everything knowable is checked before the run folder exists: a refusal leaves nothing to --resume.
        Preflight.Checked checked = Preflight.check(resolved, runsRoot.toAbsolutePath(), true);
        Pipeline pipeline = new Pipeline(new RunStore(runsRoot), reportsRoot, System.err, Stages.all(),
                Stages.report());
        Pipeline.Outcome outcome = pipeline.run(resolved.recipe(), ResolvedRecipeWriter.toYaml(resolved), overrides,
                Optional.ofNullable(resume), checked.data());
        System.out.println("run:    " + outcome.runFolder());
        Path html = outcome.reportFolder().resolve("report.html");
        System.out.println("report: " + (html.toFile().exists() ? html : outcome.reportFolder()));
        return 0;
    }
}
