package dev.workbench.recipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes recipe text into a temporary folder for a test. */
final class RecipeTestFiles {
    private RecipeTestFiles() {
    }

    static Path write(Path folder, String name, String yaml) {
        try {
            Path file = folder.resolve(name);
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same recipe as read from another file: {@link Recipe#source()} is the only field allowed to differ. */
    static Recipe withSource(Recipe r, Path source) {
        return new Recipe(r.name(), r.description(), r.seed(), r.domain(), r.baseModel(), r.corpus(), r.split(),
                r.training(), r.finetune(), r.synthesize(), r.evaluate(), r.report(), source);
    }
}
