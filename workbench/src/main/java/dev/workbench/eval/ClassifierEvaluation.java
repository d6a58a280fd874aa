package dev.workbench.eval;

import dev.workbench.data.ClassificationMetrics;
import dev.workbench.data.ConfusionMatrix;
import dev.workbench.data.LabelledExample;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tribuo baselines on the labelled corpus (train on train, predict test) and the per-example arrays the metrics need.
 * Baseline names are the recipe's: {@code majority} (DummyClassifierTrainer, most frequent) and {@code tfidf-logreg}
 * (TF-IDF features from {@link TfIdf}, multinomial logistic regression).
 */
public final class ClassifierEvaluation {
    public static final String MAJORITY = "majority";
    public static final String TFIDF_LOGREG = "tfidf-logreg";
    static final int EPOCHS = 15;

    private ClassifierEvaluation() {
    }

    public static List<PredictionFiles.ClassifierPrediction> baseline(String name, List<LabelledExample> train,
                                                               List<LabelledExample> test, long seed) {
        List<TribuoModels.Predicted> predicted;
        switch (name) {
            case MAJORITY -> {
                Model<Label> model = TribuoModels.train(TribuoModels.Kind.MAJORITY, items(train, text -> Map.of()), seed, 1);
                predicted = TribuoModels.predict(model, items(test, text -> Map.of()));
            }
            case TFIDF_LOGREG -> {
                TfIdf tfidf = TfIdf.fit(train.stream().map(LabelledExample::text).toList());
                Model<Label> model = TribuoModels.train(TribuoModels.Kind.LOGISTIC_REGRESSION,
                        items(train, tfidf::transform), seed, EPOCHS);
                predicted = TribuoModels.predict(model, items(test, tfidf::transform));
            }
            default -> throw new IllegalArgumentException("unknown baseline '" + name + "' (known: majority, "
                    + "tfidf-logreg)");
        }
        List<PredictionFiles.ClassifierPrediction> out = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            TribuoModels.Predicted p = predicted.get(i);
            boolean hasProbabilities = !name.equals(MAJORITY);
            out.add(new PredictionFiles.ClassifierPrediction(test.get(i).id(), test.get(i).label(), p.label(),
                    hasProbabilities ? p.confidence() : Double.NaN,
                    hasProbabilities ? new java.util.TreeMap<>(p.scores()) : Map.of()));
        }
        return out;
    }

    /** Labelled examples from a CSV file (ids are {@code file:line}); rows with an empty text or label are skipped. */
    public static List<LabelledExample> readLabelled(java.nio.file.Path file, String textColumn, String labelColumn)
            throws java.io.IOException {
        List<LabelledExample> out = new ArrayList<>();
        for (CsvFiles.Row row : CsvFiles.readRows(file, List.of(textColumn, labelColumn))) {
            if (!row.get(textColumn).isBlank() && !row.get(labelColumn).isBlank()) {
                out.add(new LabelledExample(file.getFileName() + ":" + row.line(), row.get(textColumn),
                        row.get(labelColumn)));
            }
        }
        return out;
    }

    private static List<TribuoModels.Item> items(List<LabelledExample> examples,
                                                 java.util.function.Function<String, Map<String, Double>> features) {
        List<TribuoModels.Item> items = new ArrayList<>(examples.size());
        for (LabelledExample e : examples) {
            items.add(new TribuoModels.Item(features.apply(e.text()), e.label()));
        }
        return items;
    }

    /** Accuracy, macro-F1 (with bootstrap CIs) and ECE of one classifier's predictions. */
    public record Scores(String subject, long n, double accuracy, Bootstrap.Interval accuracyCi, double macroF1,
                         Bootstrap.Interval macroF1Ci, double ece, ConfusionMatrix confusion) {
    }

    public static Scores score(String subject, List<PredictionFiles.ClassifierPrediction> predictions, int samples,
                               double confidence, long seed) {
        List<String> gold = predictions.stream().map(PredictionFiles.ClassifierPrediction::label).toList();
        List<String> predicted = predictions.stream().map(PredictionFiles.ClassifierPrediction::predicted).toList();
        int n = gold.size();
        // labels coded once: each replicate counts ints instead of rebuilding a confusion matrix of strings
        LabelCodes codes = LabelCodes.of(gold, List.of(predicted));
        Bootstrap.Result accuracy = Bootstrap.run(n, samples, confidence, seed, idx -> codes.accuracy(0, idx));
        Bootstrap.Result macroF1 = Bootstrap.run(n, samples, confidence, seed, idx -> codes.macroF1(0, idx));
        double ece = Double.NaN;
        if (predictions.stream().noneMatch(p -> Double.isNaN(p.confidence()))) {
            boolean[] correct = new boolean[n];
            double[] conf = new double[n];
            for (int i = 0; i < n; i++) {
                correct[i] = gold.get(i).equals(predicted.get(i));
                conf[i] = predictions.get(i).confidence();
            }
            ece = ClassificationMetrics.expectedCalibrationError(correct, conf, ClassificationMetrics.ECE_BINS);
        }
        return new Scores(subject, n, accuracy.observed(), accuracy.interval(), macroF1.observed(),
                macroF1.interval(), ece, ConfusionMatrix.of(gold, predicted));
    }

    /** Per-item correctness of {@code predictions} in the order of {@code ids}; null when an id is missing. */
    public static boolean[] correctness(List<PredictionFiles.ClassifierPrediction> predictions, List<String> ids) {
        Map<String, PredictionFiles.ClassifierPrediction> byId = new java.util.HashMap<>();
        predictions.forEach(p -> byId.put(p.id(), p));
        boolean[] out = new boolean[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            PredictionFiles.ClassifierPrediction p = byId.get(ids.get(i));
            if (p == null) {
                return null;
            }
            out[i] = p.label().equals(p.predicted());
        }
        return out;
    }
}
