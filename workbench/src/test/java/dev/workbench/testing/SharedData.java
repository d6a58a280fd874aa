package dev.workbench.testing;

import java.nio.file.Path;

/**
 * Where the real public datasets live for the tests that use them (and skip, saying so, without them): the
 * {@code workbench.shared.data} property, else the {@code WORKBENCH_SHARED_DATA} environment variable, else
 * {@code ../shared/data} beside the checkout (the surefire configuration names the checkout's root). No machine path
 * is assumed, so a clone elsewhere skips these tests cleanly unless told where the folder is. Read-only; never copied
 * into the repository. The bench commands look for the folder by the same rule.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path folder() {
        String property = System.getProperty("workbench.shared.data");
        if (property != null) {
            return Path.of(property);
        }
        String variable = System.getenv("WORKBENCH_SHARED_DATA");
        if (variable != null && !variable.isBlank()) {
            return Path.of(variable);
        }
        Path root = Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
        return root.resolveSibling("shared").resolve("data");
    }

    public static Path file(String relative) {
        return folder().resolve(relative);
    }
}
