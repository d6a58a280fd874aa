package dev.workbench.finetune;

import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What {@code workbench checkpoints list} shows: one row per checkpoint folder under a runs folder. */
public final class CheckpointListing {
    private CheckpointListing() {
    }

    /**
     * @param task from training_state.json, else config.json, else "?"
     * @param family the model family config.json records ({@code gpt}, {@code llama}, {@code bert}, ...), else "?"
     * @param step -1 when unknown (a checkpoint not written by the training loop, e.g. an imported base)
     * @param problem after {@link #verify}: why a complete folder would be refused on load (a file changed since it
     *     was written, no manifest)
     */
    public record Row(Path folder, String task, String family, long step, Optional<Double> validationLoss,
                      boolean complete, Optional<String> problem) {
    }

    /** The rows with every complete folder's files re-hashed against its manifest.json (reads every byte). */
    public static List<Row> verify(List<Row> rows) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            Optional<String> problem = Optional.empty();
            if (r.complete()) {
                try {
                    dev.workbench.model.io.CheckpointManifest.verify(r.folder());
                } catch (dev.workbench.recipe.WorkbenchException e) {
                    problem = Optional.of(e.getMessage());
                }
            }
            out.add(new Row(r.folder(), r.task(), r.family(), r.step(), r.validationLoss(), r.complete(), problem));
        }
        return out;
    }

    public static List<Row> list(Path runs) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Checkpoints.Entry e : Checkpoints.find(runs)) {
            Optional<CheckpointConfig> config = config(e.folder());
            String task = e.state().map(TrainingState::task).orElseGet(() -> config
                    .map(c -> c.task().name().toLowerCase(Locale.ROOT)).orElse("?"));
            String family = config.map(c -> c.model().family().name()).orElse("?");
            long step = e.state().map(TrainingState::step).orElse(Checkpoints.stepOf(e.folder()));
            Optional<Double> loss = e.state().map(s -> s.validationLoss() != null ? s.validationLoss()
                    : Checkpoints.BEST.equals(e.folder().getFileName().toString()) ? s.bestValidationLoss() : null);
            rows.add(new Row(e.folder(), task, family, step, loss, e.complete(), Optional.empty()));
        }
        return rows;
    }

    /**
     * The folder of {@code run}: a run id (or folder) known to the run store under {@code runs}, or any existing
     * folder. An unknown one is INVALID_INPUT.
     */
    public static Path runFolder(Path runs, String run) throws IOException {
        java.util.Optional<dev.workbench.store.RunStore.RunEntry> entry = new dev.workbench.store.RunStore(runs)
                .find(run);
        if (entry.isPresent()) {
            return entry.get().folder();
        }
        Path asPath = Path.of(run);
        if (Files.isDirectory(asPath)) {
            return asPath;
        }
        throw dev.workbench.recipe.WorkbenchException.invalid("no run '" + run + "' under "
                + runs.toAbsolutePath().normalize() + " and no such folder");
    }

    /** The folder's config.json, when it has a readable one (a listing shows "?" for what it cannot read). */
    private static Optional<CheckpointConfig> config(Path folder) {
        Path config = folder.resolve(CheckpointIO.CONFIG);
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        try {
            return Optional.of(CheckpointConfig.fromJson(Files.readString(config), config));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static String render(Path runs, List<Row> rows) {
        if (rows.isEmpty()) {
            return "no checkpoints under " + runs.toAbsolutePath().normalize() + "\n";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-60s %-15s %-7s %8s %10s  %s%n",
                "CHECKPOINT", "TASK", "FAMILY", "STEP", "VAL_LOSS", "STATE"));
        for (Row r : rows) {
            String path = runs.toAbsolutePath().normalize().relativize(r.folder().toAbsolutePath().normalize())
                    .toString();
            out.append(String.format(Locale.ROOT, "%-60s %-15s %-7s %8s %10s  %s%n", path, r.task(), r.family(),
                    r.step() < 0 ? "-" : String.valueOf(r.step()),
                    r.validationLoss().map(v -> String.format(Locale.ROOT, "%.4f", v)).orElse("-"),
                    r.problem().isPresent() ? "CHANGED" : r.complete() ? "COMPLETE" : "INCOMPLETE"));
        }
        for (Row r : rows) {
            r.problem().ifPresent(p -> out.append("CHANGED: ").append(p).append(System.lineSeparator()));
        }
        return out.toString();
    }
}
