package dev.workbench.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.data.ColumnType;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.PreparedData;
import dev.workbench.data.Splits;
import dev.workbench.data.Table;
import ai.djl.ndarray.NDManager;
import dev.workbench.eval.task.TaskEvaluation;
import dev.workbench.eval.task.TaskModels;
import dev.workbench.recipe.Evaluate;
import dev.workbench.recipe.TaskFile;
import dev.workbench.recipe.TaskFileReader;
import dev.workbench.plan.ConsoleProgress;
import dev.workbench.plan.Progress;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.WorkbenchException;
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
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code evaluate} stage: scores whatever earlier stages left in the run folder (LM per-document bits, classifier
 * predictions, synthetic tables), trains the Tribuo baselines, runs the paired tests, and writes metric rows (stage
 * {@code evaluate}, split {@code test}) plus per-example files under {@code eval/}. Missing inputs are skipped with a
 * log line, so a run with only some stages still gets evaluated.
 *
 * <p>P-values are written twice: as metric rows {@code p_value_mcnemar_vs_<other>} / {@code p_value_bootstrap_vs_<other>}
 * (raw) and {@code ..._holm} (Holm-adjusted within the comparison family), and with all their inputs in
 * {@code eval/tests.json}.
 */
public final class EvaluateStage implements Stage {
    public static final String NAME = "evaluate";
    static final String STAGE = NAME;
    /** Subject of the real-holdout rows that every synthetic table is read against (the ceiling). */
    public static final String REAL_HOLDOUT = "real-holdout";
    static final String SPLIT = "test";
    /** Columns whose real vs synthetic distributions are kept for the report's charts: every one. */
    static final int DISTRIBUTION_COLUMNS = Integer.MAX_VALUE;
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled(Recipe recipe) {
        return recipe.corpus().text().isPresent() || recipe.corpus().labelled().isPresent()
                || recipe.corpus().table().isPresent() || recipe.corpus().instructions().isPresent()
                || !recipe.evaluate().tasks().isEmpty();
    }

    @Override
    public void run(RunContext context) throws Exception {
        TaskEvaluation.Outcome tasks = tasks(context);
        EvaluationSettings settings = EvaluationSettings.from(context.recipe());
        Outcome outcome;
        try (Parts parts = Parts.of(context.runFolder(), settings, context.data(), context.progress())) {
            outcome = evaluate(context.runFolder(), settings, context.data(), context.log(), parts, tasks);
            parts.done();
        }
        context.metrics().appendAll(outcome.rows());
    }

    /**
     * {@code evaluate.tasks} on the base and the fine-tuned causal language model, on the same items; nothing when the
     * recipe lists no task, and a log line when the run has no fine-tuned language model to compare.
     */
    static TaskEvaluation.Outcome tasks(RunContext context) throws IOException {
        List<Evaluate.TaskRef> refs = context.recipe().evaluate().tasks();
        if (refs.isEmpty()) {
            return new TaskEvaluation.Outcome(List.of(), List.of());
        }
        Optional<Path> finetuned = TaskModels.finetunedCheckpoint(context.runFolder());
        if (finetuned.isEmpty()) {
            context.log().println("evaluate: evaluate.tasks need a fine-tuned language model (finetune.tasks:"
                    + " language_model or instruct); no checkpoint in this run, tasks not scored");
            return new TaskEvaluation.Outcome(List.of(), List.of());
        }
        List<TaskFile> files = new ArrayList<>();
        for (Evaluate.TaskRef ref : refs) {
            files.add(TaskFileReader.read(ref));
        }
        Evaluate e = context.recipe().evaluate();
        try (NDManager manager = NDManager.newBaseManager()) {
            TaskModels.Models models = TaskModels.open(context, finetuned.get(), manager);
            return TaskEvaluation.run(files, models.subjects(), models.chat(), context.runFolder(),
                    new TaskEvaluation.Statistics(e.bootstrapSamples(), e.confidence(), context.recipe().seed()),
                    context.log());
        }
    }

    /** Metric rows and paired tests of one evaluation. */
    public record Outcome(List<MetricRow> rows, List<PairedTestResult> tests) {
    }

    /** Evaluates a run folder; writes {@code eval/} files and returns the rows (the caller appends them). */
    public static Outcome evaluate(Path runFolder, EvaluationSettings settings, PreparedData data, PrintStream log)
            throws IOException {
        return evaluate(runFolder, settings, data, log, ConsoleProgress.lines(log));
    }

