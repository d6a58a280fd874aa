package dev.workbench.eval;

import dev.workbench.data.ColumnType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why detection has a boosted-tree row: a synthetic table of independent marginals breaks an interaction (here the
 * label y is "a" exactly when x &gt; 0.5) that a linear detector on (x, one-hot y) cannot represent, so SDMetrics'
 * logistic detection rates it nearly indistinguishable; trees split on x, then y, and see it. Half the shuffled rows
 * break the rule (surely synthetic), the other half look real, so the best possible AUC is 0.5 · 1 + 0.5 · 0.5 = 0.75
 * and the best possible detection score 1 − (2 · 0.75 − 1) = 0.5. Rows from the same distribution stay
 * indistinguishable.
 */
class TreeDetectionTest {

    static List<List<String>> related(int n, Random random) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = random.nextDouble();
            rows.add(List.of(String.format(Locale.ROOT, "%.4f", x), x > 0.5 ? "a" : "b"));
        }
        return rows;
    }

    /** The same marginals, each column shuffled on its own: what the independent synthesizer produces. */
    static List<List<String>> independent(List<List<String>> rows, Random random) {
        List<String> x = new ArrayList<>(rows.stream().map(r -> r.get(0)).toList());
        List<String> y = new ArrayList<>(rows.stream().map(r -> r.get(1)).toList());
        Collections.shuffle(x, random);
        Collections.shuffle(y, random);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            out.add(List.of(x.get(i), y.get(i)));
        }
        return out;
    }

    static double[] detect(List<List<String>> real, List<List<String>> synthetic, TribuoModels.Kind kind) {
        SyntheticEvaluation.Inputs in = new SyntheticEvaluation.Inputs(List.of("x", "y"),
                List.of(ColumnType.CONTINUOUS, ColumnType.CATEGORICAL), real, List.of(), synthetic, Optional.empty());
        return SyntheticEvaluation.detection(in, 5, kind);
    }

    @Test
    void treesSeeTheBrokenInteractionALinearDetectorMisses() {
        Random random = new Random(3);
        List<List<String>> real = related(600, random);
        List<List<String>> shuffled = independent(related(600, random), random);
        double logistic = detect(real, shuffled, TribuoModels.Kind.LOGISTIC_REGRESSION)[1];
        double trees = detect(real, shuffled, TribuoModels.Kind.BOOSTED_TREES)[1];
        assertTrue(logistic > 0.8, "logistic detection score " + logistic);
        assertTrue(trees < 0.6, "tree detection score " + trees + " (0.5 is the best any detector can do)");
        double sameTrees = detect(real, related(600, random), TribuoModels.Kind.BOOSTED_TREES)[1];
        assertTrue(sameTrees > 0.8, "tree detection score on rows of the same distribution " + sameTrees);
    }
}
