package dev.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.eval.SyntheticFileEvaluation;
import dev.workbench.eval.SyntheticMetrics;
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
 * {@code workbench evaluate-synthetic --real REAL.csv --synthetic SYN.csv [--metadata META.json [--table NAME]]
 * [--target COL] [--holdout HOLDOUT.csv] [--pair-binning real_edges|own_edges] [--seed S] [--out DIR] [--json]}; the
 * older positional form
 * {@code evaluate-synthetic REAL.csv SYN.csv} still works.
 */
@Command(name = "evaluate-synthetic", mixinStandardHelpOptions = true,
        description = "Score a synthetic table against a real one. Column shapes, pair trends (all pairs and "
                + "SDMetrics' thresholded mode), quality and new-row synthesis compare with the whole real file, as "
                + "SDMetrics' QualityReport does; detection (logistic and boosted trees), TSTR vs TRTR (boosted trees "
                + "and logistic regression) and DCR use --holdout, or without it a seeded 70/30 split of the real file "
                + "(then TSTR is optimistic, and the output says so).")
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
            description = "SDV metadata for column types: single-table (SINGLE_TABLE_V1) or SDV 1.x V1 with a "
                    + "'tables' object; id columns and the primary key are dropped")
    Path metadata;

    @Option(names = "--table", paramLabel = "NAME",
            description = "the table of V1 metadata the CSV files hold (needed when it describes several)")
    String table;

    @Option(names = "--pair-binning", paramLabel = "MODE", defaultValue = "real_edges",
            description = "numeric columns in numeric x categorical pairs: real_edges (default; 10 bins from the real "
                    + "column, outer edges open, both tables cut by them, as SDMetrics' ContingencySimilarity) or "
                    + "own_edges (each table by its own edges, as SDMetrics 0.29's QualityReport computes)")
    String pairBinning;

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
        SyntheticMetrics.PairBinning binning;
        try {
            binning = SyntheticMetrics.PairBinning.parse(pairBinning);
        } catch (IllegalArgumentException e) {
            throw WorkbenchException.invalid("evaluate-synthetic: --pair-binning: " + e.getMessage());
        }
        if (table != null && metadata == null) {
            throw WorkbenchException.invalid("evaluate-synthetic: --table " + table + " needs --metadata");
        }
        SyntheticEvaluation.Result r = SyntheticFileEvaluation.evaluate(real, synthetic, Optional.ofNullable(holdout),
                Optional.ofNullable(metadata), Optional.ofNullable(table), Optional.ofNullable(target), binning, seed);
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