    /** As {@link #evaluate(Path, EvaluationSettings, PreparedData, PrintStream)}, each part shown to {@code progress}. */
    public static Outcome evaluate(Path runFolder, EvaluationSettings settings, PreparedData data, PrintStream log,
                                   Progress progress) throws IOException {
        try (Parts parts = Parts.of(runFolder, settings, data, progress)) {
            Outcome outcome = evaluate(runFolder, settings, data, log, parts,
                    new TaskEvaluation.Outcome(List.of(), List.of()));
            parts.done();
            return outcome;
        }
    }

    private static Outcome evaluate(Path runFolder, EvaluationSettings settings, PreparedData data, PrintStream log,
                                    Parts parts, TaskEvaluation.Outcome tasks) throws IOException {
        Files.createDirectories(runFolder.resolve(RunFolder.EVAL));
        RunFolder.writeAtomically(runFolder.resolve(RunFolder.EVAL_DATA), JSON.writeValueAsBytes(dataSummary(data)));
        List<MetricRow> rows = new ArrayList<>();
        List<PairedTestResult> tests = new ArrayList<>();
        Path lm = runFolder.resolve(RunFolder.LM_PREDICTIONS);
        if (settings.languageModel() && Files.isRegularFile(lm)) {
            parts.next("language model");
            languageModel(runFolder, lm, settings, rows, tests);
        } else {
            log.println("evaluate: no " + RunFolder.LM_PREDICTIONS + ", language model not evaluated");
        }
        Path instruct = runFolder.resolve(RunFolder.INSTRUCT_PREDICTIONS);
        if (settings.languageModel() && Files.isRegularFile(instruct)) {
            InstructEvaluation.evaluate(instruct, settings, rows, tests);
        }
        if (settings.classifier()) {
            classifier(runFolder, settings, data.labelled(), rows, tests, log, parts);
        }
        if (settings.synthetic()) {
            synthetic(runFolder, settings, data, rows, tests, log, parts);
        }
        rows.addAll(tasks.rows());
        tests.addAll(tasks.tests());
        RunFolder.writeAtomically(runFolder.resolve(RunFolder.EVAL_TESTS), JSON.writeValueAsBytes(tests));
        for (PairedTestResult t : tests) {
            rows.add(MetricRow.pValue(STAGE, t.subject(), t.dataset(), SPLIT, t.metricName(), t.pValue(), t.n()));
            rows.add(MetricRow.pValue(STAGE, t.subject(), t.dataset(), SPLIT, t.metricName() + Metric.HOLM_SUFFIX,
                    t.pValueHolm(), t.n()));
        }
        return new Outcome(rows, tests);
    }

    /** Split sizes, data notes and input hashes: what the report's data section shows. */
    static Map<String, Object> dataSummary(PreparedData data) {
        Map<String, Object> splits = new TreeMap<>();
        data.text().ifPresent(s -> splits.put("text", sizes(s)));
        data.labelled().ifPresent(s -> splits.put("labelled", sizes(s)));
        data.tableRows().ifPresent(s -> splits.put("table", sizes(s)));
        Map<String, Object> out = new TreeMap<>();
        out.put("splits", splits);
        out.put("notes", new TreeMap<>(data.notes())); // JSON values, so the report can draw tables from them
        out.put("input_hashes", new TreeMap<>(data.inputHashes()));
        return out;
    }

    private static Map<String, Integer> sizes(Splits<?> s) {
        Map<String, Integer> m = new TreeMap<>();
        m.put("train", s.train().size());
        m.put("validation", s.validation().size());
        m.put("test", s.test().size());
        return m;
    }

    // ---- language model ----

