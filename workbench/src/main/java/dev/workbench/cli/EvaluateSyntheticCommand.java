package dev.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.report.SyntheticSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code workbench evaluate-synthetic REAL.csv SYNTHETIC.csv [--target COL] [--json]}. */
@Command(name = "evaluate-synthetic", mixinStandardHelpOptions = true,
        description = "Score a synthetic table against a real one (SDMetrics-style shapes, pair trends, detection, "
                + "TSTR vs TRTR, DCR privacy). The real file is split 70/30 (seeded) into train and holdout.")
public final class EvaluateSyntheticCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REAL.csv")
    Path real;

    @Parameters(index = "1", paramLabel = "SYNTHETIC.csv")
    Path synthetic;

    @Option(names = "--target", paramLabel = "COL", description = "column to predict for TSTR/TRTR")
    String target;

    @Option(names = "--seed", defaultValue = "42", description = "seed for the split and the models")
    long seed;

    @Option(names = "--json", description = "print JSON instead of Markdown")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SyntheticEvaluation.Result r = SyntheticEvaluation.evaluateFiles(real, synthetic, Optional.ofNullable(target),
                seed);
        spec.commandLine().getOut().print(json
                ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n"
                : SyntheticSummary.markdown(real.toString(), synthetic.toString(), r));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
