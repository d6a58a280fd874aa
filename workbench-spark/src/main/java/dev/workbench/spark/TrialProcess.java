package dev.workbench.spark;

import dev.workbench.cli.RecipeRun;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One sweep trial in a JVM of its own, started by the trial's Spark task. A run cannot share its JVM with another:
 * DJL's PyTorch engine allows one gradient collector per process and one global random seed, so two trainings in one
 * executor JVM would fail or perturb each other. The task waits for this process; its output goes to the trial's log.
 * Uses no Spark class: the process's class path is workbench's, whether Spark put it there or spark-submit's jar.
 */
public final class TrialProcess {

    private TrialProcess() {
    }

    /** {@code TrialProcess SWEEP_FOLDER TRIAL_INDEX}: runs the trial as planned, writes trials/NNN.json. */
    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        int index = Integer.parseInt(args[1]);
        Sweep.Plan plan = Sweep.readPlan(folder);
        SweepGrid.Trial trial = plan.trials().stream().filter(t -> t.index() == index).findFirst().orElseThrow();
        List<String> overrides = new ArrayList<>(plan.sets());
        overrides.addAll(trial.overrides());
        long start = System.nanoTime();
        Sweep.TrialResult result;
        try {
            RecipeRun.Finished finished = RecipeRun.run(Path.of(plan.recipe()), overrides, Path.of(plan.runs()),
                    Path.of(plan.reports()), System.err);
            result = new Sweep.TrialResult(index, trial.overrides(), Sweep.COMPLETED, finished.runId(),
                    finished.runFolder().toString(), null, (System.nanoTime() - start) / 1e9);
        } catch (Exception | Error e) {
            e.printStackTrace();
            result = new Sweep.TrialResult(index, trial.overrides(), Sweep.FAILED, null, null,
                    e.getMessage() == null ? e.getClass().getName() : e.getMessage(),
                    (System.nanoTime() - start) / 1e9);
        }
        Sweep.writeResult(folder, result);
        System.exit(Sweep.COMPLETED.equals(result.status()) ? 0 : 1);
    }

    /**
     * Starts the trial's JVM and waits for it; a process that ends without writing its result (killed, crashed)
     * gets a failed result naming its exit code and log.
     *
     * @param threads the task's cores (spark.task.cpus): PyTorch's intra-op threads in the trial
     * @param gpus     the task's GPUs (Spark's GPU scheduling): the only ones the trial's process sees
     */
    static Sweep.TrialResult run(Path folder, SweepGrid.Trial trial, int threads, List<String> gpus)
            throws IOException, InterruptedException {
        Path log = folder.resolve(Sweep.TRIALS).resolve(Sweep.trialName(trial.index()) + ".log");
        Files.deleteIfExists(Sweep.resultFile(folder, trial.index()));
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xss8m", "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-DDJL_DISABLE_PROGRESS_BAR=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1"));
        Optional.ofNullable(System.getenv("WORKBENCH_TRIAL_JAVA_OPTS")).filter(s -> !s.isBlank())
                .ifPresent(opts -> command.addAll(List.of(opts.trim().split("\\s+"))));
        command.addAll(List.of("-cp", classPath(), TrialProcess.class.getName(), folder.toString(),
                Integer.toString(trial.index())));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("DJL_OFFLINE", "true");
        if (!gpus.isEmpty()) {
            builder.environment().put("CUDA_VISIBLE_DEVICES", String.join(",", gpus));
        }
        Process process = builder.start();
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy(); // the task was killed (job cancelled): so is its trial
            throw e;
        }
        Optional<Sweep.TrialResult> written = Sweep.readResult(folder, trial.index());
        return written.orElseGet(() -> new Sweep.TrialResult(trial.index(), trial.overrides(), Sweep.FAILED, null,
                null, String.format(Locale.ROOT, "the trial's process ended with exit code %d without a result; "
                        + "see %s", exit, log), 0));
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** This JVM's class path, plus the jar or folder this class came from (spark-submit adds its jar elsewhere). */
    private static String classPath() {
        String path = System.getProperty("java.class.path");
        try {
            String own = new File(TrialProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getPath();
            return List.of(path.split(File.pathSeparator)).contains(own) ? path : own + File.pathSeparator + path;
        } catch (URISyntaxException | NullPointerException e) {
            return path;
        }
    }
}