    static void languageModel(Path runFolder, Path file, EvaluationSettings s, List<MetricRow> rows,
                              List<PairedTestResult> tests) throws IOException {
        List<PredictionFiles.LmDocument> docs = PredictionFiles.readLmPredictions(file);
        if (docs.isEmpty()) {
            return;
        }
        int n = docs.size();
        double[] base = docs.stream().mapToDouble(PredictionFiles.LmDocument::baseBits).toArray();
        double[] tuned = docs.stream().mapToDouble(PredictionFiles.LmDocument::finetunedBits).toArray();
        long[] bytes = docs.stream().mapToLong(PredictionFiles.LmDocument::bytes).toArray();
        String dataset = s.dataset("text");
        for (String subject : List.of("base", "finetuned")) {
            double[] bits = subject.equals("base") ? base : tuned;
            Bootstrap.Result bpb = Bootstrap.run(n, s.bootstrapSamples(), s.confidence(), s.seed(),
                    idx -> LanguageModelMetrics.bitsPerByte(bits, bytes, idx));
            rows.add(MetricRow.of(STAGE, subject, dataset, SPLIT, Metric.BITS_PER_BYTE, bpb.observed(), n)
                    .withInterval(bpb.interval().low(), bpb.interval().high()));
            // 2^x is monotone, so the percentile interval maps through it unchanged.
            rows.add(MetricRow.of(STAGE, subject, dataset, SPLIT, Metric.PERPLEXITY,
                            LanguageModelMetrics.bytePerplexity(bpb.observed()), n)
                    .withInterval(LanguageModelMetrics.bytePerplexity(bpb.interval().low()),
                            LanguageModelMetrics.bytePerplexity(bpb.interval().high())));
        }
        perUnitPerplexity(docs, PredictionFiles.LmDocument::words, Metric.WORD_PERPLEXITY, base, tuned, s, dataset,
                rows);
        perUnitPerplexity(docs, PredictionFiles.LmDocument::tokens, Metric.TOKEN_PERPLEXITY, base, tuned, s, dataset,
                rows);
        PairedTests.PairedBootstrap diff = PairedTests.pairedBootstrap(n, s.bootstrapSamples(), s.confidence(),
                s.seed(), idx -> LanguageModelMetrics.bitsPerByte(tuned, bytes, idx)
                        - LanguageModelMetrics.bitsPerByte(base, bytes, idx));
        rows.add(MetricRow.of(STAGE, "finetuned", dataset, SPLIT, Metric.BITS_PER_BYTE_DELTA_VS_BASE,
                diff.observed(), n).withInterval(diff.interval().low(), diff.interval().high()));
        tests.add(PairedTestResult.bootstrap("language_model", dataset, "finetuned", "base",
                Metric.BITS_PER_BYTE.key(), n, diff));
        List<List<String>> cells = new ArrayList<>();
        for (PredictionFiles.LmDocument d : docs) {
            cells.add(List.of(d.id(), Long.toString(d.bytes()), Double.toString(d.baseBits()),
                    Double.toString(d.finetunedBits()), Double.toString(d.baseBits() / d.bytes()),
                    Double.toString(d.finetunedBits() / d.bytes())));
        }
        CsvFiles.writeCsv(runFolder.resolve(RunFolder.EVAL_LM),
                List.of("id", "bytes", "base_bits", "finetuned_bits", "base_bpb", "finetuned_bpb"), cells);
    }

    /**
     * Word or token perplexity {@code 2^(Σ bits / Σ units) = exp(−Σ ll / Σ units)} with a bootstrap interval over
     * documents (the same ratio-of-sums statistic as bits per byte, with words or tokens as the denominator). Skipped
     * when the predictions file predates the count column. Token perplexity compares only between models that share
     * a tokenizer, which base and fine-tuned do within one run.
     */
    private static void perUnitPerplexity(List<PredictionFiles.LmDocument> docs,
                                          java.util.function.ToLongFunction<PredictionFiles.LmDocument> count,
                                          Metric metric, double[] base, double[] tuned, EvaluationSettings s,
                                          String dataset, List<MetricRow> rows) {
        long[] units = docs.stream().mapToLong(count).toArray();
        if (java.util.Arrays.stream(units).anyMatch(u -> u < 0) || java.util.Arrays.stream(units).sum() == 0) {
            return;
        }
        int n = docs.size();
        for (String subject : List.of("base", "finetuned")) {
            double[] bits = subject.equals("base") ? base : tuned;
            Bootstrap.Result perUnit = Bootstrap.run(n, s.bootstrapSamples(), s.confidence(), s.seed(),
                    idx -> LanguageModelMetrics.bitsPerByte(bits, units, idx));
            rows.add(MetricRow.of(STAGE, subject, dataset, SPLIT, metric,
                            LanguageModelMetrics.bytePerplexity(perUnit.observed()), n)
                    .withInterval(LanguageModelMetrics.bytePerplexity(perUnit.interval().low()),
                            LanguageModelMetrics.bytePerplexity(perUnit.interval().high())));
        }
    }

