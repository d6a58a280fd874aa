package dev.workbench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.workbench.eval.EvaluateStage;
import dev.workbench.eval.RunPairTests;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code workbench compare RUN_OR_REPORT...}: two or more runs (run folders, report folders or {@code report.json}
 * files) side by side. Metric rows are aligned on (stage, dataset, split, subject, metric) with deltas against the
 * FIRST run and the best value marked; paired tests against the first run ({@link RunPairTests}, which runs them; this
 * class only places their results); overlaid training curves; and with three or more runs the
 * mean win rate (HELM: for each metric, the share of the other runs a run beats, ties counting half, averaged over the
 * metrics it has).
 */
public final class MultiRunComparison {
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private MultiRunComparison() {
    }

    /** One input. {@code runFolder} is null for a report (no per-example files). */
    record Source(String name, String recipe, String path, Path runFolder, List<MetricRow> rows,
                  List<Report.Curve> curves, String warning) {
        Source(String name, String recipe, String path, Path runFolder, List<MetricRow> rows,
               List<Report.Curve> curves) {
            this(name, recipe, path, runFolder, rows, curves, null);
        }
    }

    /** @param warning why this run's numbers may be incomplete (a {@code .partial} or failed run); null when none */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunRef(@JsonProperty("name") String name, @JsonProperty("recipe") String recipe,
                         @JsonProperty("path") String path, @JsonProperty("kind") String kind,
                         @JsonProperty("warning") String warning) {
    }

    /**
     * One aligned metric. {@code values[i]} is run i's value (null when absent), {@code deltas[i]} = values[i] −
     * values[0], {@code best} the indices of the best value (several on a tie).
     */
    public record Row(@JsonProperty("stage") String stage, @JsonProperty("dataset") String dataset,
                      @JsonProperty("split") String split, @JsonProperty("subject") String subject,
                      @JsonProperty("metric") String metric,
                      @JsonProperty("higher_is_better") boolean higherIsBetter,
                      @JsonProperty("values") List<Double> values, @JsonProperty("deltas") List<Double> deltas,
                      @JsonProperty("best") List<Integer> best) {
    }

    public record WinRate(@JsonProperty("run") String run, @JsonProperty("mean_win_rate") double meanWinRate,
                          @JsonProperty("metrics") int metrics) {
    }

    /** One run's training curve of one task. */
    public record RunCurve(@JsonProperty("run") String run, @JsonProperty("curve") Report.Curve curve) {
    }

    /**
     * One model of the cross-domain matrix: a subject ({@code base}, {@code finetuned}) of one run, with its test bits
     * per byte on each domain of {@link DomainMatrix#domains()} (null where that run did not score that domain).
     */
    public record DomainModel(@JsonProperty("run") String run, @JsonProperty("subject") String subject,
                              @JsonProperty("bits_per_byte") List<Double> bitsPerByte) {
    }

    /**
     * Model × domain table of test bits per byte, read from the runs' metric rows (dataset {@code <domain>/text},
     * split test, metric bits_per_byte); {@code best[j]} holds the indices of the models with the lowest value on
     * domain j (empty when fewer than two models scored it).
     */
    public record DomainMatrix(@JsonProperty("domains") List<String> domains,
                               @JsonProperty("models") List<DomainModel> models,
                               @JsonProperty("best") List<List<Integer>> best) {
    }

