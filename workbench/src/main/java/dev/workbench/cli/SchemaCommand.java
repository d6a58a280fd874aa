package dev.workbench.cli;

import dev.workbench.recipe.RecipeSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the recipe JSON Schema, e.g. for an editor's YAML language server. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the recipe JSON Schema (draft 2020-12).")
public final class SchemaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(RecipeSchema.json());
        spec.commandLine().getOut().flush();
    }
}
