package dev.workbench.eval;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.baseline.DummyClassifierTrainer;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.xgboost.XGBoostModel;
import org.tribuo.common.xgboost.XGBoostTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Tribuo models evaluation trains: a most-frequent-class dummy, a multinomial logistic regression (linear SGD,
 * log loss, AdaGrad, seeded) and gradient-boosted trees (XGBoost through Tribuo's xgboost module, seeded). Inputs are sparse feature maps built by the caller, so one class serves text (TF-IDF)
 * and tables (one-hot + standardised numbers).
 */
public final class TribuoModels {
    /** A constant feature so an item with no known feature still gets a prediction (Tribuo rejects empty examples). */
    static final String BIAS = "__bias__";
    private static final LabelFactory LABELS = new LabelFactory();
    /** Keeps the trainer's per-epoch INFO lines (java.util.logging) out of the run log. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    /** One training or test item: features and gold label. */
    public record Item(Map<String, Double> features, String label) {
    }

    /** A predicted label and the probability the model gave it (1.0 for models without probabilities). */
    public record Predicted(String label, double confidence, Map<String, Double> scores) {
    }

    public enum Kind {
        MAJORITY, LOGISTIC_REGRESSION, BOOSTED_TREES;

        /** The name metric rows and reports use. */
        public String label() {
            return switch (this) {
                case MAJORITY -> "majority";
                case LOGISTIC_REGRESSION -> "logistic_regression";
                case BOOSTED_TREES -> "boosted_trees";
            };
        }
    }

    /**
     * Boosting rounds, learning rate and depth of the boosted-tree model: XGBoost's usual defaults with 100 rounds,
     * close to scikit-learn's HistGradientBoostingClassifier (100 rounds, learning rate 0.1), the reference it is
     * checked against (scripts/hgb_reference.py).
     */
    public static final int BOOSTED_ROUNDS = 100;
    public static final double BOOSTED_ETA = 0.1;
    public static final int BOOSTED_MAX_DEPTH = 6;

    private TribuoModels() {
    }

    public static Model<Label> train(Kind kind, List<Item> train, long seed, int epochs) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training items");
        }
        MutableDataset<Label> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("workbench-eval", LABELS), LABELS);
        for (Item item : train) {
            dataset.add(example(item));
        }
        return switch (kind) {
            case MAJORITY -> DummyClassifierTrainer.createMostFrequentTrainer().train(dataset);
            case LOGISTIC_REGRESSION -> new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), epochs, seed)
                    .train(dataset);
            // One thread: the same trees on every machine, and the evaluation shares the CPU with the rest of a run.
            case BOOSTED_TREES -> onOwnThread(() -> new XGBoostClassificationTrainer(
                    XGBoostTrainer.BoosterType.GBTREE, XGBoostTrainer.TreeMethod.HIST, BOOSTED_ROUNDS, BOOSTED_ETA, 0,
                    BOOSTED_MAX_DEPTH, 1, 1, 1, 1, 0, 1, XGBoostTrainer.LoggingVerbosity.SILENT, seed).train(dataset));
        };
    }

    public static List<Predicted> predict(Model<Label> model, List<Item> items) {
        return model instanceof XGBoostModel ? onOwnThread(() -> predictHere(model, items)) : predictHere(model, items);
    }

    /**
     * Runs XGBoost work on a thread that ends with it. XGBoost 1.6 keeps each booster's prediction cache (raw pointers
     * to the matrices it saw) in a thread-local map keyed by the booster's address, and erases the entry only when the
     * booster is freed on that same thread; xgboost4j frees boosters and matrices from the JVM's finalizer thread. On
     * a long-lived thread, a later booster born at a reused address inherited a cache of freed matrices and the JVM
     * died (SIGSEGV in LearnerConfiguration::ConfigureTargets, seen in the test suite). A thread's map dies with it.
     */
    private static <T> T onOwnThread(Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(work.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "xgboost");
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while XGBoost ran", e);
        }
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        } else if (thrown instanceof Error error) {
            throw error;
        } else if (thrown != null) {
            throw new IllegalStateException(thrown);
        }
        return result.get();
    }

    private static List<Predicted> predictHere(Model<Label> model, List<Item> items) {
        List<Predicted> out = new ArrayList<>(items.size());
        for (Item item : items) {
            Prediction<Label> p = model.predict(example(item));
            Map<String, Double> scores = new java.util.TreeMap<>();
            p.getOutputScores().forEach((name, label) -> scores.put(name, label.getScore()));
            double confidence = model.generatesProbabilities() ? p.getOutput().getScore() : 1.0;
            out.add(new Predicted(p.getOutput().getLabel(), Math.max(0, Math.min(1, confidence)), scores));
        }
        return out;
    }

    private static Example<Label> example(Item item) {
        int size = item.features().size() + 1;
        String[] names = new String[size];
        double[] values = new double[size];
        int i = 0;
        for (Map.Entry<String, Double> e : item.features().entrySet()) {
            names[i] = e.getKey();
            values[i] = e.getValue();
            i++;
        }
        names[i] = BIAS;
        values[i] = 1.0;
        return new ArrayExample<>(new Label(item.label()), names, values);
    }
}
