package dev.workbench.cli;

import dev.workbench.bench.BenchTables;
import dev.workbench.bench.DataBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code workbench bench data}: the options of {@link DataBenchmark}. Belongs under {@code bench}. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Time loading (with hashing), stratified splitting and leakage checks of a labelled CSV.")
public final class BenchDataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--file", paramLabel = "CSV", description = "Labelled CSV (default: "
            + DataBenchmark.DEFAULT_FILE + " in the shared data folder: " + BenchTables.SHARED_DATA_RULE + ").")
    Path file;

    @Option(names = "--text-column", defaultValue = "text", description = "Default: ${DEFAULT-VALUE}.")
    String textColumn;

    @Option(names = "--label-column", defaultValue = "category", description = "Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds (the first ones warm the JIT up).")
    int rounds;

    @Override
    public Integer call() throws IOException {
        DataBenchmark.run(new DataBenchmark.Settings(file, textColumn, labelColumn, rounds),
                spec.commandLine().getOut());
        return 0;
    }
}
