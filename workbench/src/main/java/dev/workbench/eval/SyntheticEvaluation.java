package dev.workbench.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Compares one synthetic table with real data: Column Shapes and Column Pair Trends (SDMetrics, legacy mode: every
 * pair counts), logistic detection, ML efficacy (train on synthetic vs train on real, test on real) and DCR privacy.
 * Every real/synthetic comparison is against the real TEST split, which the generator never saw.
 */
public final class SyntheticEvaluation {
    public static final int DETECTION_FOLDS = 3;
    static final int EPOCHS = 10;

    private SyntheticEvaluation() {
    }

    /** The real and synthetic rows, aligned to one header, and the column kinds. */
    public record Inputs(List<String> columns, List<ColumnKind> kinds, List<List<String>> realTest,
                         List<List<String>> realTrain, List<List<String>> synthetic, Optional<String> target) {
    }

    public record ColumnScore(@JsonProperty("column") String column, @JsonProperty("kind") String kind,
                              @JsonProperty("metric") String metric, @JsonProperty("score") double score) {
    }

    /**
     * @param realAssociation |Pearson ρ| (numeric pairs) or Cramér's V (other pairs) on the real rows: what the
     *     thresholded quality mode filters on
     */
    public record PairScore(@JsonProperty("column_a") String columnA, @JsonProperty("column_b") String columnB,
                            @JsonProperty("metric") String metric, @JsonProperty("score") double score,
                            @JsonProperty("real_association") double realAssociation) {

        /** SDMetrics' current Quality mode counts a pair only when its real association is strong. */
        public boolean strong() {
            return metric.equals("correlation_similarity") ? realAssociation > STRONG_CORRELATION
                    : realAssociation > STRONG_CRAMERS_V;
        }
    }

    static final double STRONG_CORRELATION = 0.5;
    static final double STRONG_CRAMERS_V = 0.3;

    /** Train-on-synthetic/test-on-real (TSTR) next to train-on-real/test-on-real (TRTR), same model, same test rows. */
    public record Efficacy(@JsonProperty("target") String target, @JsonProperty("n_test") int nTest,
                           @JsonProperty("tstr_accuracy") double tstrAccuracy,
                           @JsonProperty("tstr_macro_f1") double tstrMacroF1,
                           @JsonProperty("trtr_accuracy") double trtrAccuracy,
                           @JsonProperty("trtr_macro_f1") double trtrMacroF1,
                           @JsonProperty("mcnemar_tstr_vs_trtr") PairedTests.McNemar mcnemar,
                           @JsonIgnore boolean[] tstrCorrect, @JsonIgnore boolean[] trtrCorrect) {
    }

    /** @param dcrRatio median DCR(synthetic→train) / median DCR(holdout→train); below 1 = closer than fresh data */
    public record PrivacyScores(@JsonProperty("dcr_median") double dcrMedian,
                                @JsonProperty("dcr_holdout_median") double dcrHoldoutMedian,
                                @JsonProperty("dcr_ratio") double dcrRatio,
                                @JsonProperty("dcr_overfitting_protection") double overfittingProtection,
                                @JsonProperty("exact_copies") long exactCopies,
                                @JsonProperty("new_row_synthesis") double newRowSynthesis) {
    }

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Result(@JsonProperty("real_rows") int realRows, @JsonProperty("synthetic_rows") int syntheticRows,
                         @JsonProperty("columns") List<ColumnScore> columns, @JsonProperty("pairs") List<PairScore> pairs,
                         @JsonProperty("ks_complement") double ksComplement,
                         @JsonProperty("tv_complement") double tvComplement,
                         @JsonProperty("column_shapes") double columnShapes,
                         @JsonProperty("correlation_similarity") double correlationSimilarity,
                         @JsonProperty("contingency_similarity") double contingencySimilarity,
                         @JsonProperty("column_pair_trends") double columnPairTrends,
                         @JsonProperty("quality_score") double quality,
                         @JsonProperty("detection_auc") double detectionAuc,
                         @JsonProperty("detection_score") double detectionScore,
                         @JsonProperty("efficacy") Efficacy efficacy,
                         @JsonProperty("privacy") PrivacyScores privacy,
                         @JsonProperty("column_pair_trends_thresholded") double columnPairTrendsThresholded,
                         @JsonProperty("quality_score_thresholded") double qualityThresholded) {
        /** TSTR/TRTR, absent without a target column or a real training split. */
        public Optional<Efficacy> efficacyIfAny() {
            return Optional.ofNullable(efficacy);
        }

        /** DCR scores, absent without a real training split. */
        public Optional<PrivacyScores> privacyIfAny() {
            return Optional.ofNullable(privacy);
        }
    }

