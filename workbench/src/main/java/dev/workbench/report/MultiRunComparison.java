package dev.workbench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.workbench.eval.Bootstrap;
import dev.workbench.eval.LanguageModelMetrics;
import dev.workbench.eval.PairedTests;
import dev.workbench.eval.RunFiles;
import dev.workbench.eval.Samples;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
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
 * FIRST run and the best value marked; paired tests against the first run where the runs' per-example files show the
 * same items (else the test is refused, with the reason); overlaid training curves; and with three or more runs the
 * mean win rate (HELM: for each metric, the share of the other runs a run beats, ties counting half, averaged over the
 * metrics it has).
 */
public final class MultiRunComparison {
    public static final int SCHEMA_VERSION = 1;
    /** Family-wise error rate of the "what differs significantly" list (Holm-corrected). */
    static final double SIGNIFICANCE = 0.05;
    /** Bootstrap replicates and seed of the LM paired test: fixed, so the same runs always give the same report. */
    static final int BOOTSTRAP_SAMPLES = 2000;
    static final long BOOTSTRAP_SEED = 42;

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

    /**
     * A paired test of run {@code run} against the first run, or its refusal ({@code refused} says why; the numbers
     * are then null).
     *
     * @param test {@code mcnemar_exact}, {@code mcnemar_chi2_continuity} or {@code paired_bootstrap}
     * @param difference run − first (accuracy, or bits per byte)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PairedTest(@JsonProperty("area") String area, @JsonProperty("subject") String subject,
                             @JsonProperty("run") String run, @JsonProperty("against") String against,
                             @JsonProperty("metric") String metric, @JsonProperty("test") String test,
                             @JsonProperty("n") Long n, @JsonProperty("only_run_right") Long onlyRunRight,
                             @JsonProperty("only_against_right") Long onlyAgainstRight,
                             @JsonProperty("difference") Double difference, @JsonProperty("ci_low") Double ciLow,
                             @JsonProperty("ci_high") Double ciHigh, @JsonProperty("p_value") Double pValue,
                             @JsonProperty("refused") String refused,
                             @JsonProperty("p_value_holm") Double pValueHolm) {
        PairedTest(String area, String subject, String run, String against, String metric, String test, Long n,
                   Long onlyRunRight, Long onlyAgainstRight, Double difference, Double ciLow, Double ciHigh,
                   Double pValue, String refused) {
            this(area, subject, run, against, metric, test, n, onlyRunRight, onlyAgainstRight, difference, ciLow,
                    ciHigh, pValue, refused, null);
        }

        /** Significant at 5 % after Holm's correction over every test of the comparison. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean significant() {
            return pValueHolm != null && pValueHolm < SIGNIFICANCE;
        }

        static PairedTest refused(String area, String subject, String run, String against, String metric,
                                  String why) {
            return new PairedTest(area, subject, run, against, metric, null, null, null, null, null, null, null, null,
                    why);
        }
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
                             @JsonProperty("tests") List<PairedTest> tests,
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
        if (Files.isDirectory(input) && Files.isRegularFile(input.resolve(RunStore.METRICS))) {
            String name = RunStore.readManifest(input).map(m -> m.runId()).orElse(input.getFileName().toString());
            String recipe = RunStore.readManifest(input).map(m -> m.recipeName()).orElse("");
            String status = RunStore.readManifest(input).map(m -> m.status()).orElse(null);
            boolean partial = input.getFileName().toString().endsWith(RunStore.PARTIAL_SUFFIX);
            return new Source(name, recipe, input.toString(), input, MetricsLog.read(input.resolve(RunStore.METRICS)),
                    ReportBuilder.curves(input), incomplete(name, partial, status));
        }
        Path json = Files.isDirectory(input) ? input.resolve(ReportWriter.JSON) : input;
        if (!Files.isRegularFile(json)) {
            throw WorkbenchException.invalid(input + ": neither a run folder (no " + RunStore.METRICS
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
        List<PairedTest> tests = new ArrayList<>();
        for (int i = 1; i < sources.size(); i++) {
            tests.addAll(classifierTests(sources.get(0), sources.get(i)));
            tests.addAll(languageModelTests(sources.get(0), sources.get(i)));
        }
        tests = holm(tests);
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
    private static final String EVALUATE_STAGE = "evaluate";

    /** The model × domain bits-per-byte table, or null when the runs' LM test rows name fewer than two domains. */
    static DomainMatrix domainMatrix(List<Source> sources) {
        TreeSet<String> domains = new TreeSet<>();
        // (run index, subject) → domain → row; the evaluate stage's row (which carries the interval) wins over the
        // fine-tune stage's own figure of the same text, else later rows win, as in the aligned table
        Map<List<Object>, Map<String, MetricRow>> cells = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            for (MetricRow r : sources.get(i).rows()) {
                if (r.metric().equals("bits_per_byte") && r.split().equals("test")
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
            best.add(best(models.stream().map(m -> m.bitsPerByte().get(column)).toList(), false, "bits_per_byte"));
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
        if (present < 2 || metric.startsWith("p_value_")) {
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
            if (row.metric().startsWith("p_value_")) {
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

    // ---- paired tests ----

    private static String datasetOf(Source s, String subject, String metric) {
        return s.rows().stream().filter(r -> r.stage().equals("evaluate") && r.subject().equals(subject)
                && r.metric().equals(metric) && r.split().equals("test")).map(MetricRow::dataset)
                .reduce((a, b) -> b).orElse(null);
    }

    /** Every test with its Holm-adjusted p-value, the family being every test (not refused) of this comparison. */
    static List<PairedTest> holm(List<PairedTest> tests) {
        double[] p = tests.stream().filter(t -> t.pValue() != null).mapToDouble(PairedTest::pValue).toArray();
        double[] adjusted = PairedTests.holm(p);
        List<PairedTest> out = new ArrayList<>();
        int k = 0;
        for (PairedTest t : tests) {
            out.add(t.pValue() == null ? t : new PairedTest(t.area(), t.subject(), t.run(), t.against(), t.metric(),
                    t.test(), t.n(), t.onlyRunRight(), t.onlyAgainstRight(), t.difference(), t.ciLow(), t.ciHigh(),
                    t.pValue(), t.refused(), adjusted[k++]));
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
        return row.metric().startsWith("p_value_");
    }

    static List<PairedTest> classifierTests(Source first, Source other) throws IOException {
        String area = "classifier";
        Map<String, List<Samples.Sample>> a = samples(first);
        Map<String, List<Samples.Sample>> b = samples(other);
        if (a == null || b == null) {
            if (a == null && b == null) {
                return List.of();
            }
            Source missing = a == null ? first : other;
            return List.of(PairedTest.refused(area, "*", other.name(), first.name(), "accuracy",
                    missing.name() + " has no " + RunFiles.EVAL_SAMPLES
                            + (missing.runFolder() == null ? " (a report holds no per-example predictions; "
                            + "compare run folders)" : " (evaluated before per-example files existed?)")));
        }
        List<PairedTest> out = new ArrayList<>();
        for (String subject : new TreeSet<>(a.keySet())) {
            if (!b.containsKey(subject)) {
                continue;
            }
            String datasetA = datasetOf(first, subject, "accuracy");
            String datasetB = datasetOf(other, subject, "accuracy");
            if (!Objects.equals(datasetA, datasetB)) {
                out.add(PairedTest.refused(area, subject, other.name(), first.name(), "accuracy",
                        "different datasets: " + datasetA + " vs " + datasetB));
                continue;
            }
            String mismatch = itemMismatch(a.get(subject), b.get(subject));
            if (mismatch != null) {
                out.add(PairedTest.refused(area, subject, other.name(), first.name(), "accuracy", mismatch));
                continue;
            }
            Map<String, Samples.Sample> firstById = new LinkedHashMap<>();
            a.get(subject).forEach(s -> firstById.put(s.id(), s));
            List<Samples.Sample> second = b.get(subject);
            boolean[] runRight = new boolean[second.size()];
            boolean[] againstRight = new boolean[second.size()];
            for (int i = 0; i < second.size(); i++) {
                runRight[i] = second.get(i).correct();
                againstRight[i] = firstById.get(second.get(i).id()).correct();
            }
            PairedTests.McNemar m = PairedTests.mcnemar(runRight, againstRight);
            double difference = (m.onlyFirstRight() - m.onlySecondRight()) / (double) m.n();
            out.add(new PairedTest(area, subject, other.name(), first.name(), "accuracy", "mcnemar_" + m.method(),
                    m.n(), m.onlyFirstRight(), m.onlySecondRight(), difference, null, null, m.pValue(), null));
            out.add(macroF1Bootstrap(subject, other.name(), first.name(), a.get(subject), second,
                    BOOTSTRAP_SAMPLES, BOOTSTRAP_SEED));
        }
        return out;
    }

    /**
     * Paired bootstrap of macro-F1 (run − first) on items already known to match: both runs' predictions are taken
     * in id order and resampled with the same indices, so the interval reflects the difference, not the two
     * variances.
     */
    static PairedTest macroF1Bootstrap(String subject, String run, String against, List<Samples.Sample> firstRun,
                                       List<Samples.Sample> otherRun, int samples, long seed) {
        Map<String, Samples.Sample> byIdFirst = new TreeMap<>();
        firstRun.forEach(s -> byIdFirst.put(s.id(), s));
        Map<String, Samples.Sample> byIdOther = new TreeMap<>();
        otherRun.forEach(s -> byIdOther.put(s.id(), s));
        List<String> gold = new ArrayList<>();
        List<String> predictedFirst = new ArrayList<>();
        List<String> predictedOther = new ArrayList<>();
        byIdFirst.forEach((id, s) -> {
            gold.add(s.gold());
            predictedFirst.add(s.predicted());
            predictedOther.add(byIdOther.get(id).predicted());
        });
        PairedTests.PairedBootstrap p = PairedTests.macroF1Difference(gold, predictedOther, predictedFirst,
                samples, 0.95, seed);
        Bootstrap.Interval ci = p.interval();
        return new PairedTest("classifier", subject, run, against, "macro_f1", "paired_bootstrap",
                (long) gold.size(), null, null, p.observed(), ci.low(), ci.high(), p.pValue(), null);
    }

    /** Null when both lists hold the same ids with the same text hashes; else the reason they do not match. */
    static String itemMismatch(List<Samples.Sample> a, List<Samples.Sample> b) {
        Map<String, String> hashA = new TreeMap<>();
        a.forEach(s -> hashA.put(s.id(), String.valueOf(s.textSha256())));
        Map<String, String> hashB = new TreeMap<>();
        b.forEach(s -> hashB.put(s.id(), String.valueOf(s.textSha256())));
        if (hashA.size() != a.size() || hashB.size() != b.size()) {
            return "duplicate example ids in " + RunFiles.EVAL_SAMPLES;
        }
        if (!hashA.keySet().equals(hashB.keySet())) {
            TreeSet<String> shared = new TreeSet<>(hashA.keySet());
            shared.retainAll(hashB.keySet());
            return "different test items: " + shared.size() + " shared ids of " + hashA.size() + " and "
                    + hashB.size();
        }
        long differentText = hashA.keySet().stream().filter(id -> !hashA.get(id).equals(hashB.get(id))).count();
        if (differentText > 0) {
            return "same ids but different texts on " + differentText + " of " + hashA.size() + " items";
        }
        return null;
    }

    private static Map<String, List<Samples.Sample>> samples(Source s) throws IOException {
        if (s.runFolder() == null || !Files.isRegularFile(s.runFolder().resolve(RunFiles.EVAL_SAMPLES))) {
            return null;
        }
        Map<String, List<Samples.Sample>> out = new TreeMap<>();
        for (Samples.Sample sample : Samples.read(s.runFolder().resolve(RunFiles.EVAL_SAMPLES))) {
            out.computeIfAbsent(sample.subject(), k -> new ArrayList<>()).add(sample);
        }
        return out;
    }

    /**
     * Paired bootstrap of bits per byte (fine-tuned model of run − fine-tuned model of the first run) over the test
     * documents, when both runs scored the same documents (same ids, same byte counts, same dataset).
     */
    static List<PairedTest> languageModelTests(Source first, Source other) throws IOException {
        String area = "language_model";
        List<RunFiles.LmDocument> a = lmDocuments(first);
        List<RunFiles.LmDocument> b = lmDocuments(other);
        if (a == null || b == null) {
            if (a == null && b == null) {
                return List.of();
            }
            Source missing = a == null ? first : other;
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), "bits_per_byte",
                    missing.name() + " has no " + RunFiles.LM_PREDICTIONS
                            + (missing.runFolder() == null ? " (a report holds no per-document scores)" : "")));
        }
        String datasetA = datasetOf(first, "finetuned", "bits_per_byte");
        String datasetB = datasetOf(other, "finetuned", "bits_per_byte");
        if (!Objects.equals(datasetA, datasetB)) {
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), "bits_per_byte",
                    "different datasets: " + datasetA + " vs " + datasetB));
        }
        Map<String, RunFiles.LmDocument> byIdA = new TreeMap<>();
        a.forEach(d -> byIdA.put(d.id(), d));
        Map<String, RunFiles.LmDocument> byIdB = new TreeMap<>();
        b.forEach(d -> byIdB.put(d.id(), d));
        if (!byIdA.keySet().equals(byIdB.keySet()) || byIdA.size() != a.size() || byIdB.size() != b.size()) {
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), "bits_per_byte",
                    "different test documents (" + byIdA.size() + " and " + byIdB.size() + " ids, not the same)"));
        }
        boolean hashed = a.stream().allMatch(d -> d.textSha256() != null)
                && b.stream().allMatch(d -> d.textSha256() != null);
        if (hashed) {
            long differentText = byIdA.keySet().stream()
                    .filter(id -> !byIdA.get(id).textSha256().equals(byIdB.get(id).textSha256())).count();
            if (differentText > 0) {
                return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), "bits_per_byte",
                        "same ids but different texts on " + differentText + " of " + byIdA.size() + " documents"));
            }
        }
        // files written before the text hash existed: byte counts are the only check left
        long differentBytes = byIdA.keySet().stream().filter(id -> byIdA.get(id).bytes() != byIdB.get(id).bytes())
                .count();
        if (differentBytes > 0) {
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), "bits_per_byte",
                    "same ids but different documents (byte counts differ on " + differentBytes + ")"));
        }
        int n = byIdA.size();
        double[] bitsA = new double[n];
        double[] bitsB = new double[n];
        long[] bytes = new long[n];
        int i = 0;
        for (String id : byIdA.keySet()) {
            bitsA[i] = byIdA.get(id).finetunedBits();
            bitsB[i] = byIdB.get(id).finetunedBits();
            bytes[i] = byIdA.get(id).bytes();
            i++;
        }
        PairedTests.PairedBootstrap p = PairedTests.pairedBootstrap(n, BOOTSTRAP_SAMPLES, 0.95, BOOTSTRAP_SEED,
                idx -> LanguageModelMetrics.bitsPerByte(bitsB, bytes, idx)
                        - LanguageModelMetrics.bitsPerByte(bitsA, bytes, idx));
        Bootstrap.Interval ci = p.interval();
        return List.of(new PairedTest(area, "finetuned", other.name(), first.name(), "bits_per_byte",
                "paired_bootstrap", (long) n, null, null, p.observed(), ci.low(), ci.high(), p.pValue(), null));
    }

    private static List<RunFiles.LmDocument> lmDocuments(Source s) throws IOException {
        if (s.runFolder() == null || !Files.isRegularFile(s.runFolder().resolve(RunFiles.LM_PREDICTIONS))) {
            return null;
        }
        return RunFiles.readLmPredictions(s.runFolder().resolve(RunFiles.LM_PREDICTIONS));
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