    /**
     * @param winRates null with fewer than three runs; @param curves task → every run's curve of that task;
     * @param domains null unless the runs cover two or more domains
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Comparison(@JsonProperty("schema_version") int schemaVersion,
                             @JsonProperty("runs") List<RunRef> runs, @JsonProperty("rows") List<Row> rows,
                             @JsonProperty("tests") List<RunPairTests.PairedTest> tests,
                             @JsonProperty("win_rates") List<WinRate> winRates,
                             @JsonProperty("curves") Map<String, List<RunCurve>> curves,
                             @JsonProperty("domain_matrix") DomainMatrix domainMatrix) {
    }

    // ---- loading ----

    public static Comparison compare(List<Path> inputs) throws IOException {
        if (inputs.size() < 2) {
            throw WorkbenchException.invalid("compare needs at least two runs or reports, got " + inputs.size());
        }
        List<Source> sources = new ArrayList<>();
        for (Path p : inputs) {
            sources.add(load(p));
        }
        uniqueNames(sources);
        return compareSources(sources);
    }

    static Source load(Path input) throws IOException {
        if (Files.isDirectory(input) && Files.isRegularFile(input.resolve(RunFolder.METRICS))) {
            String name = RunStore.readManifest(input).map(m -> m.runId()).orElse(input.getFileName().toString());
            String recipe = RunStore.readManifest(input).map(m -> m.recipeName()).orElse("");
            String status = RunStore.readManifest(input).map(m -> m.status()).orElse(null);
            boolean partial = input.getFileName().toString().endsWith(RunStore.PARTIAL_SUFFIX);
            return new Source(name, recipe, input.toString(), input, MetricsLog.read(input.resolve(RunFolder.METRICS)),
                    ReportBuilder.curves(input), incomplete(name, partial, status));
        }
        Path json = Files.isDirectory(input) ? input.resolve(ReportWriter.JSON) : input;
        if (!Files.isRegularFile(json)) {
            throw WorkbenchException.invalid(input + ": neither a run folder (no " + RunFolder.METRICS
                    + ") nor a report (no " + ReportWriter.JSON + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
            List<MetricRow> rows = JSON.convertValue(root.path("metrics"), new TypeReference<List<MetricRow>>() { });
            List<Report.Curve> curves = new ArrayList<>();
            for (String section : List.of("language_model", "classifier")) {
                if (root.path(section).has("curves")) {
                    curves.addAll(JSON.convertValue(root.path(section).get("curves"),
                            new TypeReference<List<Report.Curve>>() { }));
                }
            }
            String name = root.path("run").path("run_id").asText(input.getFileName().toString());
            String status = root.path("run").path("status").asText(null);
            return new Source(name, root.path("run").path("recipe_name").asText(""), input.toString(), null,
                    rows == null ? List.of() : rows, curves, incomplete(name, false, status));
        } catch (IOException | IllegalArgumentException e) {
            throw WorkbenchException.invalid(json + ": not a workbench report.json: " + e.getMessage());
        }
    }

    /** Why a run's metrics may be missing, or null for a completed run. */
    static String incomplete(String name, boolean partial, String status) {
        if (partial) {
            return name + " is a .partial run (still running, interrupted or failed; status " + (status == null
                    ? "unknown, no manifest" : status) + "): stages it did not finish left no metrics, so its empty "
                    + "cells are missing results, not equal ones.";
        }
        if (status != null && !status.equals("completed")) {
            return name + " has status " + status + ": stages it did not finish left no metrics, so its empty cells "
                    + "are missing results.";
        }
        return null;
    }