    public static Result evaluate(Inputs in, long seed) {
        List<ColumnScore> columns = columnShapes(in);
        List<PairScore> pairs = pairTrends(in);
        double ks = mean(columns.stream().filter(c -> c.metric().equals("ks_complement")).mapToDouble(ColumnScore::score));
        double tv = mean(columns.stream().filter(c -> c.metric().equals("tv_complement")).mapToDouble(ColumnScore::score));
        double shapes = mean(columns.stream().mapToDouble(ColumnScore::score));
        double corr = mean(pairs.stream().filter(p -> p.metric().equals("correlation_similarity"))
                .mapToDouble(PairScore::score));
        double cont = mean(pairs.stream().filter(p -> p.metric().equals("contingency_similarity"))
                .mapToDouble(PairScore::score));
        double trends = mean(pairs.stream().mapToDouble(PairScore::score));
        double quality = mean(java.util.stream.DoubleStream.of(shapes, trends));
        double[] detection = detection(in, seed);
        // TSTR/TRTR need rows on both sides to train and real rows to test on.
        Optional<Efficacy> efficacy = in.target().isPresent() && !in.realTrain().isEmpty()
                && !in.synthetic().isEmpty() && !in.realTest().isEmpty()
                ? Optional.of(efficacy(in, seed)) : Optional.empty();
        Optional<PrivacyScores> privacy = in.realTrain().isEmpty() ? Optional.empty() : Optional.of(privacy(in));
        // SDMetrics' current mode: only strongly associated real pairs count; with none, quality is the shapes alone
        double trendsStrong = mean(pairs.stream().filter(PairScore::strong).mapToDouble(PairScore::score));
        double qualityStrong = Double.isNaN(trendsStrong) ? shapes
                : mean(java.util.stream.DoubleStream.of(shapes, trendsStrong));
        return new Result(in.realTest().size(), in.synthetic().size(), columns, pairs, ks, tv, shapes, corr, cont,
                trends, quality, detection[0], detection[1], efficacy.orElse(null), privacy.orElse(null),
                trendsStrong, qualityStrong);
    }

    /**
     * The tidy metric rows of one synthetic table's result, in a fixed order: the evaluate stage and
     * {@code evaluate-synthetic} both report these. Rows about the real data alone (subject {@code real}: TRTR, the
     * holdout's DCR) repeat for every method; callers keep one. Non-finite values are left out.
     */
    public static List<dev.workbench.store.MetricRow> metricRows(String stage, String split, String subject,
                                                                 String dataset, Result r) {
        List<dev.workbench.store.MetricRow> rows = new ArrayList<>();
        RowAdder add = (who, metric, value, n, higherIsBetter) -> {
            if (Double.isFinite(value)) {
                rows.add(dev.workbench.store.MetricRow.of(stage, who, dataset, split, metric, value, n,
                        higherIsBetter));
            }
        };
        long n = r.realRows();
        long m = r.syntheticRows();
        add.add(subject, "ks_complement", r.ksComplement(), n, true);
        add.add(subject, "tv_complement", r.tvComplement(), n, true);
        add.add(subject, "column_shapes", r.columnShapes(), n, true);
        add.add(subject, "correlation_similarity", r.correlationSimilarity(), n, true);
        add.add(subject, "contingency_similarity", r.contingencySimilarity(), n, true);
        add.add(subject, "column_pair_trends", r.columnPairTrends(), n, true);
        add.add(subject, "quality_score", r.quality(), n, true);
        add.add(subject, "column_pair_trends_thresholded", r.columnPairTrendsThresholded(), n, true);
        add.add(subject, "quality_score_thresholded", r.qualityThresholded(), n, true);
        add.add(subject, "detection_auc", r.detectionAuc(), n, false);
        add.add(subject, "detection_score", r.detectionScore(), n, true);
        r.efficacyIfAny().ifPresent(e -> {
            add.add(subject, "tstr_accuracy", e.tstrAccuracy(), e.nTest(), true);
            add.add(subject, "tstr_macro_f1", e.tstrMacroF1(), e.nTest(), true);
            add.add("real", "trtr_accuracy", e.trtrAccuracy(), e.nTest(), true);
            add.add("real", "trtr_macro_f1", e.trtrMacroF1(), e.nTest(), true);
        });
        r.privacyIfAny().ifPresent(p -> {
            add.add(subject, "dcr_median", p.dcrMedian(), m, true);
            add.add("real", "dcr_holdout_median", p.dcrHoldoutMedian(), n, true);
            add.add(subject, "dcr_ratio", p.dcrRatio(), m, true);
            add.add(subject, "dcr_overfitting_protection", p.overfittingProtection(), m, true);
            add.add(subject, "new_row_synthesis", p.newRowSynthesis(), m, true);
            add.add(subject, "exact_copy_rate", m == 0 ? Double.NaN : (double) p.exactCopies() / m, m, false);
        });
        return rows;
    }

