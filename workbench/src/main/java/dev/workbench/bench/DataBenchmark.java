package dev.workbench.bench;

import dev.workbench.data.CorpusLoader;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.Leakage;
import dev.workbench.data.Loaded;
import dev.workbench.data.Splits;
import dev.workbench.data.Splitter;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code workbench bench data}: how fast the data layer reads, hashes, splits and checks a labelled CSV. It reads the
 * file several times and prints timings of every round; the last ones are warmed up.
 */
public final class DataBenchmark {
    /** The default file: BANKING77's training split in the shared data folder. */
    public static final String DEFAULT_FILE = "customer-service/banking77_train.csv";

    /** @param file labelled CSV; null: {@link #DEFAULT_FILE} in the shared data folder */
    public record Settings(Path file, String textColumn, String labelColumn, int rounds) {
    }

    private DataBenchmark() {
    }

    public static void run(Settings settings, PrintWriter out) throws IOException {
        Path file = settings.file() != null ? settings.file() : Checkout.sharedFile(DEFAULT_FILE);
        if (!Files.isRegularFile(file)) {
            throw WorkbenchException.environment(file + ": no such file (give --file)");
        }
        double megabytes = Files.size(file) / 1e6;
        for (int round = 1; round <= settings.rounds(); round++) {
            long start = System.nanoTime();
            Loaded<LabelledExample> loaded = new CorpusLoader(Corpus.BadRowPolicy.ERROR).loadLabelled(
                    new Corpus.LabelledSource(file, Corpus.Format.CSV, settings.textColumn(), settings.labelColumn()),
                    Optional.empty());
            long loadedAt = System.nanoTime();
            Splits<LabelledExample> splits = Splitter.stratified(loaded.items(), LabelledExample::label, 42, 0.1, 0.2);
            long splitAt = System.nanoTime();
            Leakage.Report report = Leakage.find(splits, LabelledExample::text);
            long checkedAt = System.nanoTime();
            double loadSeconds = (loadedAt - start) / 1e9;
            out.printf("round %d: %d rows, %.1f MB: load+hash %.0f ms (%.1f MB/s, %.0f rows/s), split %.0f ms, "
                            + "leakage %.0f ms (%d duplicates in train)%n", round, loaded.items().size(), megabytes,
                    loadSeconds * 1e3, megabytes / loadSeconds, loaded.items().size() / loadSeconds,
                    (splitAt - loadedAt) / 1e6, (checkedAt - splitAt) / 1e6, report.withinTrain());
        }
    }
}
