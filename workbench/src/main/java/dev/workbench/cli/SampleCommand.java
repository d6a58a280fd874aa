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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code workbench sample GENERATOR_DIR --rows N [--where col=value]... --seed S --output FILE.csv}. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate rows from a saved generator folder (synthetic/<method>/generator of a run).")
public final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GENERATOR_DIR", description = "A generator folder written by a run.")
    Path generator;

    @Option(names = "--rows", required = true, description = "Number of rows to generate.")
    int rows;

    @Option(names = "--where", paramLabel = "COLUMN=VALUE",
            description = "Condition on a categorical or boolean column (repeatable); every row honours it.")
    List<String> where = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default ${DEFAULT-VALUE}); the same "
            + "seed gives the same rows.")
    long seed;

    @Option(names = "--output", required = true, paramLabel = "FILE.csv", description = "Where to write the rows.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (rows <= 0) {
            throw WorkbenchException.invalid("--rows must be positive, got " + rows);
        }
        Map<String, String> conditions = parseConditions(where);
        Synthesizer synthesizer = GeneratorCheckpoint.load(generator);
        try {
            long start = System.nanoTime();
            Table table = synthesizer.sample(rows, conditions, seed);
            SyntheticCsv.write(output, table);
            double seconds = (System.nanoTime() - start) / 1e9;
            String forced = synthesizer instanceof CtganSynthesizer ctgan && ctgan.lastForcedRows() > 0
                    ? " (" + ctgan.lastForcedRows() + " rows had their conditioned cells set after rejection ran out)"
                    : "";
            spec.commandLine().getOut().printf("wrote %d rows from %s (%s) to %s in %.2f s%s%n", rows, generator,
                    synthesizer.name(), output, seconds, forced);
        } finally {
            if (synthesizer instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        return 0;
    }

    static Map<String, String> parseConditions(List<String> where) {
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
