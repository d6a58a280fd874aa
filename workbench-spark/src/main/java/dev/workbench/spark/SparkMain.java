package dev.workbench.spark;

import dev.workbench.cli.Main;
import dev.workbench.cli.SampleCommand;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.synth.GeneratorCheckpoint;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Entry point of the workbench-spark jar (bin/workbench uses it when this module is built): core's command tree,
 * plus {@code sweep}, plus {@code --spark} on {@code predict}, {@code score} and {@code sample}. Without
 * {@code --spark} those run core's single-process code unchanged; with it, this module reads core's parsed options
 * by name and runs the partitioned job.
 */
public final class SparkMain {

    private SparkMain() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int execute(String... args) {
        java.util.OptionalInt refused = Main.prepareNatives(args);
        if (refused.isPresent()) {
            return refused.getAsInt();
        }
        CommandLine cli = Main.commandLine(new SweepCommand());
        cli.getSubcommands().get("bench").addSubcommand(new BenchSparkCommand());
        Map<String, DistributedOptions> variants = new LinkedHashMap<>();
        for (String name : List.of("predict", "score", "sample")) {
            DistributedOptions options = new DistributedOptions();
            CommandSpec command = cli.getSubcommands().get(name).getCommandSpec();
            command.addMixin("spark", CommandSpec.forAnnotatedObject(options));
            if (name.equals("score")) {
                // single-process score prints corpus totals; --spark writes every row's score to a folder
                command.addOption(OptionSpec.builder("--text-column").paramLabel("COLUMN").defaultValue("text")
                        .description("--spark: the input's text column (default: text)").type(String.class).build());
                command.addOption(OptionSpec.builder("--out").paramLabel("DIR").type(Path.class)
                        .description("--spark: where each row's score goes (a folder of part files)").build());
            }
            variants.put(name, options);
        }
        cli.setExecutionStrategy(parsed -> {
            ParseResult sub = parsed.subcommand();
            DistributedOptions options = sub == null ? null : variants.get(sub.commandSpec().name());
            if (options == null || !options.spark || sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
                return new CommandLine.RunLast().execute(parsed);
            }
            try {
                return runDistributed(sub, options);
            } catch (Exception e) {
                throw new CommandLine.ExecutionException(sub.commandSpec().commandLine(), e.getMessage() == null
                        ? e.toString() : e.getMessage(), e);
            }
        });
        return cli.execute(args);
    }

    private static int runDistributed(ParseResult sub, DistributedOptions options) throws Exception {
        String command = sub.commandSpec().name();
        PrintWriter out = sub.commandSpec().commandLine().getOut();
        Path outPath = value(sub, "--out"); // core declares --out as a Path
        String output = outPath == null ? null : outPath.toString();
        if (output == null) {
            throw WorkbenchException.invalid(command + " --spark needs --out FOLDER (a folder of part files)");
        }
        Integer partitions = options.partitions;
        if (partitions != null && partitions < 1) {
            throw WorkbenchException.invalid("--partitions must be at least 1, got " + partitions);
        }
        Optional<PartitionedFiles.Format> format = Optional.ofNullable(options.format)
                .map(PartitionedFiles.Format::parse);
        try (var spark = options.cluster.session("workbench " + command + " --spark")) {
            switch (command) {
                case "predict" -> {
                    Path input = value(sub, "--input");
                    if (input == null) {
                        throw WorkbenchException.invalid("predict --spark needs --input (CSV or Parquet, a file or a "
                                + "folder of part files); --text is single-process");
                    }
                    DistributedPredict.Written w = DistributedPredict.run(spark, value(sub, "--checkpoint"),
                            input.toString(), value(sub, "--text-column"), value(sub, "--batch-size"),
                            output, format.orElse(PartitionedFiles.formatOf(spark, input.toString())), partitions);
                    out.printf(Locale.ROOT, "%d rows labelled in %d partitions -> %s%n", w.rows(), w.partitions(),
                            w.output());
                }
                case "score" -> {
                    Path input = value(sub, "--text-file");
                    DistributedScore.Scored s = DistributedScore.run(spark, value(sub, "--checkpoint"),
                            input.toString(), value(sub, "--text-column"), value(sub, "--batch-size"), output,
                            format.orElse(PartitionedFiles.formatOf(spark, input.toString())), partitions);
                    out.print(s.score().text());
                    out.printf(Locale.ROOT, "%d rows scored in %d partitions -> %s%n", s.written().rows(),
                            s.written().partitions(), s.written().output());
                }
                case "sample" -> {
                    int rows = value(sub, "--rows");
                    if (rows <= 0) {
                        throw WorkbenchException.invalid("--rows must be positive, got " + rows);
                    }
                    Path checkpoint = Optional.<Path>ofNullable(value(sub, "--checkpoint"))
                            .orElse(value(sub, "GENERATOR_DIR"));
                    if (checkpoint == null) {
                        throw WorkbenchException.invalid("sample needs --checkpoint DIR (a generator folder or a run "
                                + "folder)");
                    }
                    List<String> where = Optional.<List<String>>ofNullable(value(sub, "--where")).orElse(List.of());
                    Path generator = GeneratorCheckpoint.resolve(checkpoint,
                            Optional.ofNullable(value(sub, "--method")));
                    DistributedPredict.Written w = DistributedSample.run(spark, generator, rows, SampleCommand.parseConditions(where),
                            value(sub, "--seed"), output, format.orElse(PartitionedFiles.Format.CSV), partitions);
                    out.printf(Locale.ROOT, "wrote %d rows from %s in %d partitions to %s%n", w.rows(), generator,
                            w.partitions(), w.output());
                }
                default -> throw new IllegalStateException(command);
            }
        }
        out.flush();
        return 0;
    }

    /** A core option's value after parsing (its default when not given), found by name: core's fields stay private. */
    @SuppressWarnings("unchecked")
    static <T> T value(ParseResult sub, String name) {
        if (name.startsWith("-")) {
            OptionSpec option = sub.commandSpec().findOption(name);
            if (option == null) {
                throw new IllegalStateException(sub.commandSpec().name() + " has no option " + name);
            }
            return sub.hasMatchedOption(name) ? sub.matchedOptionValue(name, null) : option.getValue();
        }
        return sub.commandSpec().positionalParameters().stream().filter(p -> p.paramLabel().equals(name))
                .findFirst().map(p -> (T) p.getValue()).orElse(null);
    }
}