    private interface RowAdder {
        void add(String subject, String metric, double value, long n, boolean higherIsBetter);
    }

    /** Share of the real file used as "training" data by {@link #evaluateFiles}; the rest is the holdout. */
    public static final double FILE_TRAIN_SHARE = 0.7;

    /**
     * Scores any two CSV files (the {@code evaluate-synthetic} command). The real file is split by a seeded shuffle
     * into 70 % "train" and 30 % holdout: the synthetic table is compared with the holdout, TRTR trains on the 70 %,
     * and DCR compares synthetic→train with holdout→train. Column typing is the simple rule of {@link ColumnKind}.
     */
    public static Result evaluateFiles(java.nio.file.Path realFile, java.nio.file.Path syntheticFile,
                                       Optional<String> target, long seed) throws java.io.IOException {
        dev.workbench.data.Table real = RunFiles.readTable(realFile);
        dev.workbench.data.Table synthetic = RunFiles.readTable(syntheticFile);
        if (target.isPresent() && !real.columns().contains(target.get())) {
            throw dev.workbench.recipe.WorkbenchException.invalid(realFile + ":1: no target column '" + target.get()
                    + "' (header: " + real.columns() + ")");
        }
        if (real.rows().size() < 2 * DETECTION_FOLDS) {
            throw dev.workbench.recipe.WorkbenchException.invalid(realFile + ": needs at least " + 2 * DETECTION_FOLDS
                    + " rows, has " + real.rows().size());
        }
        List<List<String>> rows = new ArrayList<>(real.rows());
        Collections.shuffle(rows, new Random(seed));
        int cut = (int) Math.round(rows.size() * FILE_TRAIN_SHARE);
        List<List<String>> train = rows.subList(0, cut);
        List<List<String>> holdout = rows.subList(cut, rows.size());
        List<ColumnKind> kinds = ColumnKind.infer(real.columns(), real.rows(), java.util.Map.of());
        return evaluate(new Inputs(real.columns(), kinds, holdout, train, RunFiles.align(synthetic, real.columns()),
                target), seed);
    }

    static List<ColumnScore> columnShapes(Inputs in) {
        List<ColumnScore> out = new ArrayList<>();
        for (int c = 0; c < in.columns().size(); c++) {
            if (in.kinds().get(c) == ColumnKind.NUMERIC) {
                double s = SyntheticMetrics.ksComplement(numbers(in.realTest(), c), numbers(in.synthetic(), c));
                if (!Double.isNaN(s)) {
                    out.add(new ColumnScore(in.columns().get(c), "numeric", "ks_complement", s));
                }
            } else {
                double s = SyntheticMetrics.tvComplement(cells(in.realTest(), c), cells(in.synthetic(), c));
                if (!Double.isNaN(s)) {
                    out.add(new ColumnScore(in.columns().get(c), "categorical", "tv_complement", s));
                }
            }
        }
        return out;
    }

