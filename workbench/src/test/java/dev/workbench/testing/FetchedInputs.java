package dev.workbench.testing;

import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeReader;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A shipped recipe may read public datasets that {@code workbench datasets fetch} puts in {@code datasets/external/}
 * (git-ignored: a fresh clone has none; {@code recipes/base.yaml} reads three books from there). Tests that plan or
 * run every shipped recipe skip such a recipe, saying which file to fetch, instead of failing on a clone without them.
 */
public final class FetchedInputs {
    private FetchedInputs() {
    }

    /** Skips the calling test unless every {@code datasets/external/} file {@code recipe} reads is present. */
    public static void assumePresent(Path recipe) {
        Recipe read = RecipeReader.read(recipe, List.of());
        List<Path> files = new ArrayList<>();
        read.corpus().text().ifPresent(t -> files.addAll(t.paths()));
        read.corpus().labelled().map(Corpus.LabelledSource::path).ifPresent(files::add);
        read.corpus().table().map(Corpus.TableSource::path).ifPresent(files::add);
        for (Path file : files) {
            boolean fetched = file.normalize().toString().replace('\\', '/').contains("/datasets/external/");
            Assumptions.assumeTrue(!fetched || Files.isRegularFile(file), () -> recipe.getFileName() + " reads "
                    + file + ", which `workbench datasets fetch` has not written on this machine");
        }
    }
}
