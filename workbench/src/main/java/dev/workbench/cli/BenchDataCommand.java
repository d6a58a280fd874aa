package dev.workbench.cli;

import dev.workbench.data.CorpusLoader;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.Leakage;
import dev.workbench.data.Loaded;
import dev.workbench.data.Splits;
import dev.workbench.data.Splitter;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.WorkbenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code workbench bench data}: how fast the data layer reads, hashes, splits and checks a labelled CSV. A benchmark,
 * not a test: it reads whatever file it is given (by default the shared BANKING77 copy) several times and prints
 * timings of the last, warmed-up round. Belongs under the {@code bench} parent command.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Time loading (with hashing), stratified splitting and leakage checks of a labelled CSV.")
public final class BenchDataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--file", paramLabel = "CSV", description = "Labelled CSV (default: ${DEFAULT-VALUE}).",
            defaultValue = "/work/shared/data/customer-service/banking77_train.csv")
    Path file;

    @Option(names = "--text-column", defaultValue = "text", description = "Default: ${DEFAULT-VALUE}.")
    String textColumn;

    @Option(names = "--label-column", defaultValue = "category", description = "Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds (the first ones warm the JIT up).")
    int rounds;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw WorkbenchException.environment(file + ": no such file (give --file)");
        }
        double megabytes = Files.size(file) / 1e6;
        var out = spec.commandLine().getOut();
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            Loaded<LabelledExample> loaded = new CorpusLoader(Corpus.BadRowPolicy.ERROR).loadLabelled(
                    new Corpus.LabelledSource(file, Corpus.Format.CSV, textColumn, labelColumn), Optional.empty());
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
        return 0;
    }

}
