package dev.workbench.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.report.ComparisonReport;
import dev.workbench.report.MultiRunComparison;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A sweep folder and its execution. The folder (on a path every executor shares) holds {@code sweep.json}, the plan
 * written before any trial starts, and {@code trials/NNN.json}, written by the Spark task that ran trial NNN when it
 * ends (completed or failed, with its error), next to {@code trials/NNN.log}. A trial is one ordinary run
 * ({@link dev.workbench.cli.RecipeRun}) in a process of its own ({@link TrialProcess}); {@code --resume} re-runs the
 * trials with no completed result. The ranking and the
 * {@code compare/} report are rebuilt from those files.
 */
public final class Sweep {
    public static final String PLAN = "sweep.json";
    public static final String TRIALS = "trials";
    public static final String SUMMARY = "sweep.md";
    public static final String COMPARE = "compare";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    /** What is tried first when no --metric is given: a classifier's accuracy, an LM's bits per byte, synthetic quality. */
    public static final List<String> DEFAULT_METRICS = List.of("finetuned/accuracy", "finetuned/bits_per_byte",
            "quality_score");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The plan: absolute paths, so executors and a later --resume read the same files. */
    public record Plan(String sweepId, String recipe, List<String> sets, Map<String, List<String>> grid,
                       String search, long seed, String metric, String runs, String reports,
                       List<SweepGrid.Trial> trials) {
    }

    /** One trial's end, as its task wrote it. */
    public record TrialResult(int index, List<String> overrides, String status, String runId, String runFolder,
                              String error, double seconds) implements Serializable {
    }

    /** A completed trial with its value of the ranking metric (null when its run has no such row). */
    public record Ranked(TrialResult trial, Double value) {
    }

    /** @param compareFolder empty when fewer than two trials completed */
    public record Outcome(Path folder, String metric, List<Ranked> ranking, List<TrialResult> failed,
                          Optional<Path> compareFolder) {
    }

    private Sweep() {
    }

    public static void writePlan(Path folder, Plan plan) throws IOException {
        Files.createDirectories(folder.resolve(TRIALS));
        RunFolder.writeAtomically(folder.resolve(PLAN),
                JSON.writeValueAsString(plan).getBytes(StandardCharsets.UTF_8));
    }

    public static Plan readPlan(Path folder) throws IOException {
        Path file = folder.resolve(PLAN);
        if (!Files.isRegularFile(file)) {
            throw WorkbenchException.invalid(folder + ": not a sweep folder (no " + PLAN + ")");
        }
        return JSON.readValue(file.toFile(), Plan.class);
    }

