package dev.workbench.finetune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.DiskFullException;

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
 * assembled under a hidden name and renamed into place with its {@value #MARKER} marker written last; a folder
 * without the marker is torn and never loaded or counted.
 */
public final class Checkpoints {
    public static final String STATE_FILE = "training_state.json";
    public static final String BEST = dev.workbench.store.RunFolder.BEST_CHECKPOINT;
    /** Pointer file naming the newest complete step folder ({@link dev.workbench.model.io.CheckpointIO#LAST_POINTER}). */
    public static final String LAST = dev.workbench.model.io.CheckpointIO.LAST_POINTER;
    /** Written last into a checkpoint folder (name shared with the model package's checkpoint writer). */
    public static final String MARKER = dev.workbench.model.io.CheckpointIO.MARKER;
    private static final Pattern STEP_FOLDER = Pattern.compile("step-(\\d{6,})");
    /** Leftovers of an interrupted write: {@code .step-000120.incoming[.tmp]}, {@code step-000120.tmp}. */
    private static final Pattern STAGING = Pattern.compile("\\.?(step-\\d{6,}|best)(\\.incoming)?(\\.tmp)?");
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

    /** Writes a complete checkpoint folder at a path that does not exist yet. */
    @FunctionalInterface
    public interface Writer {
        void write(Path target) throws IOException;
    }

    /**
     * Writes {@code <taskDir>/<name>} through {@code writer} (which commits atomically on its own) under a hidden
     * name first. An existing folder of that name (a re-run step after a resume, or the previous {@code best}) is
     * replaced only once the new one is complete: renamed aside, the new one renamed into place, the old one deleted.
     */
    public static Path write(Path taskDir, String name, Writer writer) throws IOException {
        Files.createDirectories(taskDir);
        Path target = taskDir.resolve(name);
        Path incoming = taskDir.resolve("." + name + ".incoming");
        Path incomingStaging = incoming.resolveSibling(incoming.getFileName() + ".tmp");
        AtomicDirectory.deleteRecursively(incoming);
        AtomicDirectory.deleteRecursively(incomingStaging);
        try {
            writer.write(incoming);
        } catch (IOException e) {
            // a full disk: say which file it filled up on, then free what the half-written checkpoint took
            IOException named = DiskFullException.namingNewestIn(Files.isDirectory(incomingStaging)
                    ? incomingStaging : incoming, e);
            AtomicDirectory.deleteRecursively(incomingStaging);
            AtomicDirectory.deleteRecursively(incoming);
            throw named;
        }
        if (!isComplete(incoming)) {
            throw new IOException("checkpoint writer left no complete folder at " + incoming);
        }
        Path aside = null;
        if (Files.exists(target)) {
            aside = Files.createTempDirectory(taskDir, "." + name + ".old-");
            Files.delete(aside);
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
        if (aside != null) {
            AtomicDirectory.deleteRecursively(aside);
        }
        return target;
    }

    /**
     * Copies the files of checkpoint folder {@code source} to {@code target} (which does not exist yet), assembled in
     * {@code <target>.tmp} and renamed, so {@code target} is complete or absent: a {@link Writer} for {@link #write}
     * (the best checkpoint kept aside, an earlier run's checkpoint adopted on resume).
     */
    public static void copy(Path source, Path target) throws IOException {
        Path staging = target.resolveSibling(target.getFileName() + ".tmp");
        AtomicDirectory.deleteRecursively(staging);
        Files.createDirectories(staging);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, staging.resolve(file.getFileName()));
                }
            }
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A checkpoint of any model: {@code model.safetensors} by parameter name, then {@code contents}, then the marker;
     * assembled in {@code <target>.tmp} and renamed. (Language models and classifiers use the model package's writer,
     * which adds config.json, tokenizer.json and the LoRA adapter file in the same layout.)
     */
    public static void saveGeneric(Path target, ModelParameters parameters, Contents contents) throws IOException {
        Path staging = target.resolveSibling(target.getFileName() + ".tmp");
        AtomicDirectory.deleteRecursively(staging);
        Files.createDirectories(staging);
        parameters.saveWeights(staging.resolve(ModelParameters.WEIGHTS_FILE));
        contents.write(staging);
        dev.workbench.model.io.CheckpointManifest.write(staging, Optional.empty());
        Files.writeString(staging.resolve(MARKER), "complete\n");
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether {@code folder} is a finished checkpoint (its marker exists). */
    public static boolean isComplete(Path folder) {
        return Files.isDirectory(folder) && (Files.isRegularFile(folder.resolve(MARKER))
                || AtomicDirectory.isCommitted(folder));
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
                if (n.startsWith(".") && (n.contains(".tmp") || n.contains(".old-") || n.contains(".incoming"))
                        || n.endsWith(".tmp")) {
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
                    .filter(Checkpoints::isComplete)
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

    /**
     * Reads {@code training_state.json} of a folder to resume from; a missing marker or file, or a file whose SHA-256
     * differs from its manifest, is INVALID_INPUT naming the folder (and the file).
     */
    public static TrainingState readState(Path folder) {
        if (!isComplete(folder)) {
            throw WorkbenchException.invalid(folder + " is not a complete checkpoint (no " + MARKER
                    + " marker; the write was interrupted)");
        }
        dev.workbench.model.io.CheckpointManifest.verify(folder);
        Path file = folder.resolve(STATE_FILE);
        try {
            return JSON.readValue(file.toFile(), TrainingState.class);
        } catch (IOException e) {
            throw WorkbenchException.invalid(file + ": cannot read training state: " + e.getMessage());
        }
    }

    /**
     * What a command's {@code --checkpoint} names: a checkpoint folder (holds config.json), a {@code last} pointer
     * file, or a run folder (then its {@code checkpoints/<task>/best}).
     *
     * @param task {@code language_model} or {@code classifier}
     */
    public static Path resolveFolder(Path checkpointOrRun, String task) {
        if (Files.isRegularFile(checkpointOrRun)
                || Files.isRegularFile(checkpointOrRun.resolve(dev.workbench.model.io.CheckpointIO.CONFIG))) {
            return checkpointOrRun;
        }
        Path best = dev.workbench.store.RunFolder.bestCheckpoint(checkpointOrRun, task);
        if (Files.isDirectory(best)) {
            return best;
        }
        throw WorkbenchException.invalid(checkpointOrRun + ": not a checkpoint folder (no config.json) nor a run "
                + "folder with checkpoints/" + task + "/best");
    }

    /** A checkpoint folder found on disk, for {@code workbench checkpoints list}. */
    public record Entry(Path folder, boolean complete, Optional<TrainingState> state) {
    }

    /**
     * Every {@code step-*} and {@code best} folder below {@code root} (any depth), complete or not, plus staging
     * leftovers of interrupted writes (never complete), sorted by path.
     */
    public static List<Entry> find(Path root) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isDirectory).sorted().toList()) {
                String n = p.getFileName().toString();
                boolean staging = STAGING.matcher(n).matches();
                if (!(STEP_FOLDER.matcher(n).matches() || BEST.equals(n) || staging)) {
                    continue;
                }
                boolean complete = isComplete(p);
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