    // ---- classifier ----

    /** Subject name of the "base model with a trained head" baseline (written by the finetune stage). */
    static final String BASE_WITH_HEAD = "base+head";

    static void classifier(Path runFolder, EvaluationSettings s, Optional<Splits<LabelledExample>> labelled,
                           List<MetricRow> rows, List<PairedTestResult> tests, PrintStream log, Parts parts)
            throws IOException {
        String dataset = s.dataset("labelled");
        Map<String, List<PredictionFiles.ClassifierPrediction>> bySubject = new LinkedHashMap<>();
        if (labelled.isPresent() && !labelled.get().train().isEmpty() && !labelled.get().test().isEmpty()) {
            for (String baseline : s.baselines()) {
                parts.next("training baseline " + baseline);
                bySubject.put(baseline, ClassifierEvaluation.baseline(baseline, labelled.get().train(),
                        labelled.get().test(), s.seed()));
            }
        } else {
            log.println("evaluate: no labelled train/test split, classifier baselines not trained");
        }
        Path tunedFile = runFolder.resolve(RunFolder.CLASSIFIER_PREDICTIONS);
        if (Files.isRegularFile(tunedFile)) {
            bySubject.put("finetuned", PredictionFiles.readClassifierPredictions(tunedFile));
        } else {
            log.println("evaluate: no " + RunFolder.CLASSIFIER_PREDICTIONS + ", fine-tuned classifier not evaluated");
        }
        Path probeFile = runFolder.resolve(RunFolder.CLASSIFIER_PROBE_PREDICTIONS);
        if (Files.isRegularFile(probeFile)) {
            bySubject.put(BASE_WITH_HEAD, PredictionFiles.readClassifierPredictions(probeFile));
        }
        if (bySubject.isEmpty()) {
            return;
        }
        parts.next("classifier scores and paired tests");
        java.util.Set<String> outOfScope = OutOfScopeMetrics.present(s.outOfScopeLabels(), labelled,
                bySubject.values());
        Map<String, Object> report = new TreeMap<>();
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (Map.Entry<String, List<PredictionFiles.ClassifierPrediction>> e : bySubject.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            ClassifierEvaluation.Scores sc = ClassifierEvaluation.score(e.getKey(), e.getValue(),
                    s.bootstrapSamples(), s.confidence(), s.seed());
            accuracy.put(e.getKey(), sc.accuracy());
            rows.add(MetricRow.of(STAGE, e.getKey(), dataset, SPLIT, Metric.ACCURACY, sc.accuracy(), sc.n())
                    .withInterval(sc.accuracyCi().low(), sc.accuracyCi().high()));
            rows.add(MetricRow.of(STAGE, e.getKey(), dataset, SPLIT, Metric.MACRO_F1, sc.macroF1(), sc.n())
                    .withInterval(sc.macroF1Ci().low(), sc.macroF1Ci().high()));
            if (!Double.isNaN(sc.ece())) {
                rows.add(MetricRow.of(STAGE, e.getKey(), dataset, SPLIT, Metric.EXPECTED_CALIBRATION_ERROR, sc.ece(),
                        sc.n()));
            }
            if (!outOfScope.isEmpty()) {
                rows.addAll(OutOfScopeMetrics.rows(OutOfScopeMetrics.score(e.getValue(), outOfScope,
                        s.bootstrapSamples(), s.confidence(), s.seed()), STAGE, e.getKey(), dataset, SPLIT));
            }
            Map<String, Object> entry = new TreeMap<>();
            entry.put("confusion_matrix", sc.confusion());
            entry.put("per_class", sc.confusion().perClass());
            entry.put(Metric.ACCURACY.key(), sc.accuracy());
            entry.put(Metric.MACRO_F1.key(), sc.macroF1());
            entry.put("n", sc.n());
            report.put(e.getKey(), entry);
            PredictionFiles.writeClassifierPredictions(
                    runFolder.resolve(RunFolder.evalClassifierPredictions(e.getKey())), e.getValue());
        }
        RunFolder.writeAtomically(runFolder.resolve(RunFolder.EVAL_CLASSIFICATION), JSON.writeValueAsBytes(report));
        Samples.write(runFolder.resolve(RunFolder.EVAL_SAMPLES), Samples.of(bySubject,
                labelled.map(Splits::test).orElse(List.of())));
        List<PredictionFiles.ClassifierPrediction> tuned = bySubject.get("finetuned");
        if (tuned == null || tuned.isEmpty()) {
            return;
        }
        List<String> ids = tuned.stream().map(PredictionFiles.ClassifierPrediction::id).toList();
        boolean[] tunedRight = ClassifierEvaluation.correctness(tuned, ids);
        List<PairedTestResult> family = new ArrayList<>();
        List<String> against = new ArrayList<>(s.baselines());
        if (bySubject.containsKey(BASE_WITH_HEAD)) {
            against.add(BASE_WITH_HEAD);
        }
        for (String baseline : against) {
            List<PredictionFiles.ClassifierPrediction> other = bySubject.get(baseline);
            if (other == null) {
                continue;
            }
            boolean[] otherRight = ClassifierEvaluation.correctness(other, ids);
            if (otherRight == null || other.size() != ids.size()) {
                log.println("evaluate: " + baseline + " and the fine-tuned classifier were scored on different test "
                        + "items; no paired test");
                continue;
            }
            family.add(PairedTestResult.mcnemar("classifier", dataset, "finetuned", baseline, Metric.ACCURACY.key(),
                    tunedRight, otherRight, s.bootstrapSamples(), s.confidence(), s.seed()));
            family.add(macroF1Bootstrap(dataset, "finetuned", tuned, baseline, other, s));
        }
        tests.addAll(holm(family));
    }

