package dev.workbench.eval.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.eval.Bootstrap;
import dev.workbench.eval.PairedTestResult;
import dev.workbench.eval.PairedTests;
import dev.workbench.recipe.TaskFile;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs evaluation tasks on the base and the fine-tuned model on the same items and turns the per-item scores into
 * what the report reads: metric rows (stage {@code evaluate}, dataset {@code task/<task>}, split {@code test}) with
 * percentile bootstrap intervals over items, paired tests fine-tuned vs base (McNemar for the 0/1 metrics, a paired
 * bootstrap of the mean difference for ROUGE-L and F1; Holm-adjusted within the task) and the per-item files
 * {@code eval/tasks/<model>/<task>.jsonl}.
 */
public final class TaskEvaluation {
    /** The metrics scored 0 or 1 per item, compared by McNemar; the others by a paired bootstrap. */
    static final Set<String> BINARY = Set.of("acc", "acc_norm", "exact_match");
    static final String STAGE = "evaluate";
    static final String SPLIT = "test";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.INDENT_OUTPUT);

    private TaskEvaluation() {
    }

    /** A model to score: {@code base} or {@code finetuned}, and how it answers. */
    public record Subject(String name, ScoringModel model) {
    }

    /** Statistics settings: bootstrap replicates, confidence level and the seed of every resample. */
    public record Statistics(int bootstrapSamples, double confidence, long seed) {
    }

    public record Outcome(List<MetricRow> rows, List<PairedTestResult> tests) {
    }

    /** Start of the dataset name of a task's metric rows: {@code task/<task>}. */
    public static final String DATASET_PREFIX = "task/";

    /** The dataset name of a task's metric rows. */
    public static String dataset(String task) {
        return DATASET_PREFIX + task;
    }

    /**
     * Scores every task on every subject, writes the per-item files into {@code runFolder} and returns the rows and
     * tests (tests only when both {@code base} and {@code finetuned} are among the subjects).
     */
    public static Outcome run(List<TaskFile> tasks, List<Subject> subjects, PromptFormat format, Path runFolder,
                              Statistics stats, PrintStream log) throws IOException {
        List<MetricRow> rows = new ArrayList<>();
        List<PairedTestResult> tests = new ArrayList<>();
        for (TaskFile task : tasks) {
            TaskRunner runner = new TaskRunner(task);
            TaskRunner.Inputs inputs = runner.inputs();
            Map<String, List<TaskRunner.ItemResult>> results = new LinkedHashMap<>();
            for (Subject subject : subjects) {
                long start = System.nanoTime();
                List<TaskRunner.ItemResult> items = runner.run(inputs, subject.model(), format);
                log.printf("evaluate: task %s on %s: %d items in %.1f s%n", task.task(), subject.name(),
                        items.size(), (System.nanoTime() - start) / 1e9);
                writeItems(RunFolder.evalTaskItems(runFolder, subject.name(), task.task()), items);
                results.put(subject.name(), items);
            }
            Outcome outcome = score(task, results, stats);
            rows.addAll(outcome.rows());
            tests.addAll(outcome.tests());
        }
        return new Outcome(rows, tests);
    }

    /** Rows and paired tests of one task from its per-item results by subject. */
    public static Outcome score(TaskFile task, Map<String, List<TaskRunner.ItemResult>> results, Statistics stats) {
        String dataset = dataset(task.task());
        List<MetricRow> rows = new ArrayList<>();
        for (Map.Entry<String, List<TaskRunner.ItemResult>> e : results.entrySet()) {
            for (TaskFile.MetricSpec m : task.metrics()) {
                double[] scores = scores(e.getValue(), m.name());
                Bootstrap.Result mean = Bootstrap.run(scores.length, stats.bootstrapSamples(), stats.confidence(),
                        stats.seed(), idx -> mean(scores, idx));
                rows.add(MetricRow.of(STAGE, e.getKey(), dataset, SPLIT, Metric.of(m.name()).orElseThrow(),
                        mean.observed(), scores.length).withInterval(mean.interval().low(), mean.interval().high()));
            }
        }
        List<PairedTestResult> family = new ArrayList<>();
        List<TaskRunner.ItemResult> base = results.get("base");
        List<TaskRunner.ItemResult> tuned = results.get("finetuned");
        if (base != null && tuned != null) {
            String name = PairedTestResult.TASK_FAMILY_PREFIX + task.task();
            for (TaskFile.MetricSpec m : task.metrics()) {
                double[] b = scores(base, m.name());
                double[] t = scores(tuned, m.name());
                if (BINARY.contains(m.name())) {
                    family.add(PairedTestResult.mcnemar(name, dataset, "finetuned", "base", m.name(), right(t),
                            right(b), stats.bootstrapSamples(), stats.confidence(), stats.seed()));
                } else {
                    PairedTests.PairedBootstrap diff = PairedTests.pairedBootstrap(t.length,
                            stats.bootstrapSamples(), stats.confidence(), stats.seed(),
                            idx -> mean(t, idx) - mean(b, idx));
                    family.add(PairedTestResult.bootstrap(name, dataset, "finetuned", "base", m.name(), t.length,
                            diff));
                }
            }
        }
        double[] adjusted = PairedTests.holm(family.stream().mapToDouble(PairedTestResult::pValue).toArray());
        List<PairedTestResult> tests = new ArrayList<>();
        for (int i = 0; i < family.size(); i++) {
            tests.add(family.get(i).withHolm(adjusted[i]));
        }
        return new Outcome(rows, tests);
    }

    static double[] scores(List<TaskRunner.ItemResult> items, String metric) {
        return items.stream().mapToDouble(r -> r.scores().get(metric)).toArray();
    }

    /** Per-item 0/1 scores as right/wrong, for McNemar. */
    static boolean[] right(double[] scores) {
        boolean[] out = new boolean[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scores[i] == 1;
        }
        return out;
    }

    /** Mean of {@code values} over the resampled items {@code idx}. */
    static double mean(double[] values, int[] idx) {
        double sum = 0;
        for (int i : idx) {
            sum += values[i];
        }
        return sum / idx.length;
    }

    /** One JSON object a line: what a reader needs to look at a failure. */
    static void writeItems(Path file, List<TaskRunner.ItemResult> items) throws IOException {
        Files.createDirectories(file.getParent());
        RunFolder.writeAtomically(file, writer -> {
            for (TaskRunner.ItemResult r : items) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("index", r.index());
                line.put("source", r.where());
                line.put("item_sha256", r.itemSha256());
                line.put("prompt", r.prompt());
                line.put("target", r.target());
                if (r.logLikelihoods() != null) {
                    line.put("choices", r.choices());
                    line.put("choice_loglikelihoods", r.logLikelihoods());
                    line.put("gold", r.gold());
                    line.put("predicted", TaskMetrics.argMax(r.logLikelihoods()));
                } else {
                    line.put("output", r.output());
                    line.put("answer", r.answer());
                }
                line.put("scores", r.scores());
                writer.write(JSON.writeValueAsString(line));
                writer.write('\n');
            }
        });
    }
}
