package dev.workbench.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.eval.task.TaskRunPairs;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;

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
 * The paired tests of {@code workbench compare}: every run against the first, on the runs' per-example files, only
 * where both runs scored the same items (else the test is refused, with the reason). Classifiers: McNemar on accuracy
 * and a paired bootstrap of macro-F1 per subject ({@code eval/samples.jsonl}); language models: a paired bootstrap of
 * the fine-tuned model's bits per byte ({@code predictions/lm_test.csv}) and of the instruct task's loss per trained
 * token ({@code predictions/instruct_heldout.csv}). The p-values are Holm-corrected over every
 * test of the comparison. The report only renders what this returns.
 */
public final class RunPairTests {
    /** Family-wise error rate of the "what differs significantly" list (Holm-corrected). */
    public static final double SIGNIFICANCE = 0.05;
    /** Bootstrap replicates and seed of the paired bootstraps: fixed, so the same runs always give the same report. */
    static final int BOOTSTRAP_SAMPLES = 2000;
    static final long BOOTSTRAP_SEED = 42;

    private RunPairTests() {
    }

    /**
     * One run as the tests see it.
     *
     * @param runFolder where its per-example files are; null for a report (which holds none)
     * @param rows its metric rows (which dataset each subject was scored on)
     */
    public record Run(String name, Path runFolder, List<MetricRow> rows) {
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
        public PairedTest(String area, String subject, String run, String against, String metric, String test, Long n,
                   Long onlyRunRight, Long onlyAgainstRight, Double difference, Double ciLow, Double ciHigh,
                   Double pValue, String refused) {
            this(area, subject, run, against, metric, test, n, onlyRunRight, onlyAgainstRight, difference, ciLow,
                    ciHigh, pValue, refused, null);
        }

        /** Significant at 5 % after Holm's correction over every test of the comparison. */
        @JsonIgnore
        public boolean significant() {
            return pValueHolm != null && pValueHolm < SIGNIFICANCE;
        }

        public static PairedTest refused(String area, String subject, String run, String against, String metric,
                                  String why) {
            return new PairedTest(area, subject, run, against, metric, null, null, null, null, null, null, null, null,
                    why);
        }
    }

    /** Every test of each later run against the first, with Holm-adjusted p-values over all of them. */
    public static List<PairedTest> againstFirst(List<Run> runs) throws IOException {
        List<PairedTest> tests = new ArrayList<>();
        for (int i = 1; i < runs.size(); i++) {
            tests.addAll(classifierTests(runs.get(0), runs.get(i)));
            tests.addAll(languageModelTests(runs.get(0), runs.get(i)));
            tests.addAll(instructTests(runs.get(0), runs.get(i)));
            tests.addAll(TaskRunPairs.between(runs.get(0).name(), runs.get(0).runFolder(), runs.get(i).name(),
                    runs.get(i).runFolder(), BOOTSTRAP_SAMPLES, BOOTSTRAP_SEED));
        }
        return holm(tests);
    }

