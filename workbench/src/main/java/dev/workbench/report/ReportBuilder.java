package dev.workbench.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.workbench.data.ConfusionMatrix;
import dev.workbench.eval.ColumnDistribution;
import dev.workbench.eval.CsvFiles;
import dev.workbench.eval.PairedTestResult;
import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.JsonLines;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunManifest;
import dev.workbench.store.RunStore;

import java.io.IOException;
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
 * Builds a {@link Report} from a run folder alone (manifest.json, recipe.resolved.yaml, metrics.jsonl, predictions/,
 * finetune/*&#47;metrics.csv, eval/), so a report can be rebuilt at any time and never needs the models or the data.
 */
public final class ReportBuilder {
    /** Below this many test items the report warns that intervals are wide (lm-eval's paired-test note). */
    public static final int SMALL_TEST_SET = 300;
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            false);
    static final Comparator<MetricRow> ROW_ORDER = Comparator.comparing(MetricRow::stage)
            .thenComparing(MetricRow::dataset).thenComparing(MetricRow::split).thenComparing(MetricRow::subject)
            .thenComparing(MetricRow::metric).thenComparingDouble(MetricRow::value);

    private ReportBuilder() {
    }

    public static Report build(Path runFolder) throws IOException {
        if (!Files.isDirectory(runFolder)) {
            throw WorkbenchException.invalid(runFolder + ": not a run folder");
        }
        Optional<RunManifest> manifest = RunStore.readManifest(runFolder);
        Path recipeFile = runFolder.resolve(RunFolder.RESOLVED_RECIPE);
        String recipeYaml = Files.isRegularFile(recipeFile) ? Files.readString(recipeFile) : null;
        JsonNode recipe = recipeYaml == null ? JSON.createObjectNode() : readYaml(recipeFile, recipeYaml);
        if (manifest.isEmpty() && recipeYaml == null) {
            throw WorkbenchException.invalid(runFolder + ": neither manifest.json nor recipe.resolved.yaml; not a run "
                    + "folder");
        }
        List<MetricRow> metrics = new ArrayList<>(MetricsLog.read(runFolder.resolve(RunFolder.METRICS)));
        metrics.sort(ROW_ORDER);
        List<PairedTestResult> tests = readList(runFolder.resolve(RunFolder.EVAL_TESTS),
                new TypeReference<List<PairedTestResult>>() { });
        tests.sort(Comparator.comparing(PairedTestResult::family).thenComparing(PairedTestResult::subject)
                .thenComparing(PairedTestResult::against));
        List<Report.Curve> curves = curves(runFolder);

        String recipeName = manifest.map(RunManifest::recipeName).orElse(recipe.path("name").asText("run"));
        String title = recipe.path("report").path("title").asText("");
        if (title.isBlank()) {
            title = "workbench report: " + recipeName;
        }
        Report.RunInfo run = runInfo(runFolder, manifest, recipe, recipeName, recipeYaml);
        Report.LanguageModelSection lm = languageModel(metrics, tests, curves);
        Report.ClassifierSection classifier = classifier(runFolder, metrics, tests, curves);
        Report.SyntheticSection synthetic = synthetic(runFolder, metrics, tests);
        List<Report.Generation> generations = generations(runFolder.resolve(RunFolder.GENERATIONS));
        Report.DataSection data = data(runFolder);
        List<Report.Headline> summary = Headlines.of(metrics, tests);
        List<String> caveats = Caveats.of(manifest, metrics, tests, synthetic);
        return new Report(Report.SCHEMA_VERSION, title, summary, run, data, lm, classifier,
                generations.isEmpty() ? null : generations, synthetic, caveats, metrics);
    }

    private static JsonNode readYaml(Path file, String text) {
        try {
            return new YAMLMapper().readTree(text);
        } catch (IOException e) {
            throw WorkbenchException.invalid(file + ": not valid YAML: " + e.getMessage());
        }
    }

    private static <T> List<T> readList(Path file, TypeReference<List<T>> type) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new ArrayList<>();
        }
        try {
            return new ArrayList<>(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw WorkbenchException.invalid(file + ": cannot read: " + e.getMessage());
        }
    }

    static Report.RunInfo runInfo(Path runFolder, Optional<RunManifest> manifest, JsonNode recipe, String recipeName,
                                  String recipeYaml) {
        if (manifest.isPresent()) {
            RunManifest m = manifest.get();
            List<Report.StageTiming> stages = m.stages() == null ? List.of() : m.stages().stream()
                    .map(s -> new Report.StageTiming(s.name(), s.status(), s.seconds(), s.message())).toList();
            return new Report.RunInfo(m.runId(), m.recipeName(), m.recipeFile(), m.recipeSha256(), m.seed(),
                    m.status(), m.device(), m.startedAt(), m.endedAt(), orEmpty(m.overrides()),
                    new TreeMap<>(orEmpty(m.inputs())), new TreeMap<>(orEmpty(m.versions())), stages, recipeYaml);
        }
        String name = runFolder.getFileName().toString();
        if (name.endsWith(RunStore.PARTIAL_SUFFIX)) {
            name = name.substring(0, name.length() - RunStore.PARTIAL_SUFFIX.length());
        }
        Long seed = recipe.has("seed") ? recipe.get("seed").asLong() : null;
        return new Report.RunInfo(name, recipeName, null, null, seed, "running", null, null, null, List.of(),
                Map.of(), Map.of(), List.of(), recipeYaml);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    static List<Report.Value> values(List<MetricRow> metrics, String stage, java.util.function.Predicate<MetricRow> pick) {
        return metrics.stream().filter(r -> r.stage().equals(stage) && pick.test(r)
                && !Metric.isPValue(r.metric())).map(Report.Value::of).toList();
    }

    static Report.LanguageModelSection languageModel(List<MetricRow> metrics, List<PairedTestResult> tests,
                                                     List<Report.Curve> curves) {
        // the instruct task is a causal language model too: its loss per trained token sits beside bits per byte
        List<Report.Value> values = values(metrics, "evaluate", r -> r.dataset().endsWith("/text")
                || r.dataset().endsWith("/instructions"));
        List<Report.Curve> lmCurves = curves.stream().filter(c -> c.task().equals("language_model")
                || c.task().equals("instruct")).toList();
        if (values.isEmpty() && lmCurves.isEmpty()) {
            return null;
        }
        return new Report.LanguageModelSection(values,
                tests.stream().filter(t -> t.family().equals("language_model")).toList(), lmCurves);
    }

    static Report.ClassifierSection classifier(Path runFolder, List<MetricRow> metrics, List<PairedTestResult> tests,
                                               List<Report.Curve> curves) throws IOException {
        List<Report.Value> values = values(metrics, "evaluate", r -> r.dataset().endsWith("/labelled"));
        List<Report.Curve> clsCurves = curves.stream().filter(c -> c.task().equals("classifier")).toList();
        Map<String, ConfusionMatrix> confusion = new TreeMap<>();
        Map<String, List<ConfusionMatrix.PerClass>> perClass = new TreeMap<>();
        Path file = runFolder.resolve(RunFolder.EVAL_CLASSIFICATION);
        if (Files.isRegularFile(file)) {
            JsonNode root = JSON.readTree(file.toFile());
            for (var it = root.fields(); it.hasNext(); ) {
                var e = it.next();
                ConfusionMatrix cm = JSON.treeToValue(e.getValue().get("confusion_matrix"), ConfusionMatrix.class);
                confusion.put(e.getKey(), cm);
                perClass.put(e.getKey(), cm.perClass());
            }
        }
        if (values.isEmpty() && confusion.isEmpty() && clsCurves.isEmpty()) {
            return null;
        }
        return new Report.ClassifierSection(values, confusion, perClass,
                tests.stream().filter(t -> t.family().equals("classifier")).toList(), clsCurves,
                classifierNotes(values));
    }

    /** Out-of-scope metrics read differently from accuracy: said once, under the values, when there are some. */
    static List<String> classifierNotes(List<Report.Value> values) {
        java.util.Set<String> outOfScope = java.util.Set.copyOf(Metric.keys(Metric.IN_SCOPE_ACCURACY,
                Metric.OOS_RECALL, Metric.OOS_PRECISION));
        if (values.stream().noneMatch(v -> outOfScope.contains(v.metric()))) {
            return List.of();
        }
        return List.of("The labelled data has an out-of-scope class (evaluate.out_of_scope_label), so each "
                + "classifier is also read as CLINC150 reads intent classifiers: in_scope_accuracy is the accuracy "
                + "over test rows whose true label is in scope (predicting out-of-scope for them is wrong), "
                + "oos_recall the share of out-of-scope test rows predicted out-of-scope, oos_precision the share of "
                + "rows predicted out-of-scope that are (0 when none is). n is each metric's denominator.");
    }

    static Report.SyntheticSection synthetic(Path runFolder, List<MetricRow> metrics, List<PairedTestResult> tests)
            throws IOException {
        List<String> methods = RunFolder.syntheticTables(runFolder).stream().map(RunFolder::syntheticMethod).toList();
        List<Report.Value> values = values(metrics, "evaluate", r -> r.dataset().endsWith("/table"));
        if (methods.isEmpty() && values.isEmpty()) {
            return null;
        }
        Map<String, List<SyntheticEvaluation.ColumnScore>> columns = new TreeMap<>();
        Map<String, List<SyntheticEvaluation.PairScore>> pairs = new TreeMap<>();
        Map<String, String> columnTypes = new java.util.LinkedHashMap<>();
        Map<String, String> basis = new java.util.LinkedHashMap<>();
        java.util.Set<String> notes = new java.util.LinkedHashSet<>();
        Path file = runFolder.resolve(RunFolder.EVAL_SYNTHETIC);
        if (Files.isRegularFile(file)) {
            JsonNode root = JSON.readTree(file.toFile());
            for (var it = root.fields(); it.hasNext(); ) {
                var e = it.next();
                columns.put(e.getKey(), JSON.convertValue(e.getValue().get("columns"),
                        new TypeReference<List<SyntheticEvaluation.ColumnScore>>() { }));
                if (e.getValue().has("pairs")) {
                    pairs.put(e.getKey(), JSON.convertValue(e.getValue().get("pairs"),
                            new TypeReference<List<SyntheticEvaluation.PairScore>>() { }));
                }
                // the same for every method (one typing, one holdout); results written before they existed lack them
                if (e.getValue().has("column_types")) {
                    columnTypes.putAll(JSON.convertValue(e.getValue().get("column_types"),
                            new TypeReference<Map<String, String>>() { }));
                }
                if (e.getValue().has("basis")) {
                    basis.putAll(JSON.convertValue(e.getValue().get("basis"),
                            new TypeReference<Map<String, String>>() { }));
                }
                if (e.getValue().has("notes")) {
                    notes.addAll(JSON.convertValue(e.getValue().get("notes"), new TypeReference<List<String>>() { }));
                }
            }
        }
        List<ColumnDistribution> distributions = readList(runFolder.resolve(RunFolder.EVAL_DISTRIBUTIONS),
                new TypeReference<List<ColumnDistribution>>() { });
        return new Report.SyntheticSection(methods, values, columns, distributions,
                tests.stream().filter(t -> t.family().startsWith("synthetic")).toList(), pairs, columnTypes, basis,
                List.copyOf(notes));
    }

    static Report.DataSection data(Path runFolder) throws IOException {
        Path file = runFolder.resolve(RunFolder.EVAL_DATA);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode root = JSON.readTree(file.toFile());
        Map<String, Map<String, Integer>> splits = JSON.convertValue(root.path("splits"),
                new TypeReference<TreeMap<String, Map<String, Integer>>>() { });
        Map<String, Object> notes = JSON.convertValue(root.path("notes"),
                new TypeReference<TreeMap<String, Object>>() { });
        Map<String, List<Report.ClassCount>> classCounts = new TreeMap<>();
        for (var it = root.path("notes").fields(); it.hasNext(); ) {
            var corpus = it.next();
            for (String key : List.of("label_counts", "target_counts")) {
                JsonNode perSplit = corpus.getValue().path(key);
                if (perSplit.isObject()) {
                    classCounts.put(corpus.getKey(), totals(perSplit));
                }
            }
        }
        return new Report.DataSection(splits, notes, classCounts);
    }

    /** One off-diagonal cell of a confusion matrix: {@code count} items of {@code gold} predicted as another label. */
    record Confusion(String gold, String predicted, long count) {
    }

    /** The {@code limit} largest off-diagonal cells, largest first (ties by gold, then predicted label). */
    static List<Confusion> topConfusions(ConfusionMatrix cm, int limit) {
        List<Confusion> out = new ArrayList<>();
        for (int i = 0; i < cm.labels().size(); i++) {
            for (int j = 0; j < cm.labels().size(); j++) {
                if (i != j && cm.count(i, j) > 0) {
                    out.add(new Confusion(cm.labels().get(i), cm.labels().get(j), cm.count(i, j)));
                }
            }
        }
        out.sort(Comparator.comparingLong(Confusion::count).reversed().thenComparing(Confusion::gold)
                .thenComparing(Confusion::predicted));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** split → label → count summed over the splits, largest first (ties by label). */
    private static List<Report.ClassCount> totals(JsonNode perSplit) {
        Map<String, Long> sum = new TreeMap<>();
        perSplit.fields().forEachRemaining(split -> split.getValue().fields().forEachRemaining(label ->
                sum.merge(label.getKey(), label.getValue().asLong(), Long::sum)));
        return sum.entrySet().stream().map(e -> new Report.ClassCount(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(Report.ClassCount::count).reversed()
                        .thenComparing(Report.ClassCount::label)).toList();
    }

    /**
     * One corpus's (or setting's) notes as rows of a two-column table: nested maps flattened to dotted keys
     * ({@code duplicates.test_in_train}), lists joined, numbers with thousands separators; class counts are left out
     * (they have their own chart and table).
     */
    static Map<String, String> facts(Object note) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        flatten("", note, out);
        return out;
    }

    private static void flatten(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty() && !prefix.isEmpty()) {
                out.put(prefix, "none");
            }
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (!key.equals("label_counts") && !key.equals("target_counts")) {
                    flatten(prefix.isEmpty() ? key : prefix + "." + key, v, out);
                }
            });
        } else if (value instanceof List<?> list) {
            out.put(prefix, list.isEmpty() ? "none" : String.join(", ", list.stream().map(ReportBuilder::scalar)
                    .toList()));
        } else if (prefix.endsWith("seed")) {
            out.put(prefix, String.valueOf(value)); // an identifier, not a count: no separators
        } else {
            out.put(prefix.isEmpty() ? "value" : prefix, scalar(value));
        }
    }

    private static String scalar(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return count(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return format(n.doubleValue());
        }
        return String.valueOf(v);
    }

    static List<Report.Generation> generations(Path file) throws IOException {
        List<Report.Generation> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        JsonLines.read(file, JSON, (number, e) -> WorkbenchException.invalid(file + ":" + number
                + ": not a JSON object: " + e.getMessage()), (number, g) -> out.add(new Report.Generation(
                        g.path("prompt").asText(), g.path("base").asText(null), g.path("finetuned").asText(null),
                        g.has("seed") ? g.get("seed").asLong() : null,
                        g.has("max_new_tokens") ? g.get("max_new_tokens").asInt() : null,
                        g.has("temperature") ? g.get("temperature").asDouble() : null)));
        return out;
    }

    /** Training curves of every task under {@code finetune/}, sorted by task. */
    static List<Report.Curve> curves(Path runFolder) throws IOException {
        Path dir = runFolder.resolve(RunFolder.FINETUNE);
        List<Report.Curve> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> tasks;
        try (Stream<Path> s = Files.list(dir)) {
            tasks = s.filter(p -> Files.isRegularFile(p.resolve(RunFolder.TRAINING_METRICS))).sorted().toList();
        }
        for (Path task : tasks) {
            List<Long> step = new ArrayList<>();
            List<Double> loss = new ArrayList<>();
            List<Long> valStep = new ArrayList<>();
            List<Double> valLoss = new ArrayList<>();
            for (CsvFiles.Row row : CsvFiles.readRows(task.resolve(RunFolder.TRAINING_METRICS),
                    List.of("step", "loss"))) {
                long st = (long) row.number("step");
                String l = row.get("loss");
                if (!l.isBlank()) {
                    step.add(st);
                    loss.add(row.number("loss"));
                }
                if (!row.get("val_loss").isBlank()) {
                    valStep.add(st);
                    valLoss.add(row.number("val_loss"));
                }
            }
            out.add(new Report.Curve(task.getFileName().toString(), step, loss, valStep, valLoss));
        }
        return out;
    }

    /**
     * A metric for people: four significant digits ({@code 0.7083}, {@code 18.38}, {@code 2,645}), thousands
     * separated; very small or very large values in scientific notation. The raw double stays in report.json.
     */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 0.001 || a >= 1e7)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        java.math.BigDecimal rounded = new java.math.BigDecimal(v).round(new java.math.MathContext(4));
        if (rounded.compareTo(java.math.BigDecimal.ZERO) == 0) {
            return "0";
        }
        rounded = rounded.stripTrailingZeros();
        if (rounded.scale() < 0) {
            rounded = rounded.setScale(0);
        }
        java.text.DecimalFormat grouped = new java.text.DecimalFormat("#,##0.#########",
                java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
        return grouped.format(rounded);
    }

    /** A count with thousands separators: {@code 12,345}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }


    static String formatP(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
}