    static List<PairScore> pairTrends(Inputs in) {
        List<PairScore> out = new ArrayList<>();
        int n = in.columns().size();
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                boolean na = in.kinds().get(a) == ColumnKind.NUMERIC;
                boolean nb = in.kinds().get(b) == ColumnKind.NUMERIC;
                double score;
                double association;
                String metric;
                if (na && nb) {
                    metric = "correlation_similarity";
                    score = SyntheticMetrics.correlationSimilarity(numbers(in.realTest(), a), numbers(in.realTest(), b),
                            numbers(in.synthetic(), a), numbers(in.synthetic(), b));
                    association = Math.abs(SyntheticMetrics.pearson(numbers(in.realTest(), a),
                            numbers(in.realTest(), b)));
                } else {
                    metric = "contingency_similarity";
                    score = SyntheticMetrics.contingencySimilarity(categories(in.realTest(), a, na),
                            categories(in.realTest(), b, nb), categories(in.synthetic(), a, na),
                            categories(in.synthetic(), b, nb));
                    association = SyntheticMetrics.cramersV(categories(in.realTest(), a, na),
                            categories(in.realTest(), b, nb));
                }
                if (!Double.isNaN(score)) {
                    out.add(new PairScore(in.columns().get(a), in.columns().get(b), metric, score, association));
                }
            }
        }
        return out;
    }

    /**
     * Logistic detection: real (test) vs synthetic rows, stratified {@value #DETECTION_FOLDS}-fold cross-validation
     * with a seeded shuffle, ROC AUC per fold; SDMetrics score {@code 1 − mean(2 · max(AUC, 0.5) − 1)}.
     *
     * @return {mean AUC, detection score}
     */
    static double[] detection(Inputs in, long seed) {
        List<List<String>> all = new ArrayList<>(in.realTest());
        all.addAll(in.synthetic());
        int nReal = in.realTest().size();
        if (nReal < DETECTION_FOLDS || in.synthetic().size() < DETECTION_FOLDS) {
            return new double[]{Double.NaN, Double.NaN};
        }
        TableEncoder encoder = TableEncoder.fit(all, in.kinds(), -1);
        int[] fold = new int[all.size()];
        Random random = new Random(seed);
        assignFolds(fold, 0, nReal, random);
        assignFolds(fold, nReal, all.size(), random);
        double aucSum = 0;
        double sSum = 0;
        for (int f = 0; f < DETECTION_FOLDS; f++) {
            List<TribuoModels.Item> train = new ArrayList<>();
            List<TribuoModels.Item> test = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                TribuoModels.Item item = new TribuoModels.Item(encoder.features(all.get(i)),
                        i < nReal ? "real" : "synthetic");
                (fold[i] == f ? test : train).add(item);
            }
            Model<Label> model = TribuoModels.train(TribuoModels.Kind.LOGISTIC_REGRESSION, train, seed + f, EPOCHS);
            List<TribuoModels.Predicted> predicted = TribuoModels.predict(model, test);
            double[] scoreReal = new double[test.size()];
            boolean[] isReal = new boolean[test.size()];
            for (int i = 0; i < test.size(); i++) {
                scoreReal[i] = predicted.get(i).scores().getOrDefault("real", 0.0);
                isReal[i] = test.get(i).label().equals("real");
            }
            double auc = rocAuc(scoreReal, isReal);
            aucSum += auc;
            sSum += 2 * Math.max(auc, 0.5) - 1;
        }
        return new double[]{aucSum / DETECTION_FOLDS, 1 - sSum / DETECTION_FOLDS};
    }

    private static void assignFolds(int[] fold, int from, int to, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = from; i < to; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        for (int k = 0; k < order.size(); k++) {
            fold[order.get(k)] = k % DETECTION_FOLDS;
        }
    }

    /** ROC AUC = P(score of a random positive > score of a random negative), ties counting one half (Mann–Whitney). */
    public static double rocAuc(double[] score, boolean[] positive) {
        long pos = 0;
        long neg = 0;
        for (boolean p : positive) {
            if (p) {
                pos++;
            } else {
                neg++;
            }
        }
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(score[x], score[y]));
        double rankSumPositive = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPositive += averageRank;
                }
            }
            i = j + 1;
        }
        return (rankSumPositive - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    static Efficacy efficacy(Inputs in, long seed) {
        int target = in.columns().indexOf(in.target().get());
        if (target < 0) {
            throw new IllegalArgumentException("target column '" + in.target().get() + "' is not in " + in.columns());
        }
        List<ColumnKind> kinds = new ArrayList<>(in.kinds());
        TableModelScore tstr = trainAndTest(in.synthetic(), in.realTest(), kinds, target, seed);
        TableModelScore trtr = trainAndTest(in.realTrain(), in.realTest(), kinds, target, seed);
        return new Efficacy(in.columns().get(target), in.realTest().size(), tstr.accuracy(), tstr.macroF1(),
                trtr.accuracy(), trtr.macroF1(), PairedTests.mcnemar(tstr.correct(), trtr.correct()),
                tstr.correct(), trtr.correct());
    }

    /** Accuracy, macro-F1 and per-row correctness of a logistic regression on the table target. */
    public record TableModelScore(double accuracy, double macroF1, boolean[] correct) {
    }

    public static TableModelScore trainAndTest(List<List<String>> train, List<List<String>> test,
                                               List<ColumnKind> kinds, int target, long seed) {
        TableEncoder encoder = TableEncoder.fit(train, kinds, target);
        Model<Label> model = TribuoModels.train(TribuoModels.Kind.LOGISTIC_REGRESSION,
                encoder.items(train, target, null), seed, EPOCHS);
        List<TribuoModels.Item> testItems = encoder.items(test, target, null);
        List<TribuoModels.Predicted> predicted = TribuoModels.predict(model, testItems);
        List<String> gold = testItems.stream().map(TribuoModels.Item::label).toList();
        List<String> labels = predicted.stream().map(TribuoModels.Predicted::label).toList();
        boolean[] correct = new boolean[gold.size()];
        for (int i = 0; i < gold.size(); i++) {
            correct[i] = gold.get(i).equals(labels.get(i));
        }
        return new TableModelScore(ClassificationMetrics.accuracy(gold, labels),
                ClassificationMetrics.macroF1(gold, labels), correct);
    }

    /** Synthetic → train DCR against holdout (real test) → train DCR, plus overfitting protection and exact copies. */
    static PrivacyScores privacy(Inputs in) {
        double[] ranges = Privacy.ranges(in.realTrain(), in.kinds());
        double[] synToTrain = Privacy.dcr(in.synthetic(), in.realTrain(), in.kinds(), ranges);
        double[] holdoutToTrain = Privacy.dcr(in.realTest(), in.realTrain(), in.kinds(), ranges);
        double[] synToHoldout = Privacy.dcr(in.synthetic(), in.realTest(), in.kinds(), ranges);
        double synMedian = Privacy.median(synToTrain);
        double holdoutMedian = Privacy.median(holdoutToTrain);
        long copies = java.util.Arrays.stream(synToTrain).filter(d -> d == 0).count();
        return new PrivacyScores(synMedian, holdoutMedian,
                holdoutMedian == 0 ? Double.NaN : synMedian / holdoutMedian,
                Privacy.overfittingProtection(synToTrain, synToHoldout), copies,
                Privacy.newRowShare(in.synthetic(), in.realTrain(), in.kinds(), ranges, Privacy.NEW_ROW_TOLERANCE));
    }

    static double[] numbers(List<List<String>> rows, int c) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = ColumnKind.parse(ColumnKind.cell(rows.get(i), c));
        }
        return out;
    }

    static List<String> cells(List<List<String>> rows, int c) {
        List<String> out = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            out.add(ColumnKind.cell(row, c));
        }
        return out;
    }

    /** A column as categories: itself, or for a numeric column its equal-width bin (own edges, as SDMetrics). */
    private static List<String> categories(List<List<String>> rows, int c, boolean numeric) {
        return numeric ? SyntheticMetrics.binEqualWidth(numbers(rows, c), SyntheticMetrics.PAIR_BINS) : cells(rows, c);
    }

    private static double mean(java.util.stream.DoubleStream values) {
        double[] v = values.filter(x -> !Double.isNaN(x)).toArray();
        return v.length == 0 ? Double.NaN : java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }
}
