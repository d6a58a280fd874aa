package dev.workbench.plan;

import dev.workbench.recipe.Recipe;

/** One step of {@code workbench run}: fine-tune, synthesize, evaluate, report. Listed in {@code cli.Stages}. */
public interface Stage {

    String name();

    /** Whether the recipe asks for this stage at all. */
    boolean enabled(Recipe recipe);

    /** Runs the stage; failures are thrown (a {@code WorkbenchException} says which exit code they deserve). */
    void run(RunContext context) throws Exception;
}
