package dev.workbench.cli;

import dev.workbench.report.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code workbench compare RUN_A RUN_B [--json]}: metric-by-metric diff of two runs. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two runs metric by metric (B - A, which is better, whether the intervals overlap).")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A")
    Path runA;

    @Parameters(index = "1", paramLabel = "RUN_B")
    Path runB;

    @Option(names = "--json", description = "print JSON instead of a Markdown table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RunComparison.Comparison c = RunComparison.compare(runA, runB);
        spec.commandLine().getOut().print(json ? RunComparison.json(c) : RunComparison.markdown(c));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
