package dev.workbench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.workbench.report.ReportBuilder.format;

/**
 * Metric-by-metric diff of two runs' {@code metrics.jsonl}: rows are matched on (stage, subject, dataset, split,
 * metric); the delta is B − A; "better" follows {@code higher_is_better}; when both rows carry an interval the entry
 * says whether the intervals overlap (overlap = the difference may be noise; no overlap is a strong hint, not a test).
 */
public final class RunComparison {

    /** @param better a, b, same, only a, only b */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(@JsonProperty("stage") String stage, @JsonProperty("subject") String subject,
                        @JsonProperty("dataset") String dataset, @JsonProperty("split") String split,
                        @JsonProperty("metric") String metric, @JsonProperty("a") Double a,
                        @JsonProperty("b") Double b, @JsonProperty("delta") Double delta,
                        @JsonProperty("higher_is_better") boolean higherIsBetter,
                        @JsonProperty("better") String better,
                        @JsonProperty("intervals_overlap") Boolean intervalsOverlap) {
    }

    public record Comparison(@JsonProperty("run_a") String runA, @JsonProperty("run_b") String runB,
                             @JsonProperty("entries") List<Entry> entries) {
    }

    private RunComparison() {
    }

    public static Comparison compare(Path runA, Path runB) throws IOException {
        return compare(name(runA), read(runA), name(runB), read(runB));
    }

    private static List<MetricRow> read(Path run) throws IOException {
        Path file = run.resolve(RunFolder.METRICS);
        if (!Files.isRegularFile(file)) {
            throw WorkbenchException.invalid(run + ": no " + RunFolder.METRICS + "; not a run folder");
        }
        return MetricsLog.read(file);
    }

    private static String name(Path run) {
        return RunStore.readManifest(run).map(m -> m.runId()).orElse(run.getFileName().toString());
    }

    public static Comparison compare(String nameA, List<MetricRow> a, String nameB, List<MetricRow> b) {
        Map<String, MetricRow> byKeyA = index(a);
        Map<String, MetricRow> byKeyB = index(b);
        TreeMap<String, Entry> entries = new TreeMap<>();
        for (String key : union(byKeyA, byKeyB)) {
            MetricRow ra = byKeyA.get(key);
            MetricRow rb = byKeyB.get(key);
            MetricRow any = ra != null ? ra : rb;
            Double va = ra == null ? null : ra.value();
            Double vb = rb == null ? null : rb.value();
            Double delta = va != null && vb != null ? vb - va : null;
            String better;
            if (ra == null) {
                better = "only b";
            } else if (rb == null) {
                better = "only a";
            } else if (delta == 0) {
                better = "same";
            } else {
                better = (delta > 0) == any.higherIsBetter() ? "b" : "a";
            }
            Boolean overlap = null;
            if (ra != null && rb != null && ra.ciLow() != null && ra.ciHigh() != null && rb.ciLow() != null
                    && rb.ciHigh() != null) {
                overlap = ra.ciLow() <= rb.ciHigh() && rb.ciLow() <= ra.ciHigh();
            }
            entries.put(key, new Entry(any.stage(), any.subject(), any.dataset(), any.split(), any.metric(), va, vb,
                    delta, any.higherIsBetter(), better, overlap));
        }
        return new Comparison(nameA, nameB, new ArrayList<>(entries.values()));
    }

    /** Later rows win: a metric logged twice (e.g. a resumed stage) counts once, with its last value. */
    private static Map<String, MetricRow> index(List<MetricRow> rows) {
        Map<String, MetricRow> out = new TreeMap<>();
        for (MetricRow r : rows) {
            out.put(String.join("\u0000", r.stage(), r.dataset(), r.split(), r.subject(), r.metric()), r);
        }
        return out;
    }

    private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return new ArrayList<>(keys);
    }

    public static String json(Comparison c) {
        try {
            return com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(c) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String markdown(Comparison c) {
        StringBuilder md = new StringBuilder("# Compare " + c.runA() + " (A) with " + c.runB() + " (B)\n\n");
        md.append("| stage | dataset | split | subject | metric | A | B | B − A | better | CIs overlap |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        int aWins = 0;
        int bWins = 0;
        for (Entry e : c.entries()) {
            if (e.better().equals("a")) {
                aWins++;
            } else if (e.better().equals("b")) {
                bWins++;
            }
            md.append("| ").append(e.stage()).append(" | ").append(e.dataset()).append(" | ").append(e.split())
                    .append(" | ").append(e.subject()).append(" | ").append(e.metric())
                    .append(e.higherIsBetter() ? " ↑" : " ↓").append(" | ")
                    .append(e.a() == null ? "" : format(e.a())).append(" | ")
                    .append(e.b() == null ? "" : format(e.b())).append(" | ")
                    .append(e.delta() == null ? "" : Headlines.signed(e.delta())).append(" | ")
                    .append(e.better()).append(" | ")
                    .append(e.intervalsOverlap() == null ? "" : e.intervalsOverlap() ? "yes" : "no").append(" |\n");
        }
        md.append("\nA is better on ").append(aWins).append(" metrics, B on ").append(bWins)
                .append(". Where the intervals overlap, the difference may be noise; for a paired test on the same "
                        + "items see each run's eval/tests.json.\n");
        return md.toString();
    }
}
