package dev.workbench.cli;

import dev.workbench.report.ComparisonReport;
import dev.workbench.report.MultiRunComparison;
import dev.workbench.report.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code workbench compare RUN_OR_REPORT... [--out DIR] [--json]}: a comparison report of two or more runs (run
 * folders, report folders or report.json files) in HTML, Markdown and JSON. {@code --json} prints JSON instead of
 * writing files (for two runs, the pairwise diff {@code compare A B --json} has always printed).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two or more runs or reports: first what differs significantly (paired tests "
                + "where the items match, Holm-corrected: McNemar and macro-F1 bootstrap for classifiers, "
                + "bits-per-byte bootstrap for LMs), then the metrics that differ with deltas against the first run "
                + "(unchanged ones folded), a model x domain bits-per-byte matrix when the runs cover several "
                + "domains, overlaid training curves, mean win rate (3+ runs). A .partial or unfinished run is "
                + "warned about.")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "RUN_OR_REPORT",
            description = "run folders, report folders or report.json files; the first is the reference")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "where to write compare.html, compare.md, compare.json (default reports/compare/<timestamp>)")
    Path out;

    @Option(names = "--json", description = "print JSON to stdout instead of writing the report (two runs: the "
            + "pairwise metric diff)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (json && out == null) {
            spec.commandLine().getOut().print(inputs.size() == 2
                    ? RunComparison.json(RunComparison.compare(inputs.get(0), inputs.get(1)))
                    : MultiRunComparison.json(MultiRunComparison.compare(inputs)));
            spec.commandLine().getOut().flush();
            return 0;
        }
        MultiRunComparison.Comparison c = MultiRunComparison.compare(inputs);
        Path folder = out != null ? out : Path.of("reports", "compare", ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        ComparisonReport.write(c, folder);
        spec.commandLine().getOut().print(json ? MultiRunComparison.json(c) : ComparisonReport.markdown(c));
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().println("wrote " + folder.resolve(ComparisonReport.HTML) + ", "
                + ComparisonReport.MARKDOWN + ", " + ComparisonReport.JSON_FILE);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
