package dev.workbench.finetune;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Per-step {@code finetune/<task>/metrics.csv} ({@link dev.workbench.store.RunFolder#trainingMetrics}): step, epoch,
 * loss, lr, grad_norm, tokens_per_s, val_loss (empty when not evaluated).
 * A row is flushed per step so a crashed run keeps its curve; a resumed run first drops rows after its checkpoint.
 */
public final class MetricsCsv implements TrainingListener {
    public static final String HEADER = "step,epoch,loss,lr,grad_norm,tokens_per_s,val_loss";

    private final Path file;
    private BufferedWriter out;

    MetricsCsv(Path file) {
        this.file = file;
    }

    /** Opens the file for appending, keeping only rows up to the step the loop starts from (none at step 0). */
    @Override
    public void onStart(LoopState state, Optional<TrainingState> resumedFrom) throws IOException {
        long keepUpToStep = state.step();
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<String> kept = new ArrayList<>();
        kept.add(HEADER);
        if (keepUpToStep > 0 && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int comma = line.indexOf(',');
                if (comma > 0 && !line.startsWith("step,")) {
                    try {
                        if (Long.parseLong(line.substring(0, comma)) <= keepUpToStep) {
                            kept.add(line);
                        }
                    } catch (NumberFormatException ignored) {
                        // a torn last line of a crashed run
                    }
                }
            }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Override
    public void onStep(StepRecord step) throws IOException {
        out.write(String.format(Locale.ROOT, "%d,%.4f,%s,%s,%s,%.1f,%s%n", step.step(), step.epoch(),
                num(step.trainLoss()), num(step.learningRate()), num(step.gradNorm()), step.tokensPerSecond(),
                step.validationLoss() == null ? "" : num(step.validationLoss())));
        out.flush();
    }

    private static String num(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : String.valueOf(value);
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
