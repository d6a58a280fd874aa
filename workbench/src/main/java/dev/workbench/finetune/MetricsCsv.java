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

/**
 * Per-step {@code finetune/<task>/metrics.csv} ({@link dev.workbench.store.RunFolder#trainingMetrics}): step, epoch,
 * loss, lr, grad_norm, tokens_per_s, val_loss (empty when not evaluated).
 * A row is flushed per step so a crashed run keeps its curve; a resumed run first drops rows after its checkpoint.
 */
public final class MetricsCsv implements AutoCloseable {
    public static final String HEADER = "step,epoch,loss,lr,grad_norm,tokens_per_s,val_loss";

    private final BufferedWriter out;

    private MetricsCsv(BufferedWriter out) {
        this.out = out;
    }

    /** Opens {@code file} for appending, keeping only rows with step <= {@code keepUpToStep} (0 = start afresh). */
    public static MetricsCsv open(Path file, long keepUpToStep) throws IOException {
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
        return new MetricsCsv(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    public void append(long step, double epoch, double loss, double lr, double gradNorm, double tokensPerSecond,
                       Double validationLoss) throws IOException {
        out.write(String.format(Locale.ROOT, "%d,%.4f,%s,%s,%s,%.1f,%s%n", step, epoch, num(loss), num(lr),
                num(gradNorm), tokensPerSecond, validationLoss == null ? "" : num(validationLoss)));
        out.flush();
    }

    private static String num(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : String.valueOf(value);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