    private static String datasetOf(Run s, String subject, String metric) {
        return s.rows().stream().filter(r -> r.stage().equals(EvaluateStage.NAME) && r.subject().equals(subject)
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

    static List<PairedTest> classifierTests(Run first, Run other) throws IOException {
        String area = "classifier";
        String metric = Metric.ACCURACY.key();
        Map<String, List<Samples.Sample>> a = samples(first);
        Map<String, List<Samples.Sample>> b = samples(other);
        if (a == null || b == null) {
            if (a == null && b == null) {
                return List.of();
            }
            Run missing = a == null ? first : other;
            return List.of(PairedTest.refused(area, "*", other.name(), first.name(), metric,
                    missing.name() + " has no " + RunFolder.EVAL_SAMPLES
                            + (missing.runFolder() == null ? " (a report holds no per-example predictions; "
                            + "compare run folders)" : " (evaluated before per-example files existed?)")));
        }
        List<PairedTest> out = new ArrayList<>();
        for (String subject : new TreeSet<>(a.keySet())) {
            if (!b.containsKey(subject)) {
                continue;
            }
            String datasetA = datasetOf(first, subject, metric);
            String datasetB = datasetOf(other, subject, metric);
            if (!Objects.equals(datasetA, datasetB)) {
                out.add(PairedTest.refused(area, subject, other.name(), first.name(), metric,
                        "different datasets: " + datasetA + " vs " + datasetB));
                continue;
            }
            String mismatch = itemMismatch(a.get(subject), b.get(subject));
            if (mismatch != null) {
                out.add(PairedTest.refused(area, subject, other.name(), first.name(), metric, mismatch));
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
            out.add(new PairedTest(area, subject, other.name(), first.name(), metric, "mcnemar_" + m.method(),
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
        return new PairedTest("classifier", subject, run, against, Metric.MACRO_F1.key(), "paired_bootstrap",
                (long) gold.size(), null, null, p.observed(), ci.low(), ci.high(), p.pValue(), null);
    }

    /** Null when both lists hold the same ids with the same text hashes; else the reason they do not match. */
    static String itemMismatch(List<Samples.Sample> a, List<Samples.Sample> b) {
        Map<String, String> hashA = new TreeMap<>();
        a.forEach(s -> hashA.put(s.id(), String.valueOf(s.textSha256())));
        Map<String, String> hashB = new TreeMap<>();
        b.forEach(s -> hashB.put(s.id(), String.valueOf(s.textSha256())));
        if (hashA.size() != a.size() || hashB.size() != b.size()) {
            return "duplicate example ids in " + RunFolder.EVAL_SAMPLES;
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

    private static Map<String, List<Samples.Sample>> samples(Run s) throws IOException {
        if (s.runFolder() == null || !Files.isRegularFile(s.runFolder().resolve(RunFolder.EVAL_SAMPLES))) {
            return null;
        }
        Map<String, List<Samples.Sample>> out = new TreeMap<>();
        for (Samples.Sample sample : Samples.read(s.runFolder().resolve(RunFolder.EVAL_SAMPLES))) {
            out.computeIfAbsent(sample.subject(), k -> new ArrayList<>()).add(sample);
        }
        return out;
    }

    /**
     * Paired bootstrap of bits per byte (fine-tuned model of run − fine-tuned model of the first run) over the test
     * documents, when both runs scored the same documents (same ids, same byte counts, same dataset).
     */
    static List<PairedTest> languageModelTests(Run first, Run other) throws IOException {
        String area = "language_model";
        String metric = Metric.BITS_PER_BYTE.key();
        List<PredictionFiles.LmDocument> a = lmDocuments(first);
        List<PredictionFiles.LmDocument> b = lmDocuments(other);
        if (a == null || b == null) {
            if (a == null && b == null) {
                return List.of();
            }
            Run missing = a == null ? first : other;
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), metric,
                    missing.name() + " has no " + RunFolder.LM_PREDICTIONS
                            + (missing.runFolder() == null ? " (a report holds no per-document scores)" : "")));
        }
        String datasetA = datasetOf(first, "finetuned", metric);
        String datasetB = datasetOf(other, "finetuned", metric);
        if (!Objects.equals(datasetA, datasetB)) {
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), metric,
                    "different datasets: " + datasetA + " vs " + datasetB));
        }
        Map<String, PredictionFiles.LmDocument> byIdA = new TreeMap<>();
        a.forEach(d -> byIdA.put(d.id(), d));
        Map<String, PredictionFiles.LmDocument> byIdB = new TreeMap<>();
        b.forEach(d -> byIdB.put(d.id(), d));
        if (!byIdA.keySet().equals(byIdB.keySet()) || byIdA.size() != a.size() || byIdB.size() != b.size()) {
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), metric,
                    "different test documents (" + byIdA.size() + " and " + byIdB.size() + " ids, not the same)"));
        }
        boolean hashed = a.stream().allMatch(d -> d.textSha256() != null)
                && b.stream().allMatch(d -> d.textSha256() != null);
        if (hashed) {
            long differentText = byIdA.keySet().stream()
                    .filter(id -> !byIdA.get(id).textSha256().equals(byIdB.get(id).textSha256())).count();
            if (differentText > 0) {
                return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), metric,
                        "same ids but different texts on " + differentText + " of " + byIdA.size() + " documents"));
            }
        }
        // files written before the text hash existed: byte counts are the only check left
        long differentBytes = byIdA.keySet().stream().filter(id -> byIdA.get(id).bytes() != byIdB.get(id).bytes())
                .count();
        if (differentBytes > 0) {
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), metric,
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
        return List.of(ratioOfSums(area, first, other, metric, bitsA, bitsB, bytes));
    }

    /**
     * Paired bootstrap of a ratio of sums (bits per byte, nats per trained token) of the fine-tuned models of
     * {@code other} − {@code first}, over items that share the denominator {@code units}.
     */
    private static PairedTest ratioOfSums(String area, Run first, Run other, String metric, double[] firstValues,
                                          double[] otherValues, long[] units) {
        int n = units.length;
        PairedTests.PairedBootstrap p = PairedTests.pairedBootstrap(n, BOOTSTRAP_SAMPLES, 0.95, BOOTSTRAP_SEED,
                idx -> LanguageModelMetrics.bitsPerByte(otherValues, units, idx)
                        - LanguageModelMetrics.bitsPerByte(firstValues, units, idx));
        Bootstrap.Interval ci = p.interval();
        return new PairedTest(area, "finetuned", other.name(), first.name(), metric, "paired_bootstrap", (long) n,
                null, null, p.observed(), ci.low(), ci.high(), p.pValue(), null);
    }

    private static List<PredictionFiles.LmDocument> lmDocuments(Run s) throws IOException {
        if (s.runFolder() == null || !Files.isRegularFile(s.runFolder().resolve(RunFolder.LM_PREDICTIONS))) {
            return null;
        }
        return PredictionFiles.readLmPredictions(s.runFolder().resolve(RunFolder.LM_PREDICTIONS));
    }

    /**
     * Paired bootstrap of the instruct task's loss per trained token (fine-tuned model of run − fine-tuned model of
     * the first run) over the held-out conversations, when both runs scored the same conversations (same rendered
     * texts, by hash) with the same trained tokens (same template and tokenizer).
     */
    static List<PairedTest> instructTests(Run first, Run other) throws IOException {
        String area = "instruct";
        String metric = Metric.LOSS.key();
        Map<String, double[]> a = instructConversations(first);
        Map<String, double[]> b = instructConversations(other);
        if (a == null || b == null) {
            if (a == null && b == null) {
                return List.of();
            }
            Run missing = a == null ? first : other;
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), metric,
                    missing.name() + " has no " + RunFolder.INSTRUCT_PREDICTIONS + " with " + RunFolder.TEXT_SHA256
                            + (missing.runFolder() == null ? " (a report holds no per-conversation scores)" : "")));
        }
        if (!a.keySet().equals(b.keySet())) {
            TreeSet<String> shared = new TreeSet<>(a.keySet());
            shared.retainAll(b.keySet());
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), metric,
                    "different held-out conversations: " + shared.size() + " shared of " + a.size() + " and "
                            + b.size()));
        }
        long differentTokens = a.keySet().stream().filter(k -> a.get(k)[0] != b.get(k)[0]).count();
        if (differentTokens > 0) {
            return List.of(PairedTest.refused(area, "finetuned", other.name(), first.name(), metric,
                    "same conversations but different trained tokens on " + differentTokens + " of " + a.size()
                            + " (another tokenizer or chat template)"));
        }
        int n = a.size();
        long[] tokens = new long[n];
        double[] nllA = new double[n];
        double[] nllB = new double[n];
        int i = 0;
        for (String key : a.keySet()) {
            tokens[i] = (long) a.get(key)[0];
            nllA[i] = a.get(key)[1];
            nllB[i] = b.get(key)[1];
            i++;
        }
        return List.of(ratioOfSums(area, first, other, metric, nllA, nllB, tokens));
    }

    /** Text hash (#k for its k-th repeat) → {trained tokens, fine-tuned NLL}; null without a hashed file. */
    private static Map<String, double[]> instructConversations(Run s) throws IOException {
        Path file = s.runFolder() == null ? null : s.runFolder().resolve(RunFolder.INSTRUCT_PREDICTIONS);
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        List<CsvFiles.Row> rows = CsvFiles.readRows(file, List.of("trained_tokens", "finetuned_nll"));
        Map<String, double[]> out = new TreeMap<>();
        for (CsvFiles.Row row : rows) {
            String hash = row.get(RunFolder.TEXT_SHA256);
            if (hash.isBlank()) {
                return null; // written before the hash existed: nothing to pair by
            }
            String key = hash;
            for (int k = 2; out.containsKey(key); k++) {
                key = hash + "#" + k;
            }
            out.put(key, new double[] {row.number("trained_tokens"), row.number("finetuned_nll")});
        }
        return out;
    }
}
