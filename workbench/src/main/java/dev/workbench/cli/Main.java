package dev.workbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point. Sets DJL's offline and opt-out flags before any DJL class can load. */
@Command(name = "workbench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Domain fine-tuning workbench: fine-tune, synthesize, evaluate and report from one YAML recipe.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ValidateCommand.class,
                SchemaCommand.class,
                DoctorCommand.class,
                RunsCommand.class,
                CompletionCommand.class,
                PlanCommand.class,
                RunCommand.class,
                DatasetsCommand.class,
                ReportCommand.class,
                CompareCommand.class,
                ServeCommand.class,
                EvaluateSyntheticCommand.class,
                BenchCommand.class,
                PredictCommand.class,
                CheckpointsCommand.class,
                ExportCommand.class,
                GenerateCommand.class,
                MergeCommand.class,
                SampleCommand.class,
                ScoreCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok",
                "1:a stage failed",
                "2:invalid recipe or usage",
                "3:environment (missing GPU, native library or file)",
                "4:training diverged"})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        Offline.enforce();
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        cli.setExitCodeExceptionMapper(Failures::exitCode);
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