    /**
     * Paired bootstrap of macro-F1 (subject - against) on the same test items, both prediction lists taken in the
     * subject's id order. Macro-F1 is not a per-item score, so McNemar alone cannot speak for it.
     */
    static PairedTestResult macroF1Bootstrap(String dataset, String subject,
                                             List<PredictionFiles.ClassifierPrediction> subjectPredictions,
                                             String against,
                                             List<PredictionFiles.ClassifierPrediction> againstPredictions,
                                             EvaluationSettings s) {
        Map<String, String> againstById = new LinkedHashMap<>();
        againstPredictions.forEach(p -> againstById.put(p.id(), p.predicted()));
        List<String> gold = subjectPredictions.stream().map(PredictionFiles.ClassifierPrediction::label).toList();
        List<String> mine = subjectPredictions.stream().map(PredictionFiles.ClassifierPrediction::predicted).toList();
        List<String> theirs = subjectPredictions.stream().map(p -> againstById.get(p.id())).toList();
        PairedTests.PairedBootstrap bootstrap = PairedTests.macroF1Difference(gold, mine, theirs,
                s.bootstrapSamples(), s.confidence(), s.seed());
        return PairedTestResult.bootstrap("classifier", dataset, subject, against, Metric.MACRO_F1.key(),
                gold.size(), bootstrap);
    }

    static List<PairedTestResult> holm(List<PairedTestResult> family) {
        double[] adjusted = PairedTests.holm(family.stream().mapToDouble(PairedTestResult::pValue).toArray());
        List<PairedTestResult> out = new ArrayList<>();
        for (int i = 0; i < family.size(); i++) {
            out.add(family.get(i).withHolm(adjusted[i]));
        }
        return out;
    }

    // ---- synthetic tables ----

