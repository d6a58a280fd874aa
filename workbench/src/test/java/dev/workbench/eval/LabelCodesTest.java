package dev.workbench.eval;

import dev.workbench.data.ClassificationMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bootstrap replicates from {@link LabelCodes} equal the string-list metrics they replace, bit for bit: the same
 * intervals and p-values as before, only faster.
 */
class LabelCodesTest {

    /** Labels drawn from {@code labels} names, skewed so some are rare (absent from many resamples). */
    private static List<String> labels(Random random, int n, int labels, String prefix) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            out.add(prefix + (int) (labels * u * u));
        }
        return out;
    }

    private static List<String> pick(List<String> values, int[] indices) {
        List<String> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(values.get(i));
        }
        return out;
    }

    @Test
    void replicatesEqualTheConfusionMatrixMetricsOnThePickedLists() {
        Random random = new Random(3);
        int n = 400;
        List<String> gold = labels(random, n, 23, "c");
        // the second system predicts labels gold never uses ("z..."), so the unions differ per system
        List<String> first = new ArrayList<>(gold);
        List<String> second = labels(random, n, 30, "c");
        for (int i = 0; i < n; i += 3) {
            first.set(i, "c" + random.nextInt(23));
            second.set(i, "z" + random.nextInt(4));
        }
        LabelCodes codes = LabelCodes.of(gold, List.of(first, second));
        SplittableRandom resample = new SplittableRandom(9);
        for (int b = 0; b < 300; b++) {
            int size = b == 0 ? n : 1 + resample.nextInt(n);
            int[] idx = new int[size];
            for (int i = 0; i < size; i++) {
                idx[i] = b == 0 ? i : resample.nextInt(n);
            }
            for (int system = 0; system < 2; system++) {
                List<String> guesses = system == 0 ? first : second;
                assertEquals(ClassificationMetrics.macroF1(pick(gold, idx), pick(guesses, idx)),
                        codes.macroF1(system, idx), 0.0, "macro-F1, replicate " + b + ", system " + system);
                assertEquals(ClassificationMetrics.accuracy(pick(gold, idx), pick(guesses, idx)),
                        codes.accuracy(system, idx), 0.0, "accuracy, replicate " + b + ", system " + system);
            }
        }
    }

    @Test
    void theMacroF1DifferenceTestIsUnchanged() {
        Random random = new Random(5);
        List<String> gold = labels(random, 300, 12, "k");
        List<String> first = labels(random, 300, 12, "k");
        List<String> second = labels(random, 300, 14, "k");
        PairedTests.PairedBootstrap fast = PairedTests.macroF1Difference(gold, first, second, 200, 0.95, 17);
        PairedTests.PairedBootstrap strings = PairedTests.pairedBootstrap(gold.size(), 200, 0.95, 17,
                idx -> ClassificationMetrics.macroF1(pick(gold, idx), pick(first, idx))
                        - ClassificationMetrics.macroF1(pick(gold, idx), pick(second, idx)));
        assertEquals(strings, fast);
    }
}
