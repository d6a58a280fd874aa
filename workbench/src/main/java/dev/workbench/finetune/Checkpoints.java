package dev.workbench.finetune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint folders of one task: {@code <checkpoints>/<task>/step-NNNNNN/} and {@code best/}. Each folder is
 * written into a hidden staging sibling and renamed into place with its commit marker last
 * ({@link AtomicDirectory}); a folder without the marker is torn and never loaded or counted.
 */
public final class Checkpoints {
    public static final String STATE_FILE = "training_state.json";
    public static final String BEST = "best";
    private static final Pattern STEP_FOLDER = Pattern.compile("step-(\\d{6,})");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Fills a staging folder; the folder is committed only if this returns normally. */
    @FunctionalInterface
    public interface Contents {
        void write(Path staging) throws IOException;
    }

    private Checkpoints() {
    }

    public static String stepFolderName(long step) {
        return String.format("step-%06d", step);
    }

    /**
     * Writes {@code <taskDir>/<name>} atomically. An existing folder of that name (a re-run step after a resume, or the
     * previous {@code best}) is replaced only after the new one is complete: it is first renamed aside, then deleted.
     */
    public static Path write(Path taskDir, String name, Contents contents) throws IOException {
        Path target = taskDir.resolve(name);
        Path staging = AtomicDirectory.staging(target);
        try {
            contents.write(staging);
        } catch (IOException | RuntimeException e) {
            AtomicDirectory.deleteRecursively(staging);
            throw e;
        }
        Path aside = null;
        if (Files.exists(target)) {
            aside = Files.createTempDirectory(taskDir, "." + name + ".old-");
            Files.delete(aside);
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        AtomicDirectory.commit(staging, target);
        if (aside != null) {
            AtomicDirectory.deleteRecursively(aside);
        }
        return target;
    }

    /**
     * Deletes committed step folders beyond the newest {@code keep}, and staging leftovers of crashed writes. Called
     * only after a new step folder has been committed, so the newest complete checkpoint always survives.
     */
    public static void rotate(Path taskDir, int keep) throws IOException {
        List<Path> steps = committedSteps(taskDir);
        for (int i = 0; i < steps.size() - Math.max(1, keep); i++) {
            AtomicDirectory.deleteRecursively(steps.get(i));
        }
        try (Stream<Path> children = Files.list(taskDir)) {
            for (Path child : children.toList()) {
                String n = child.getFileName().toString();
                if (n.startsWith(".") && (n.contains(".tmp-") || n.contains(".old-"))) {
                    AtomicDirectory.deleteRecursively(child);
                }
            }
        }
    }

    /** Committed {@code step-*} folders, oldest first. */
    public static List<Path> committedSteps(Path taskDir) throws IOException {
        List<Path> steps = new ArrayList<>();
        if (!Files.isDirectory(taskDir)) {
            return steps;
        }
        try (Stream<Path> children = Files.list(taskDir)) {
            children.filter(p -> STEP_FOLDER.matcher(p.getFileName().toString()).matches())
                    .filter(AtomicDirectory::isCommitted)
                    .forEach(steps::add);
        }
        steps.sort(Comparator.comparingLong(Checkpoints::stepOf));
        return steps;
    }

    /** The newest committed step folder of a task, if any. */
    public static Optional<Path> latest(Path taskDir) throws IOException {
        List<Path> steps = committedSteps(taskDir);
        return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1));
    }

    static long stepOf(Path folder) {
        Matcher m = STEP_FOLDER.matcher(folder.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    public static void writeState(Path folder, TrainingState state) throws IOException {
        JSON.writeValue(folder.resolve(STATE_FILE).toFile(), state);
    }

    /** Reads {@code training_state.json}; a missing marker or file is INVALID_INPUT naming the folder. */
    public static TrainingState readState(Path folder) {
        if (!AtomicDirectory.isCommitted(folder)) {
            throw WorkbenchException.invalid(folder + " is not a complete checkpoint (no "
                    + AtomicDirectory.COMMIT_MARKER + " marker; the write was interrupted)");
        }
        Path file = folder.resolve(STATE_FILE);
        try {
            return JSON.readValue(file.toFile(), TrainingState.class);
        } catch (IOException e) {
            throw WorkbenchException.invalid(file + ": cannot read training state: " + e.getMessage());
        }
    }

    /** A checkpoint folder found on disk, for {@code workbench checkpoints list}. */
    public record Entry(Path folder, boolean complete, Optional<TrainingState> state) {
    }

    /** Every {@code step-*} and {@code best} folder below {@code root} (any depth), complete or not, sorted by path. */
    public static List<Entry> find(Path root) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isDirectory).sorted().toList()) {
                String n = p.getFileName().toString();
                if (!(STEP_FOLDER.matcher(n).matches() || BEST.equals(n))) {
                    continue;
                }
                boolean complete = AtomicDirectory.isCommitted(p);
                Optional<TrainingState> state = Optional.empty();
                if (complete && Files.isRegularFile(p.resolve(STATE_FILE))) {
                    try {
                        state = Optional.of(JSON.readValue(p.resolve(STATE_FILE).toFile(), TrainingState.class));
                    } catch (IOException e) {
                        state = Optional.empty();
                    }
                }
                entries.add(new Entry(p, complete, state));
            }
        }
        return entries;
    }
}