    static void synthetic(Path runFolder, EvaluationSettings s, PreparedData data, List<MetricRow> rows,
                          List<PairedTestResult> tests, PrintStream log, Parts parts) throws IOException {
        List<Path> tables = RunFolder.syntheticTables(runFolder);
        if (tables.isEmpty()) {
            log.println("evaluate: no synthetic tables, synthetic data not evaluated");
            return;
        }
        if (data.tableRows().isEmpty() || data.tableHeader().isEmpty()) {
            log.println("evaluate: no real table split, synthetic data not evaluated");
            return;
        }
        List<String> columns = data.tableHeader().get().columns();
        Splits<List<String>> real = data.tableRows().get();
        Map<String, SyntheticEvaluation.Result> results = new TreeMap<>();
        Map<String, List<List<String>>> syntheticRows = new TreeMap<>();
        List<PairedTestResult> efficacyFamily = new ArrayList<>();
        List<PairedTestResult> augmentFamily = new ArrayList<>();
        String dataset = s.dataset("table");
        List<ColumnType> types = ColumnType.forColumns(columns, real.train(), s.columnTypes());
        Optional<String> target = s.target().filter(columns::contains);
        for (Path file : tables) {
            String method = RunFolder.syntheticMethod(file);
            parts.next("synthetic table " + method);
            Table synthetic = CsvFiles.readTable(file);
            List<List<String>> synRows = CsvFiles.align(synthetic, columns);
            syntheticRows.put(method, synRows);
            SyntheticEvaluation.Inputs in = new SyntheticEvaluation.Inputs(columns, types, real.test(), real.train(),
                    synRows, target);
            SyntheticEvaluation.Result r = SyntheticEvaluation.evaluate(in, s.seed());
            results.put(method, r);
            rows.addAll(SyntheticEvaluation.metricRows(STAGE, SPLIT, method, dataset, r));
            r.efficacyIfAny().ifPresent(ef -> efficacyFamily.add(PairedTestResult.mcnemar("synthetic_efficacy",
                    dataset, method, "real", Metric.TSTR_ACCURACY.key(), ef.tstrCorrect(), ef.trtrCorrect(),
                    s.bootstrapSamples(), s.confidence(), s.seed())));
            if (s.augmentWith().filter(method::equals).isPresent() && target.isPresent()
                    && !real.train().isEmpty() && !real.test().isEmpty()) {
                parts.next("augmentation with " + method);
                augment(runFolder.resolve(RunFolder.AUGMENTED_TRAIN), method, in, s, dataset, rows, augmentFamily,
                        log);
            }
        }
        if (!results.isEmpty() && !real.validation().isEmpty()) {
            // The ceiling: real rows no synthesizer saw (the validation split), scored exactly like a synthetic table.
            parts.next("real holdout (the ceiling)");
            SyntheticEvaluation.Result ceiling = SyntheticEvaluation.evaluate(new SyntheticEvaluation.Inputs(columns,
                    types, real.test(), real.train(), real.validation(), target), s.seed());
            rows.addAll(SyntheticEvaluation.metricRows(STAGE, SPLIT, REAL_HOLDOUT, dataset, ceiling));
        }
        tests.addAll(holm(efficacyFamily));
        tests.addAll(holm(augmentFamily));
        // the rows about the real data alone (TRTR, the holdout's DCR) repeat for every method; keep one of each
        dedupe(rows);
        RunFolder.writeAtomically(runFolder.resolve(RunFolder.EVAL_SYNTHETIC), JSON.writeValueAsBytes(results));
        RunFolder.writeAtomically(runFolder.resolve(RunFolder.EVAL_DISTRIBUTIONS), JSON.writeValueAsBytes(
                ColumnDistribution.forColumns(columns, types, real.test(), syntheticRows, DISTRIBUTION_COLUMNS)));
    }

