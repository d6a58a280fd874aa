package dev.workbench.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the benchmarks read from around the workbench checkout: the reference scripts in {@code scripts/} and the real
 * public tables of the shared data folder (Adult, BANKING77), which live beside the checkout and are never copied into
 * it. No machine path is assumed: a checkout elsewhere finds its own {@code ../shared/data}, or is told where it is.
 */
final class Checkout {
    /** Names the shared data folder explicitly (a system property of the same meaning wins over it). */
    static final String SHARED_DATA_VARIABLE = "WORKBENCH_SHARED_DATA";
    static final String SHARED_DATA_PROPERTY = "workbench.shared.data";

    private Checkout() {
    }

    /**
     * The checkout's root: {@code -Dworkbench.repo.root} (the test runner), else {@code -Dworkbench.home} (the
     * launcher), else the working folder.
     */
    static Path root() {
        for (String property : new String[] {"workbench.repo.root", "workbench.home"}) {
            String value = System.getProperty(property);
            if (value != null) {
                return Path.of(value).toAbsolutePath().normalize();
            }
        }
        return Path.of("").toAbsolutePath();
    }

    /** scripts/NAME: under the root named by a property, else searched upward from the working folder. */
    static Optional<Path> script(String name) {
        for (String property : new String[] {"workbench.repo.root", "workbench.home"}) {
            String value = System.getProperty(property);
            if (value != null && Files.isRegularFile(Path.of(value, "scripts", name))) {
                return Optional.of(Path.of(value, "scripts", name));
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The shared data folder: {@code -Dworkbench.shared.data}, else {@code $WORKBENCH_SHARED_DATA}, else
     * {@code ../shared/data} beside the checkout's root. It may not exist; callers say so when they need a file.
     */
    static Path sharedData() {
        String property = System.getProperty(SHARED_DATA_PROPERTY);
        if (property != null) {
            return Path.of(property);
        }
        String variable = System.getenv(SHARED_DATA_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return Path.of(variable);
        }
        return root().resolveSibling("shared").resolve("data");
    }

    static Path sharedFile(String relative) {
        return sharedData().resolve(relative);
    }
}
