package dev.workbench.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.data.ClassificationMetrics;
import dev.workbench.data.ColumnType;
import dev.workbench.store.Metric;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Compares one synthetic table with real data. The SDMetrics QualityReport figures (Column Shapes, Column Pair Trends
 * in both modes, their quality score) and NewRowSynthesis compare with the WHOLE real table, as
 * {@code QualityReport.generate(real, synthetic, metadata)} does. The figures that need rows the generator never saw
 * (detection, TSTR vs TRTR with boosted trees and with logistic regression, DCR) use the holdout, and say so
 * ({@link Result#basis()}).
 */
public final class SyntheticEvaluation {
    public static final int DETECTION_FOLDS = 3;
    static final int EPOCHS = 10;

    private SyntheticEvaluation() {
    }

    /** Where the holdout-based figures' real rows come from. */
    public enum Holdout {
        /** Rows the generator never saw (the run's test split, or {@code evaluate-synthetic --holdout}). */
        TRUE_HOLDOUT,
        /** A seeded split of the real file, which may be the generator's own training rows: TSTR is then optimistic. */
        SPLIT_OF_REAL;

        public String label() {
            return this == TRUE_HOLDOUT ? "true_holdout" : "split_of_real";
        }
    }

    /**
     * The real and synthetic rows, aligned to one header, and the column types.
     *
     * @param realWhole the whole real table: what shapes, pair trends, quality and new-row synthesis compare with
     * @param realTest  the holdout: detection, the test side of TSTR/TRTR, DCR's fresh rows
     * @param realTrain the real training side of TRTR and DCR
     */
    public record Inputs(List<String> columns, List<ColumnType> types, List<List<String>> realWhole,
                         List<List<String>> realTest, List<List<String>> realTrain, List<List<String>> synthetic,
                         Optional<String> target, SyntheticMetrics.PairBinning binning, Holdout holdout) {

        /** Whole real table = train + test; shared real bin edges; the test rows a true holdout. */
        public Inputs(List<String> columns, List<ColumnType> types, List<List<String>> realTest,
                      List<List<String>> realTrain, List<List<String>> synthetic, Optional<String> target) {
            this(columns, types, concat(realTrain, realTest), realTest, realTrain, synthetic, target,
                    SyntheticMetrics.PairBinning.REAL_EDGES, Holdout.TRUE_HOLDOUT);
        }
    }

    static List<List<String>> concat(List<List<String>> a, List<List<String>> b) {
        List<List<String>> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
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
            return metric.equals(Metric.CORRELATION_SIMILARITY.key()) ? realAssociation > STRONG_CORRELATION
                    : realAssociation > STRONG_CRAMERS_V;
        }
    }

    static final double STRONG_CORRELATION = 0.5;
    static final double STRONG_CRAMERS_V = 0.3;

    /**
     * A pair SDMetrics lists with no score (NaN): its metric is undefined on these rows, e.g. a column constant in
     * the synthetic rows where both cells are present (no correlation). Left out of every mean, as SDMetrics does.
     */
    public record UndefinedPair(@JsonProperty("column_a") String columnA, @JsonProperty("column_b") String columnB,
                                @JsonProperty("metric") String metric, @JsonProperty("reason") String reason) {
    }

    /**
     * Train-on-synthetic/test-on-real (TSTR) next to train-on-real/test-on-real (TRTR), same model, same test rows.
     *
     * @param model {@link TribuoModels.Kind#label()}: boosted_trees (the default) or logistic_regression
     */
    public record Efficacy(@JsonProperty("model") String model, @JsonProperty("target") String target,
                           @JsonProperty("n_test") int nTest,
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
                         @JsonProperty("quality_score_thresholded") double qualityThresholded,
                         @JsonProperty("holdout_rows") int holdoutRows,
                         @JsonProperty("holdout") String holdout,
                         @JsonProperty("pair_binning") String pairBinning,
                         @JsonProperty("column_types") java.util.Map<String, String> columnTypes,
                         @JsonProperty("undefined_pairs") List<UndefinedPair> undefinedPairs,
                         @JsonProperty("efficacy_logistic") Efficacy efficacyLogistic,
                         @JsonProperty("detection_tree_auc") double detectionTreeAuc,
                         @JsonProperty("detection_tree_score") double detectionTreeScore,
                         @JsonProperty("basis") java.util.Map<String, String> basis,
                         @JsonProperty("notes") List<String> notes) {
        /** TSTR/TRTR, absent without a target column or a real training split. */
        public Optional<Efficacy> efficacyIfAny() {
            return Optional.ofNullable(efficacy);
        }

        /** TSTR/TRTR with logistic regression (the second row), absent as {@link #efficacyIfAny()}. */
        public Optional<Efficacy> efficacyLogisticIfAny() {
            return Optional.ofNullable(efficacyLogistic);
        }

        /** DCR scores, absent without a real training split. */
        public Optional<PrivacyScores> privacyIfAny() {
            return Optional.ofNullable(privacy);
        }
    }

    /** Share of the real file used as "training" data without a true holdout; the rest is the holdout. */
    public static final double FILE_TRAIN_SHARE = 0.7;

    /** What the TSTR note says when the holdout is only a split of the real file. */
    public static final String OPTIMISTIC_TSTR_NOTE = "no true holdout: TSTR/TRTR, detection and DCR use a seeded "
            + Math.round(100 * FILE_TRAIN_SHARE) + "/" + Math.round(100 * (1 - FILE_TRAIN_SHARE)) + " split of the real file; if the generator was "
            + "trained on that file, TSTR on a split of its own training rows is optimistic (give --holdout with rows "
            + "it never saw)";

    public static Result evaluate(Inputs in, long seed) {
        List<ColumnScore> columns = columnShapes(in);
        List<UndefinedPair> undefined = new ArrayList<>();
        List<PairScore> pairs = pairTrends(in, undefined);
        double ks = mean(columns.stream().filter(c -> c.metric().equals(Metric.KS_COMPLEMENT.key()))
                .mapToDouble(ColumnScore::score));
        double tv = mean(columns.stream().filter(c -> c.metric().equals(Metric.TV_COMPLEMENT.key()))
                .mapToDouble(ColumnScore::score));
        double shapes = mean(columns.stream().mapToDouble(ColumnScore::score));
        double corr = mean(pairs.stream().filter(p -> p.metric().equals(Metric.CORRELATION_SIMILARITY.key()))
                .mapToDouble(PairScore::score));
        double cont = mean(pairs.stream().filter(p -> p.metric().equals(Metric.CONTINGENCY_SIMILARITY.key()))
                .mapToDouble(PairScore::score));
        double trends = mean(pairs.stream().mapToDouble(PairScore::score));
        double quality = mean(java.util.stream.DoubleStream.of(shapes, trends));
        double[] detection = detection(in, seed, TribuoModels.Kind.LOGISTIC_REGRESSION);
        double[] treeDetection = detection(in, seed, TribuoModels.Kind.BOOSTED_TREES);
        // TSTR/TRTR need rows on both sides to train and real rows to test on.
        boolean efficacyPossible = in.target().isPresent() && !in.realTrain().isEmpty()
                && !in.synthetic().isEmpty() && !in.realTest().isEmpty();
        Optional<Efficacy> efficacy = efficacyPossible
                ? Optional.of(efficacy(in, seed, TribuoModels.Kind.BOOSTED_TREES)) : Optional.empty();
        Optional<Efficacy> efficacyLogistic = efficacyPossible
                ? Optional.of(efficacy(in, seed, TribuoModels.Kind.LOGISTIC_REGRESSION)) : Optional.empty();
        Optional<PrivacyScores> privacy = in.realTrain().isEmpty() ? Optional.empty() : Optional.of(privacy(in));
        // SDMetrics' current mode: only strongly associated real pairs count; with none, quality is the shapes alone
        double trendsStrong = mean(pairs.stream().filter(PairScore::strong).mapToDouble(PairScore::score));
        double qualityStrong = Double.isNaN(trendsStrong) ? shapes
                : mean(java.util.stream.DoubleStream.of(shapes, trendsStrong));
        java.util.Map<String, String> types = new java.util.LinkedHashMap<>();
        for (int c = 0; c < in.columns().size(); c++) {
            types.put(in.columns().get(c), in.types().get(c).evaluationKind());
        }
        String holdout = in.holdout().label();
        java.util.Map<String, String> basis = new java.util.LinkedHashMap<>();
        for (String whole : List.of("column_shapes", "column_pair_trends", "column_pair_trends_thresholded",
                "quality_score", "quality_score_thresholded", "new_row_synthesis")) {
            basis.put(whole, "whole_real_table");
        }
        for (String held : List.of("detection", "detection_tree", "efficacy", "efficacy_logistic", "dcr")) {
            basis.put(held, holdout);
        }
        List<String> notes = in.holdout() == Holdout.SPLIT_OF_REAL ? List.of(OPTIMISTIC_TSTR_NOTE) : List.of();
        return new Result(in.realWhole().size(), in.synthetic().size(), columns, pairs, ks, tv, shapes, corr, cont,
                trends, quality, detection[0], detection[1], efficacy.orElse(null), privacy.orElse(null),
                trendsStrong, qualityStrong, in.realTest().size(), holdout, in.binning().label(), types,
                List.copyOf(undefined), efficacyLogistic.orElse(null), treeDetection[0], treeDetection[1], basis,
                notes);
    }

    /**
     * The tidy metric rows of one synthetic table's result, in a fixed order: the evaluate stage and
     * {@code evaluate-synthetic} both report these. Rows about the real data alone (subject {@code real}: TRTR, the
     * holdout's DCR) repeat for every method; callers keep one. Non-finite values are left out.
     */
    public static List<dev.workbench.store.MetricRow> metricRows(String stage, String split, String subject,
                                                                 String dataset, Result r) {
        List<dev.workbench.store.MetricRow> rows = new ArrayList<>();
        RowAdder add = (who, metric, value, n) -> {
            if (Double.isFinite(value)) {
                rows.add(dev.workbench.store.MetricRow.of(stage, who, dataset, split, metric, value, n));
            }
        };
        long n = r.realRows();
        long h = r.holdoutRows();
        long m = r.syntheticRows();
        add.add(subject, Metric.KS_COMPLEMENT, r.ksComplement(), n);
        add.add(subject, Metric.TV_COMPLEMENT, r.tvComplement(), n);
        add.add(subject, Metric.COLUMN_SHAPES, r.columnShapes(), n);
        add.add(subject, Metric.CORRELATION_SIMILARITY, r.correlationSimilarity(), n);
        add.add(subject, Metric.CONTINGENCY_SIMILARITY, r.contingencySimilarity(), n);
        add.add(subject, Metric.COLUMN_PAIR_TRENDS, r.columnPairTrends(), n);
        add.add(subject, Metric.QUALITY_SCORE, r.quality(), n);
        add.add(subject, Metric.COLUMN_PAIR_TRENDS_THRESHOLDED, r.columnPairTrendsThresholded(), n);
        add.add(subject, Metric.QUALITY_SCORE_THRESHOLDED, r.qualityThresholded(), n);
        add.add(subject, Metric.DETECTION_AUC, r.detectionAuc(), h);
        add.add(subject, Metric.DETECTION_SCORE, r.detectionScore(), h);
        add.add(subject, Metric.DETECTION_TREE_AUC, r.detectionTreeAuc(), h);
        add.add(subject, Metric.DETECTION_TREE_SCORE, r.detectionTreeScore(), h);
        r.efficacyIfAny().ifPresent(e -> {
            add.add(subject, Metric.TSTR_ACCURACY, e.tstrAccuracy(), e.nTest());
            add.add(subject, Metric.TSTR_MACRO_F1, e.tstrMacroF1(), e.nTest());
            add.add("real", Metric.TRTR_ACCURACY, e.trtrAccuracy(), e.nTest());
            add.add("real", Metric.TRTR_MACRO_F1, e.trtrMacroF1(), e.nTest());
        });
        r.efficacyLogisticIfAny().ifPresent(e -> {
            add.add(subject, Metric.TSTR_ACCURACY_LOGISTIC, e.tstrAccuracy(), e.nTest());
            add.add(subject, Metric.TSTR_MACRO_F1_LOGISTIC, e.tstrMacroF1(), e.nTest());
            add.add("real", Metric.TRTR_ACCURACY_LOGISTIC, e.trtrAccuracy(), e.nTest());
            add.add("real", Metric.TRTR_MACRO_F1_LOGISTIC, e.trtrMacroF1(), e.nTest());
        });
        r.privacyIfAny().ifPresent(p -> {
            add.add(subject, Metric.DCR_MEDIAN, p.dcrMedian(), m);
            add.add("real", Metric.DCR_HOLDOUT_MEDIAN, p.dcrHoldoutMedian(), h);
            add.add(subject, Metric.DCR_RATIO, p.dcrRatio(), m);
            add.add(subject, Metric.DCR_OVERFITTING_PROTECTION, p.overfittingProtection(), m);
            add.add(subject, Metric.NEW_ROW_SYNTHESIS, p.newRowSynthesis(), m);
            add.add(subject, Metric.EXACT_COPY_RATE, m == 0 ? Double.NaN : (double) p.exactCopies() / m, m);
        });
        return rows;
    }

    private interface RowAdder {
        void add(String subject, Metric metric, double value, long n);
    }

    static List<ColumnScore> columnShapes(Inputs in) {
        List<ColumnScore> out = new ArrayList<>();
        for (int c = 0; c < in.columns().size(); c++) {
            if (in.types().get(c).numeric()) {
                double s = SyntheticMetrics.ksComplement(numbers(in.realWhole(), c), numbers(in.synthetic(), c));
                if (!Double.isNaN(s)) {
                    out.add(new ColumnScore(in.columns().get(c), in.types().get(c).evaluationKind(),
                            Metric.KS_COMPLEMENT.key(), s));
                }
            } else {
                double s = SyntheticMetrics.tvComplement(cells(in.realWhole(), c), cells(in.synthetic(), c));
                if (!Double.isNaN(s)) {
                    out.add(new ColumnScore(in.columns().get(c), in.types().get(c).evaluationKind(),
                            Metric.TV_COMPLEMENT.key(), s));
                }
            }
        }
        return out;
    }

    /** Every pair, against the whole real table; pairs whose metric is undefined go to {@code undefined}. */
    static List<PairScore> pairTrends(Inputs in, List<UndefinedPair> undefined) {
        List<PairScore> out = new ArrayList<>();
        List<List<String>> real = in.realWhole();
        int n = in.columns().size();
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                boolean na = in.types().get(a).numeric();
                boolean nb = in.types().get(b).numeric();
                double score;
                double association;
                String metric;
                String reason = "";
                if (na && nb) {
                    metric = Metric.CORRELATION_SIMILARITY.key();
                    double[] rx = numbers(real, a);
                    double[] ry = numbers(real, b);
                    double realRho = SyntheticMetrics.pearson(rx, ry);
                    double synRho = SyntheticMetrics.pearson(numbers(in.synthetic(), a), numbers(in.synthetic(), b));
                    score = 1 - Math.abs(realRho - synRho) / 2;
                    association = Math.abs(realRho);
                    if (Double.isNaN(realRho) || Double.isNaN(synRho)) {
                        reason = (Double.isNaN(realRho) ? "real" : "synthetic") + " correlation undefined (a column "
                                + "is constant, or fewer than 2 rows have both cells)";
                    }
                } else {
                    metric = Metric.CONTINGENCY_SIMILARITY.key();
                    List<List<String>> ca = categories(in, a, na);
                    List<List<String>> cb = categories(in, b, nb);
                    score = SyntheticMetrics.contingencySimilarity(ca.get(0), cb.get(0), ca.get(1), cb.get(1));
                    association = SyntheticMetrics.cramersV(ca.get(0), cb.get(0));
                    if (Double.isNaN(score)) {
                        reason = "no rows";
                    }
                }
                if (Double.isNaN(score)) {
                    undefined.add(new UndefinedPair(in.columns().get(a), in.columns().get(b), metric, reason));
                } else {
                    out.add(new PairScore(in.columns().get(a), in.columns().get(b), metric, score, association));
                }
            }
        }
        return out;
    }

    static List<PairScore> pairTrends(Inputs in) {
        return pairTrends(in, new ArrayList<>());
    }

    /**
     * Detection: real (holdout) vs synthetic rows, stratified {@value #DETECTION_FOLDS}-fold cross-validation with a
     * seeded shuffle, ROC AUC per fold; SDMetrics score {@code 1 − mean(2 · max(AUC, 0.5) − 1)}. With logistic
     * regression this is SDMetrics' LogisticDetection; with boosted trees it also sees what a linear model cannot
     * (independent marginals that break every interaction).
     *
     * @return {mean AUC, detection score}
     */
    static double[] detection(Inputs in, long seed, TribuoModels.Kind kind) {
        List<List<String>> all = new ArrayList<>(in.realTest());
        all.addAll(in.synthetic());
        int nReal = in.realTest().size();
        if (nReal < DETECTION_FOLDS || in.synthetic().size() < DETECTION_FOLDS) {
            return new double[]{Double.NaN, Double.NaN};
        }
        TabularFeatures encoder = TabularFeatures.fit(all, in.types(), -1);
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
            Model<Label> model = TribuoModels.train(kind, train, seed + f, EPOCHS);
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

    static Efficacy efficacy(Inputs in, long seed, TribuoModels.Kind model) {
        int target = in.columns().indexOf(in.target().get());
        if (target < 0) {
            throw new IllegalArgumentException("target column '" + in.target().get() + "' is not in " + in.columns());
        }
        List<ColumnType> types = new ArrayList<>(in.types());
        TableModelScore tstr = trainAndTest(in.synthetic(), in.realTest(), types, target, seed, model);
        TableModelScore trtr = trainAndTest(in.realTrain(), in.realTest(), types, target, seed, model);
        return new Efficacy(model.label(), in.columns().get(target), in.realTest().size(), tstr.accuracy(), tstr.macroF1(),
                trtr.accuracy(), trtr.macroF1(), PairedTests.mcnemar(tstr.correct(), trtr.correct()),
                tstr.correct(), trtr.correct());
    }

    /** Accuracy, macro-F1 and per-row correctness of one model on the table target. */
    public record TableModelScore(double accuracy, double macroF1, boolean[] correct) {
    }

    public static TableModelScore trainAndTest(List<List<String>> train, List<List<String>> test,
                                               List<ColumnType> types, int target, long seed,
                                               TribuoModels.Kind kind) {
        TabularFeatures encoder = TabularFeatures.fit(train, types, target);
        Model<Label> model = TribuoModels.train(kind, encoder.items(train, target, null), seed, EPOCHS);
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
        double[] ranges = Privacy.ranges(in.realTrain(), in.types());
        double[] synToTrain = Privacy.dcr(in.synthetic(), in.realTrain(), in.types(), ranges);
        double[] holdoutToTrain = Privacy.dcr(in.realTest(), in.realTrain(), in.types(), ranges);
        double[] synToHoldout = Privacy.dcr(in.synthetic(), in.realTest(), in.types(), ranges);
        double synMedian = Privacy.median(synToTrain);
        double holdoutMedian = Privacy.median(holdoutToTrain);
        long copies = java.util.Arrays.stream(synToTrain).filter(d -> d == 0).count();
        return new PrivacyScores(synMedian, holdoutMedian,
                holdoutMedian == 0 ? Double.NaN : synMedian / holdoutMedian,
                Privacy.overfittingProtection(synToTrain, synToHoldout), copies,
                Privacy.newRowShare(in.synthetic(), in.realWhole(), in.types(),
                        Privacy.ranges(in.realWhole(), in.types()), Privacy.NEW_ROW_TOLERANCE));
    }

    static double[] numbers(List<List<String>> rows, int c) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = TableCells.number(TableCells.cell(rows.get(i), c));
        }
        return out;
    }

    static List<String> cells(List<List<String>> rows, int c) {
        List<String> out = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            out.add(TableCells.cell(row, c));
        }
        return out;
    }

    /** A column of the whole real table and of the synthetic one as categories, {real, synthetic}: itself, or binned. */
    private static List<List<String>> categories(Inputs in, int c, boolean numeric) {
        return numeric ? SyntheticMetrics.binPair(numbers(in.realWhole(), c), numbers(in.synthetic(), c), in.binning())
                : List.of(cells(in.realWhole(), c), cells(in.synthetic(), c));
    }

    private static double mean(java.util.stream.DoubleStream values) {
        double[] v = values.filter(x -> !Double.isNaN(x)).toArray();
        return v.length == 0 ? Double.NaN : java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }
}
