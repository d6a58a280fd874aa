package dev.workbench.cli;

import dev.workbench.cli.torch.NativeHome;
import dev.workbench.cli.torch.PrebuiltBridges;
import dev.workbench.cli.torch.TorchCheck;
import dev.workbench.cli.torch.TorchInspector;
import dev.workbench.cli.torch.TorchSetting;
import dev.workbench.recipe.WorkbenchException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Entry point. Sets DJL's offline and opt-out flags before any DJL class can load. */
@Command(name = "workbench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Domain fine-tuning workbench: fine-tune, synthesize, evaluate and report from one YAML recipe.",
        subcommands = {
                RunCommand.class,
                PlanCommand.class,
                PreviewCommand.class,
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
                NativeCommand.class,
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
        OptionalInt refused = prepareNatives(args);
        return refused.isPresent() ? refused.getAsInt() : commandLine().execute(args);
    }

    /**
     * Sets DJL's offline flags and, in own-libtorch mode, points DJL at the configured torch; both before any DJL
     * class loads, so every entry point (this one, the workbench-spark jar's) calls it first. Returns the exit code
     * when the configured torch cannot be used and {@code args} is not a command that diagnoses or repairs it.
     */
    public static OptionalInt prepareNatives(String... args) {
        Offline.enforce();
        Optional<Path> torch = TorchSetting.configured(System::getProperty, System::getenv);
        if (torch.isPresent()) {
            NativeHome home = NativeHome.resolve();
            TorchCheck check = new TorchInspector(home, PrebuiltBridges.onClasspath()).inspect(torch.get());
            if (check.usableNow()) {
                TorchSetting.apply(check, home);
            } else if (!diagnosing(args)) { // doctor and native build are how one repairs it
                System.err.println("workbench: " + TorchSetting.ENV + "=" + torch.get() + " cannot be used: "
                        + check.describe() + ". Unset " + TorchSetting.ENV + " to use the bundled CPU natives.");
                return OptionalInt.of(WorkbenchException.Kind.ENVIRONMENT.exitCode());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The command tree with its error handling and exit codes, plus {@code extraSubcommands} (picocli-annotated
     * objects): the entry point of the workbench-spark module adds {@code sweep} here, so its commands fail and exit
     * exactly like the core ones. Sets DJL's offline flags first (own-libtorch mode: {@link #prepareNatives}).
     */
    public static CommandLine commandLine(Object... extraSubcommands) {
        Offline.enforce();
        // The progress bar's terminal library (JLine, via progressbar) warns on every bar that its jansi provider is
        // deprecated; that provider is the one the dependency tree ships, and it works.
        if (System.getProperty("org.jline.terminal.disableDeprecatedProviderWarning") == null) {
            System.setProperty("org.jline.terminal.disableDeprecatedProviderWarning", "true");
        }
        CommandLine cli = new CommandLine(new Main());
        for (Object subcommand : extraSubcommands) {
            cli.addSubcommand(subcommand);
        }
        cli.setExecutionExceptionHandler(new Failures());
        cli.setExitCodeExceptionMapper(Failures::exitCode);
        return cli;
    }

    /** Commands that must run while the configured torch is unusable, since they diagnose or repair it. */
    static boolean diagnosing(String... args) {
        return args.length == 0 || Set.of("doctor", "native", "help", "--help", "-h", "--version", "-V")
                .contains(args[0]);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