    /** Every trial result written so far, by trial index. */
    public static Map<Integer, TrialResult> results(Path folder) throws IOException {
        Map<Integer, TrialResult> results = new TreeMap<>();
        Path trials = folder.resolve(TRIALS);
        if (!Files.isDirectory(trials)) {
            return results;
        }
        try (Stream<Path> files = Files.list(trials)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                TrialResult r = JSON.readValue(file.toFile(), TrialResult.class);
                results.put(r.index(), r);
            }
        }
        return results;
    }

    /** Runs every trial of the plan without a completed result, one Spark task each, then ranks and compares. */
    public static Outcome run(SparkSession spark, Path folder, Plan plan) throws IOException {
        Map<Integer, TrialResult> done = results(folder);
        List<SweepGrid.Trial> todo = plan.trials().stream()
                .filter(t -> !Optional.ofNullable(done.get(t.index())).map(r -> COMPLETED.equals(r.status()))
                        .orElse(false))
                .toList();
        if (!todo.isEmpty()) {
            String dir = folder.toAbsolutePath().toString();
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            context.setJobDescription("workbench sweep " + plan.sweepId() + ": " + todo.size() + " trials");
            // one partition per trial: each trial is one task, holding spark.task.cpus cores while its process runs
            context.parallelize(new ArrayList<>(todo), todo.size())
                    .map(trial -> TrialProcess.run(Path.of(dir), trial, TaskContext.get().cpus(), gpus()))
                    .collect();
        }
        return rank(folder, plan);
    }

    /** The GPUs Spark assigned to this task (spark.task.resource.gpu.amount), none without GPU scheduling. */
    private static List<String> gpus() {
        org.apache.spark.resource.ResourceInformation gpu = TaskContext.get().resourcesJMap().get("gpu");
        return gpu == null ? List.of() : List.of(gpu.addresses());
    }

    static String trialName(int index) {
        return String.format(Locale.ROOT, "%03d", index);
    }

    static Path resultFile(Path folder, int index) {
        return folder.resolve(TRIALS).resolve(trialName(index) + ".json");
    }

    static void writeResult(Path folder, TrialResult result) throws IOException {
        RunFolder.writeAtomically(resultFile(folder, result.index()),
                JSON.writeValueAsString(result).getBytes(StandardCharsets.UTF_8));
    }

    static Optional<TrialResult> readResult(Path folder, int index) throws IOException {
        Path file = resultFile(folder, index);
        return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), TrialResult.class))
                : Optional.empty();
    }

    /** Ranks the completed trials by the metric (best first), writes the compare report and sweep.md. */
    public static Outcome rank(Path folder, Plan plan) throws IOException {
        Map<Integer, TrialResult> results = results(folder);
        List<TrialResult> completed = new ArrayList<>();
        List<TrialResult> failed = new ArrayList<>();
        for (SweepGrid.Trial trial : plan.trials()) {
            TrialResult r = results.get(trial.index());
            if (r != null && COMPLETED.equals(r.status())) {
                completed.add(r);
            } else {
                failed.add(r != null ? r : new TrialResult(trial.index(), trial.overrides(), "not run", null, null,
                        "the sweep ended before this trial did; run sweep --resume " + folder, 0));
            }
        }
        String metric = plan.metric() != null ? plan.metric() : defaultMetric(completed);
        List<Ranked> ranking = new ArrayList<>();
        Boolean higherIsBetter = null;
        for (TrialResult r : completed) {
            Optional<MetricRow> row = metricRow(Path.of(r.runFolder()), metric);
            ranking.add(new Ranked(r, row.map(MetricRow::value).orElse(null)));
            if (row.isPresent()) {
                higherIsBetter = row.get().higherIsBetter();
            }
        }
        boolean higher = higherIsBetter == null || higherIsBetter;
        Comparator<Double> better = higher ? Comparator.reverseOrder() : Comparator.naturalOrder();
        // stable: equal values keep trial order; trials without the metric go last
        ranking.sort(Comparator.comparing(Ranked::value, Comparator.nullsLast(better)));
        Optional<Path> compare = Optional.empty();
        if (ranking.size() >= 2) {
            MultiRunComparison.Comparison c = MultiRunComparison.compare(
                    ranking.stream().map(r -> Path.of(r.trial().runFolder())).toList());
            ComparisonReport.write(c, folder.resolve(COMPARE));
            compare = Optional.of(folder.resolve(COMPARE));
        }
        Outcome outcome = new Outcome(folder, metric, ranking, failed, compare);
        RunFolder.writeAtomically(folder.resolve(SUMMARY),
                markdown(plan, outcome, higher).getBytes(StandardCharsets.UTF_8));
        return outcome;
    }

    /**
     * The run's row for {@code [subject/]metric}: that metric (of that subject, or a subject starting with it, e.g.
     * {@code finetuned} matches {@code finetuned-lora}), on the test split when there is one.
     */
    static Optional<MetricRow> metricRow(Path runFolder, String spec) throws IOException {
        int slash = spec.lastIndexOf('/');
        String subject = slash < 0 ? null : spec.substring(0, slash);
        String name = spec.substring(slash + 1);
        List<MetricRow> rows = MetricsLog.read(runFolder.resolve(RunFolder.METRICS)).stream()
                .filter(r -> r.metric().equals(name) && (subject == null || r.subject().startsWith(subject)))
                .toList();
        return rows.stream().filter(r -> "test".equals(r.split())).findFirst().or(() -> rows.stream().findFirst());
    }

    private static String defaultMetric(List<TrialResult> completed) throws IOException {
        for (String candidate : DEFAULT_METRICS) {
            for (TrialResult r : completed) {
                if (metricRow(Path.of(r.runFolder()), candidate).isPresent()) {
                    return candidate;
                }
            }
        }
        return DEFAULT_METRICS.get(0);
    }

    static String markdown(Plan plan, Outcome outcome, boolean higherIsBetter) {
        StringBuilder md = new StringBuilder();
        md.append("# Sweep ").append(plan.sweepId()).append(" of ").append(plan.recipe()).append("\n\n");
        md.append("Ranked by `").append(outcome.metric()).append("` (").append(higherIsBetter ? "higher" : "lower")
                .append(" is better); ").append(outcome.ranking().size()).append(" of ").append(plan.trials().size())
                .append(" trials completed.").append(outcome.compareFolder().map(c -> " Paired tests against the "
                        + "best trial: " + COMPARE + "/" + ComparisonReport.MARKDOWN + ".").orElse("")).append("\n\n");
        md.append("| rank | trial | overrides | ").append(outcome.metric()).append(" | run |\n|---|---|---|---|---|\n");
        int rank = 1;
        for (Ranked r : outcome.ranking()) {
            md.append("| ").append(rank++).append(" | ").append(r.trial().index()).append(" | `")
                    .append(String.join(" ", r.trial().overrides())).append("` | ")
                    .append(r.value() == null ? "—" : String.format(Locale.ROOT, "%.4f", r.value())).append(" | ")
                    .append(r.trial().runId()).append(" |\n");
        }
        if (!outcome.failed().isEmpty()) {
            md.append("\n## Not completed\n\n| trial | overrides | status | error |\n|---|---|---|---|\n");
            for (TrialResult f : outcome.failed()) {
                md.append("| ").append(f.index()).append(" | `").append(String.join(" ", f.overrides()))
                        .append("` | ").append(f.status()).append(" | ")
                        .append(f.error() == null ? "" : f.error().replace('\n', ' ').replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        return md.toString();
    }
}