    /** The same run given twice, or two runs with one id, get #2, #3 suffixes so every column is distinct. */
    private static void uniqueNames(List<Source> sources) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            int count = seen.merge(s.name(), 1, Integer::sum);
            if (count > 1) {
                sources.set(i, new Source(s.name() + " #" + count, s.recipe(), s.path(), s.runFolder(), s.rows(),
                        s.curves(), s.warning()));
            }
        }
    }

    static Comparison compareSources(List<Source> sources) throws IOException {
        List<RunRef> runs = sources.stream().map(s -> new RunRef(s.name(), s.recipe(), s.path(),
                s.runFolder() != null ? "run" : "report", s.warning())).toList();
        List<Row> rows = align(sources);
        List<RunPairTests.PairedTest> tests = RunPairTests.againstFirst(sources.stream()
                .map(s -> new RunPairTests.Run(s.name(), s.runFolder(), s.rows())).toList());
        Map<String, List<RunCurve>> curves = new TreeMap<>();
        for (Source s : sources) {
            for (Report.Curve c : s.curves()) {
                if (!c.loss().isEmpty()) {
                    curves.computeIfAbsent(c.task(), k -> new ArrayList<>()).add(new RunCurve(s.name(), c));
                }
            }
        }
        return new Comparison(SCHEMA_VERSION, runs, rows, tests,
                sources.size() >= 3 ? winRates(runs, rows) : null, curves, domainMatrix(sources));
    }

    // ---- cross-domain matrix ----

    private static final String TEXT_DATASET_SUFFIX = "/text";
    private static final String EVALUATE_STAGE = EvaluateStage.NAME;

    /** The model × domain bits-per-byte table, or null when the runs' LM test rows name fewer than two domains. */
    static DomainMatrix domainMatrix(List<Source> sources) {
        TreeSet<String> domains = new TreeSet<>();
        // (run index, subject) → domain → row; the evaluate stage's row (which carries the interval) wins over the
        // fine-tune stage's own figure of the same text, else later rows win, as in the aligned table
        Map<List<Object>, Map<String, MetricRow>> cells = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            for (MetricRow r : sources.get(i).rows()) {
                if (r.is(Metric.BITS_PER_BYTE) && r.split().equals("test")
                        && r.dataset().endsWith(TEXT_DATASET_SUFFIX)) {
                    String domain = r.dataset().substring(0, r.dataset().length() - TEXT_DATASET_SUFFIX.length());
                    domains.add(domain);
                    Map<String, MetricRow> byDomain = cells.computeIfAbsent(List.of(i, r.subject()),
                            k -> new TreeMap<>());
                    MetricRow held = byDomain.get(domain);
                    if (held == null || !held.stage().equals(EVALUATE_STAGE) || r.stage().equals(EVALUATE_STAGE)) {
                        byDomain.put(domain, r);
                    }
                }
            }
        }
        if (domains.size() < 2) {
            return null;
        }
        List<String> columns = List.copyOf(domains);
        List<DomainModel> models = new ArrayList<>();
        cells.forEach((key, byDomain) -> {
            List<Double> values = new ArrayList<>();
            columns.forEach(d -> values.add(byDomain.containsKey(d) ? byDomain.get(d).value() : null));
            models.add(new DomainModel(sources.get((Integer) key.get(0)).name(), (String) key.get(1), values));
        });
        List<List<Integer>> best = new ArrayList<>();
        for (int j = 0; j < columns.size(); j++) {
            int column = j;
            best.add(best(models.stream().map(m -> m.bitsPerByte().get(column)).toList(),
                    Metric.BITS_PER_BYTE.higherIsBetter(), Metric.BITS_PER_BYTE.key()));
        }
        return new DomainMatrix(columns, models, best);
    }

    // ---- aligned table ----

    static List<Row> align(List<Source> sources) {
        TreeMap<List<String>, MetricRow[]> byKey = new TreeMap<>(MultiRunComparison::compareKeys);
        for (int i = 0; i < sources.size(); i++) {
            for (MetricRow r : sources.get(i).rows()) { // later rows win (a resumed stage logs again)
                byKey.computeIfAbsent(List.of(r.stage(), r.dataset(), r.split(), r.subject(), r.metric()),
                        k -> new MetricRow[sources.size()])[i] = r;
            }
        }
        List<Row> out = new ArrayList<>();
        byKey.forEach((key, perRun) -> {
            MetricRow any = java.util.Arrays.stream(perRun).filter(Objects::nonNull).findFirst().orElseThrow();
            List<Double> values = new ArrayList<>();
            List<Double> deltas = new ArrayList<>();
            for (MetricRow r : perRun) {
                values.add(r == null ? null : r.value());
                deltas.add(r == null || perRun[0] == null ? null : r.value() - perRun[0].value());
            }
            out.add(new Row(key.get(0), key.get(1), key.get(2), key.get(3), key.get(4), any.higherIsBetter(), values,
                    deltas, best(values, any.higherIsBetter(), key.get(4))));
        });
        return out;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Indices of the best value; none when fewer than two runs have the metric, or for p-values (not a score). */
    static List<Integer> best(List<Double> values, boolean higherIsBetter, String metric) {
        long present = values.stream().filter(v -> v != null && !v.isNaN()).count();
        if (present < 2 || Metric.isPValue(metric)) {
            return List.of();
        }
        double bestValue = values.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue)
                .reduce(higherIsBetter ? Math::max : Math::min).orElseThrow();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null && values.get(i) == bestValue) {
                out.add(i);
            }
        }
        return out.size() == present ? List.of() : out; // all equal: nobody is best
    }

    /**
     * Mean win rate over the metrics (p-values excluded) that at least two runs have: on a metric, a run's win rate is
     * (runs it beats + ½ · ties) / (other runs with the metric).
     */
    static List<WinRate> winRates(List<RunRef> runs, List<Row> rows) {
        double[] sum = new double[runs.size()];
        int[] count = new int[runs.size()];
        for (Row row : rows) {
            if (Metric.isPValue(row.metric())) {
                continue;
            }
            List<Double> v = row.values();
            long present = v.stream().filter(x -> x != null && !x.isNaN()).count();
            if (present < 2) {
                continue;
            }
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i) == null || v.get(i).isNaN()) {
                    continue;
                }
                double wins = 0;
                for (int j = 0; j < v.size(); j++) {
                    if (j == i || v.get(j) == null || v.get(j).isNaN()) {
                        continue;
                    }
                    int c = Double.compare(v.get(i), v.get(j));
                    wins += c == 0 ? 0.5 : (c > 0) == row.higherIsBetter() ? 1 : 0;
                }
                sum[i] += wins / (present - 1);
                count[i]++;
            }
        }
        List<WinRate> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            out.add(new WinRate(runs.get(i).name(), count[i] == 0 ? Double.NaN : sum[i] / count[i], count[i]));
        }
        return out;
    }

    /**
     * A row with no difference to show: every run that has it has the same value (a metric only some runs have is no
     * difference in value; its blanks are explained by the run warnings). The compare page folds these away.
     */
    static boolean unchanged(Row row) {
        List<Double> present = row.values().stream().filter(Objects::nonNull).toList();
        return present.stream().allMatch(v -> v.equals(present.get(0)));
    }

    /** The runs' own p-values (logged as metric rows by each run's evaluate stage): test results, not metrics. */
    static boolean isPValue(Row row) {
        return Metric.isPValue(row.metric());
    }

    // ---- rendering ----

    public static String json(Comparison c) {
        try {
            return JsonMapper.builder().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(c) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