    /**
     * Downstream effect of adding synthetic rows to the real training split (same model, same real test rows). The
     * augmented training table is the one the synthesize stage wrote, its rows tagged real or synthetic; the test rows
     * are always the real test split.
     */
    static void augment(Path augmentedFile, String method, SyntheticEvaluation.Inputs in, EvaluationSettings s,
                        String dataset, List<MetricRow> rows, List<PairedTestResult> family, PrintStream log)
            throws IOException {
        if (!Files.isRegularFile(augmentedFile)) {
            log.println("evaluate: no " + RunFolder.AUGMENTED_TRAIN
                    + ", downstream effect of augmentation not measured");
            return;
        }
        Table tagged = CsvFiles.readTable(augmentedFile);
        int source = tagged.columns().indexOf(RunFolder.SOURCE_COLUMN);
        if (source < 0) {
            throw WorkbenchException.invalid(augmentedFile + ": no '" + RunFolder.SOURCE_COLUMN + "' column");
        }
        long realRows = tagged.rows().stream().filter(r -> RunFolder.REAL_SOURCE.equals(r.get(source))).count();
        if (realRows != in.realTrain().size()) {
            throw WorkbenchException.invalid(augmentedFile + ": holds " + realRows + " real rows, the training split "
                    + in.realTrain().size());
        }
        int target = in.columns().indexOf(in.target().get());
        List<List<String>> augmented = CsvFiles.align(tagged, in.columns());
        long n = in.realTest().size();
        // Boosted trees are the default model; logistic regression is the second row (metric names end _logistic).
        SyntheticEvaluation.TableModelScore realOnly = null;
        SyntheticEvaluation.TableModelScore withSynthetic = null;
        for (TribuoModels.Kind model : List.of(TribuoModels.Kind.BOOSTED_TREES, TribuoModels.Kind.LOGISTIC_REGRESSION)) {
            SyntheticEvaluation.TableModelScore real = SyntheticEvaluation.trainAndTest(in.realTrain(), in.realTest(),
                    in.types(), target, s.seed(), model);
            SyntheticEvaluation.TableModelScore mixed = SyntheticEvaluation.trainAndTest(augmented, in.realTest(),
                    in.types(), target, s.seed(), model);
            boolean trees = model == TribuoModels.Kind.BOOSTED_TREES;
            addIfFinite(rows, method, dataset, trees ? Metric.AUGMENTED_ACCURACY : Metric.AUGMENTED_ACCURACY_LOGISTIC,
                    mixed.accuracy(), n);
            addIfFinite(rows, method, dataset, trees ? Metric.AUGMENTED_MACRO_F1 : Metric.AUGMENTED_MACRO_F1_LOGISTIC,
                    mixed.macroF1(), n);
            addIfFinite(rows, method, dataset,
                    trees ? Metric.AUGMENTED_ACCURACY_DELTA : Metric.AUGMENTED_ACCURACY_DELTA_LOGISTIC,
                    mixed.accuracy() - real.accuracy(), n);
            if (realOnly == null) {
                realOnly = real;
                withSynthetic = mixed;
            }
        }
        family.add(PairedTestResult.mcnemar("synthetic_augmentation", dataset, "real+" + method, "real",
                Metric.ACCURACY.key(), withSynthetic.correct(), realOnly.correct(), s.bootstrapSamples(),
                s.confidence(), s.seed()));
    }

    private static void addIfFinite(List<MetricRow> rows, String subject, String dataset, Metric metric, double value,
                                    long n) {
        if (Double.isFinite(value)) {
            rows.add(MetricRow.of(STAGE, subject, dataset, SPLIT, metric, value, n));
        }
    }

    private static void dedupe(List<MetricRow> rows) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        rows.removeIf(r -> !seen.add(r.subject() + "|" + r.dataset() + "|" + r.metric()));
    }

    /**
     * The evaluation's parts (the language model, each baseline to train, the classifier's scores, each synthetic
     * table, the ceiling, augmentation), counted before any starts so progress has a total. Counting is an estimate
     * from the files present: a part that turns out to have nothing to do is simply not reported.
     */
    private static final class Parts implements AutoCloseable {
        private final Progress.Task task;
        private final long total;
        private long started;

        private Parts(Progress.Task task, long total) {
            this.task = task;
            this.total = total;
        }

        static Parts of(Path runFolder, EvaluationSettings s, PreparedData data, Progress progress)
                throws IOException {
            long total = 0;
            if (s.languageModel() && Files.isRegularFile(runFolder.resolve(RunFolder.LM_PREDICTIONS))) {
                total++;
            }
            if (s.classifier()) {
                boolean split = data.labelled().filter(l -> !l.train().isEmpty() && !l.test().isEmpty()).isPresent();
                total += (split ? s.baselines().size() : 0) + 1;
            }
            if (s.synthetic() && data.tableRows().isPresent() && data.tableHeader().isPresent()) {
                List<String> methods = RunFolder.syntheticTables(runFolder).stream().map(RunFolder::syntheticMethod)
                        .toList();
                Splits<List<String>> real = data.tableRows().get();
                boolean target = s.target().filter(data.tableHeader().get().columns()::contains).isPresent();
                total += methods.size();
                total += !methods.isEmpty() && !real.validation().isEmpty() ? 1 : 0; // the real-holdout ceiling
                total += s.augmentWith().filter(methods::contains).isPresent() && target && !real.train().isEmpty()
                        && !real.test().isEmpty() ? 1 : 0;
            }
            long all = Math.max(1, total);
            return new Parts(progress.start(NAME, all, "parts"), all);
        }

        /** The part {@code what} starts: the ones before it are done. */
        void next(String what) {
            task.update(Math.min(started, total), what);
            started++;
        }

        /** Every part finished. */
        void done() {
            task.update(total, "done");
        }

        @Override
        public void close() {
            task.close();
        }
    }
}
