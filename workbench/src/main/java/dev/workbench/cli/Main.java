package dev.workbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point. Sets DJL's offline and opt-out flags before any DJL class can load. */
@Command(name = "workbench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Domain fine-tuning workbench: fine-tune, synthesize, evaluate and report from one YAML recipe.",
        subcommands = {
                RunCommand.class,
                PlanCommand.class,
                ValidateCommand.class,
                RunsCommand.class,
                ReportCommand.class,
                CompareCommand.class,
                ServeCommand.class,
                ScoreCommand.class,
                TasksCommand.class,
                GenerateCommand.class,
                PredictCommand.class,
                SampleCommand.class,
                EvaluateSyntheticCommand.class,
                MergeCommand.class,
                ExportCommand.class,
                CheckpointsCommand.class,
                DatasetsCommand.class,
                BenchCommand.class,
                DoctorCommand.class,
                SchemaCommand.class,
                CompletionCommand.class,
                CommandLine.HelpCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok",
                "1:a stage failed",
                "2:invalid recipe or usage",
                "3:environment (missing GPU, native library or file)",
                "4:training diverged",
                "5:--resume with a --set that differs from the run's recorded value",
                "6:the run is being written by another process (its PID is named)",
                "7:disk full (the file is named; the run stays resumable)",
                "130:interrupted (Ctrl-C); the run stays resumable"})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        Offline.enforce();
        // The progress bar's terminal library (JLine, via progressbar) warns on every bar that its jansi provider is
        // deprecated; that provider is the one the dependency tree ships, and it works.
        if (System.getProperty("org.jline.terminal.disableDeprecatedProviderWarning") == null) {
            System.setProperty("org.jline.terminal.disableDeprecatedProviderWarning", "true");
        }
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
