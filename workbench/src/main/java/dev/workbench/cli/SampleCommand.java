package dev.workbench.cli;

import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.synth.CtganSynthesizer;
import dev.workbench.synth.GeneratorCheckpoint;
import dev.workbench.synth.Synthesizer;
import dev.workbench.synth.SyntheticCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code workbench sample --checkpoint X --rows N [--where col=value]... [--method M] [--seed S] [--output FILE.csv]}.
 * X is a generator folder or a run folder (its {@code synthetic/ctgan/generator}, or another method's with
 * {@code --method}); the older positional form {@code workbench sample GENERATOR_DIR ...} is kept as an alias. Without
 * {@code --output} the CSV goes to standard output and the summary line to standard error.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate rows from a saved generator (a generator folder, or a run folder's "
                + "synthetic/<method>/generator).")
public final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "GENERATOR_DIR",
            description = "Same as --checkpoint (kept for older scripts).")
    Path positional;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "A generator folder, or a run folder (then synthetic/<method>/generator is used).")
    Path checkpoint;

    @Option(names = "--method", paramLabel = "METHOD",
            description = "Which generator of a run folder: ctgan (default), independent, gaussian-copula, tvae.")
    String method;

    @Option(names = "--rows", required = true, description = "Number of rows to generate.")
    int rows;

    @Option(names = "--where", paramLabel = "COLUMN=VALUE",
            description = "Condition on a categorical or boolean column (repeatable); every row honours it.")
    List<String> where = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default ${DEFAULT-VALUE}); the same "
            + "seed gives the same rows.")
    long seed;

    @Option(names = {"--out", "--output"}, paramLabel = "FILE.csv",
            description = "Where to write the rows (default: CSV on standard output; --output is an alias).")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (rows <= 0) {
            throw WorkbenchException.invalid("--rows must be positive, got " + rows);
        }
        if (checkpoint == null && positional == null) {
            throw WorkbenchException.invalid("sample needs --checkpoint DIR (a generator folder or a run folder)");
        }
        if (checkpoint != null && positional != null && !checkpoint.equals(positional)) {
            throw WorkbenchException.invalid("sample got both --checkpoint " + checkpoint + " and GENERATOR_DIR "
                    + positional + "; give one");
        }
        Map<String, String> conditions = parseConditions(where);
        Path generator = GeneratorCheckpoint.resolve(checkpoint != null ? checkpoint : positional,
                Optional.ofNullable(method));
        try (Synthesizer synthesizer = GeneratorCheckpoint.load(generator)) {
            long start = System.nanoTime();
            Table table = synthesizer.sample(rows, conditions, seed);
            PrintWriter summary;
            String destination;
            if (output != null) {
                SyntheticCsv.write(output, table);
                summary = spec.commandLine().getOut();
                destination = output.toString();
            } else {
                SyntheticCsv.write(spec.commandLine().getOut(), table);
                summary = spec.commandLine().getErr();
                destination = "standard output";
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String forced = synthesizer instanceof CtganSynthesizer ctgan && ctgan.lastForcedRows() > 0
                    ? " (" + ctgan.lastForcedRows() + " rows had their conditioned cells set after rejection ran out)"
                    : "";
            summary.printf("wrote %d rows from %s (%s) to %s in %.2f s%s%n", rows, generator,
                    synthesizer.name(), destination, seconds, forced);
            summary.flush();
        }
        return 0;
    }

    /** {@code --where} conditions; public for the workbench-spark module's {@code sample --spark}. */
    public static Map<String, String> parseConditions(List<String> where) {
        Map<String, String> conditions = new LinkedHashMap<>();
        for (String condition : where) {
            int eq = condition.indexOf('=');
            if (eq <= 0) {
                throw WorkbenchException.invalid("--where " + condition + ": expected COLUMN=VALUE");
            }
            String column = condition.substring(0, eq);
            if (conditions.put(column, condition.substring(eq + 1)) != null) {
                throw WorkbenchException.invalid("--where names column '" + column + "' twice");
            }
        }
        return conditions;
    }
}
