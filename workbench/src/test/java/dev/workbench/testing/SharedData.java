package dev.workbench.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real public datasets live for the tests that use them (and skip without them): the
 * {@code workbench.shared.data} property, else {@code ../shared/data} beside the repository, else
 * {@code /work/shared/data} (a clone elsewhere on the build machine). Read-only; never copied into the repository.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path folder() {
        String property = System.getProperty("workbench.shared.data");
        if (property != null) {
            return Path.of(property);
        }
        Path root = Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
        Path beside = root.resolveSibling("shared").resolve("data");
        return Files.isDirectory(beside) ? beside : Path.of("/work/shared/data");
    }

    public static Path file(String relative) {
        return folder().resolve(relative);
    }
}
