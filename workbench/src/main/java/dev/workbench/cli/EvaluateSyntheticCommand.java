package dev.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.eval.SyntheticFileEvaluation;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.report.SyntheticFileReport;
import dev.workbench.report.SyntheticSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code workbench evaluate-synthetic --real REAL.csv --synthetic SYN.csv [--metadata META.json] [--target COL]
 * [--holdout HOLDOUT.csv] [--seed S] [--out DIR] [--json]}; the older positional form
 * {@code evaluate-synthetic REAL.csv SYN.csv} still works.
 */
@Command(name = "evaluate-synthetic", mixinStandardHelpOptions = true,
        description = "Score a synthetic table against a real one (SDMetrics-style shapes, pair trends, detection, "
                + "TSTR vs TRTR, DCR privacy). Without --holdout the real file is split 70/30 (seeded) into train "
                + "and holdout.")
public final class EvaluateSyntheticCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REAL.csv", description = "same as --real")
    Path realPositional;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SYNTHETIC.csv", description = "same as --synthetic")
    Path syntheticPositional;

    @Option(names = "--real", paramLabel = "REAL.csv", description = "real rows (the training side)")
    Path realOption;

    @Option(names = "--synthetic", paramLabel = "SYN.csv", description = "synthetic rows, from any tool")
    Path syntheticOption;

    @Option(names = "--holdout", paramLabel = "HOLDOUT.csv",
            description = "real rows the generator never saw; REAL.csv is then used whole as the training side")
    Path holdout;

    @Option(names = "--metadata", paramLabel = "META.json",
            description = "SDV single-table metadata (SINGLE_TABLE_V1) for column types; id columns are dropped")
    Path metadata;

    @Option(names = "--target", paramLabel = "COL", description = "column to predict for TSTR/TRTR")
    String target;

    @Option(names = "--seed", defaultValue = "42", description = "seed for the split and the models")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "write synthetic.json, report.json and report.md into DIR (created)")
    Path out;

    @Option(names = "--json", description = "print JSON instead of Markdown")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path real = pick("REAL.csv", "--real", realPositional, realOption);
        Path synthetic = pick("SYNTHETIC.csv", "--synthetic", syntheticPositional, syntheticOption);
        SyntheticEvaluation.Result r = SyntheticFileEvaluation.evaluate(real, synthetic, Optional.ofNullable(holdout),
                Optional.ofNullable(metadata), Optional.ofNullable(target), seed);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(json
                ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n"
                : SyntheticSummary.markdown(real.toString(), synthetic.toString(), r));
        if (out != null) {
            for (Path p : SyntheticFileReport.write(out, stem(synthetic), real.toString(),
                    synthetic.toString(), r)) {
                // On stderr with --json, so stdout stays one JSON document.
                (json ? spec.commandLine().getErr() : stdout).println("wrote " + p);
            }
        }
        stdout.flush();
        spec.commandLine().getErr().flush();
        return 0;
    }

    /** The synthetic file's name without its extension names the subject, as synthetic/<method>.csv does. */
    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static Path pick(String label, String option, Path positional, Path named) {
        if (positional != null && named != null) {
            throw WorkbenchException.invalid("evaluate-synthetic: give " + label + " either positionally or with "
                    + option + ", not both");
        }
        if (positional == null && named == null) {
            throw WorkbenchException.invalid("evaluate-synthetic: missing " + label + " (" + option + ")");
        }
        return positional != null ? positional : named;
    }
}
