package dev.workbench.recipe;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A validated recipe. Built only by {@link RecipeReader}; every field has its default applied, every path is absolute.
 * Nothing downstream reads raw YAML.
 *
 * @param source the recipe file this was read from (for messages and for recording in the run folder)
 */
public record Recipe(
        String name,
        String description,
        long seed,
        String domain,
        BaseModel baseModel,
        Corpus corpus,
        Split split,
        Training training,
        Optional<Finetune> finetune,
        Optional<Synthesize> synthesize,
        Evaluate evaluate,
        Report report,
        Path source) {
}
