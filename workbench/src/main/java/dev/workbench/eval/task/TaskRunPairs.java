package dev.workbench.eval.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.eval.PairedTests;
import dev.workbench.eval.RunPairTests;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.JsonLines;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code workbench compare}'s paired tests of evaluation tasks between two runs: for every model ({@code base},
 * {@code finetuned}) and task both runs scored, the items are paired by index and must carry the same item hash
 * (the same prompt text and target) in both; then McNemar for the 0/1 metrics and a paired bootstrap of the mean
 * difference for the others, run − first. Otherwise the test is refused with the reason.
 */
public final class TaskRunPairs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskRunPairs() {
    }

    /** One scored item as its per-item file has it. */
    record Scored(int index, String itemSha256, Map<String, Double> scores) {
    }

    /** The tests of {@code other} against {@code first} on every task both ran. */
    public static List<RunPairTests.PairedTest> between(String firstName, Path first, String otherName, Path other,
                                                        int samples, long seed) throws IOException {
        if (first == null || other == null) {
            return List.of();
        }
        List<RunPairTests.PairedTest> out = new ArrayList<>();
        for (String model : models(first)) {
            for (String task : tasks(first, model)) {
                Path a = RunFolder.evalTaskItems(first, model, task);
                Path b = RunFolder.evalTaskItems(other, model, task);
                String area = "task " + task;
                if (!Files.isRegularFile(b)) {
                    continue; // the other run did not score this task: nothing to pair, nothing to say
                }
                List<Scored> x = read(a);
                List<Scored> y = read(b);
                String mismatch = mismatch(x, y);
                List<String> metrics = new ArrayList<>(x.isEmpty() ? List.of() : x.get(0).scores().keySet());
                metrics.retainAll(y.isEmpty() ? List.of() : y.get(0).scores().keySet());
                for (String metric : metrics) {
                    if (mismatch != null) {
                        out.add(RunPairTests.PairedTest.refused(area, model, otherName, firstName, metric, mismatch));
                        continue;
                    }
                    double[] s = y.stream().mapToDouble(i -> i.scores().get(metric)).toArray();
                    double[] f = x.stream().mapToDouble(i -> i.scores().get(metric)).toArray();
                    if (TaskEvaluation.BINARY.contains(metric)) {
                        PairedTests.McNemar m = PairedTests.mcnemar(TaskEvaluation.right(s),
                                TaskEvaluation.right(f));
                        out.add(new RunPairTests.PairedTest(area, model, otherName, firstName, metric,
                                "mcnemar_" + m.method(), m.n(), m.onlyFirstRight(), m.onlySecondRight(),
                                (m.onlyFirstRight() - m.onlySecondRight()) / (double) m.n(), null, null,
                                m.pValue(), null));
                    } else {
                        PairedTests.PairedBootstrap p = PairedTests.pairedBootstrap(s.length, samples, 0.95, seed,
                                idx -> TaskEvaluation.mean(s, idx) - TaskEvaluation.mean(f, idx));
                        out.add(new RunPairTests.PairedTest(area, model, otherName, firstName, metric,
                                "paired_bootstrap", (long) s.length, null, null, p.observed(),
                                p.interval().low(), p.interval().high(), p.pValue(), null));
                    }
                }
            }
        }
        return out;
    }

    /** Why two per-item files cannot be paired, or null when every index carries the same item. */
    static String mismatch(List<Scored> a, List<Scored> b) {
        if (a.size() != b.size()) {
            long shared = Math.min(a.size(), b.size());
            return shared + " shared items of " + a.size() + " and " + b.size()
                    + " (a different limit or dataset)";
        }
        long different = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).index() != b.get(i).index() || !a.get(i).itemSha256().equals(b.get(i).itemSha256())) {
                different++;
            }
        }
        return different == 0 ? null : "same item count but different items on " + different + " of " + a.size()
                + " (prompt or target differ)";
    }

    private static List<String> models(Path run) throws IOException {
        return list(run.resolve(RunFolder.EVAL_TASKS), true);
    }

    private static List<String> tasks(Path run, String model) throws IOException {
        return list(run.resolve(RunFolder.EVAL_TASKS).resolve(model), false).stream()
                .filter(n -> n.endsWith(".jsonl")).map(n -> n.substring(0, n.length() - ".jsonl".length()))
                .toList();
    }

    private static List<String> list(Path folder, boolean folders) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return new ArrayList<>(new TreeSet<>(entries.filter(p -> folders == Files.isDirectory(p))
                    .map(p -> p.getFileName().toString()).toList()));
        }
    }

    static List<Scored> read(Path file) throws IOException {
        List<Scored> out = new ArrayList<>();
        JsonLines.read(file, JSON, (line, e) -> WorkbenchException.invalid(file + ":" + line + ": not JSON"),
                (line, node) -> {
                    JsonNode scores = node.get("scores");
                    if (scores == null || node.get("item_sha256") == null || node.get("index") == null) {
                        throw WorkbenchException.invalid(file + ":" + line + ": needs index, item_sha256, scores");
                    }
                    Map<String, Double> m = new LinkedHashMap<>();
                    scores.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
                    out.add(new Scored(node.get("index").asInt(), node.get("item_sha256").asText(), m));
                });
        return out;
    }
}
