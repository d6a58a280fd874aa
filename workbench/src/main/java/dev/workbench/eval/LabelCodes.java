package dev.workbench.eval;

import dev.workbench.data.ConfusionMatrix;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Gold labels and one or more systems' predicted labels for the same items, each label replaced by its index in the
 * sorted union of all of them, so a bootstrap replicate's accuracy and macro-F1 are counts over int arrays: O(items +
 * labels) per replicate instead of picking string lists and building a {@link ConfusionMatrix} from them.
 *
 * <p>The values equal {@code ClassificationMetrics.accuracy / macroF1} of the picked lists to the last bit: macro-F1
 * averages over the labels present in the replicate (in gold or in that system's predictions), adds their F1 in
 * sorted label order, and computes precision, recall and F1 with the same expressions (zero division gives 0).
 *
 * @param labelCount size of the union
 * @param gold gold label code per item
 * @param predicted per system, its predicted label code per item
 */
record LabelCodes(int labelCount, int[] gold, List<int[]> predicted) {

    static LabelCodes of(List<String> gold, List<List<String>> predicted) {
        TreeSet<String> union = new TreeSet<>(gold);
        predicted.forEach(union::addAll);
        Map<String, Integer> code = new HashMap<>();
        for (String label : union) {
            code.put(label, code.size());
        }
        return new LabelCodes(union.size(), codes(gold, code),
                predicted.stream().map(system -> codes(system, code)).toList());
    }

    private static int[] codes(List<String> labels, Map<String, Integer> code) {
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = code.get(labels.get(i));
        }
        return out;
    }

    /** Share of the items at {@code indices} (with repeats) that system {@code system} got right; NaN for none. */
    double accuracy(int system, int[] indices) {
        if (indices.length == 0) {
            return Double.NaN;
        }
        int[] guess = predicted.get(system);
        long correct = 0;
        for (int i : indices) {
            if (gold[i] == guess[i]) {
                correct++;
            }
        }
        return (double) correct / indices.length;
    }

    /** Macro-F1 of system {@code system} on the items at {@code indices} (with repeats); NaN for none. */
    double macroF1(int system, int[] indices) {
        int[] guess = predicted.get(system);
        long[] support = new long[labelCount];
        long[] predictedCount = new long[labelCount];
        long[] correct = new long[labelCount];
        for (int i : indices) {
            support[gold[i]]++;
            predictedCount[guess[i]]++;
            if (gold[i] == guess[i]) {
                correct[gold[i]]++;
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < labelCount; c++) {
            if (support[c] == 0 && predictedCount[c] == 0) {
                continue;
            }
            present++;
            double precision = predictedCount[c] == 0 ? 0.0 : (double) correct[c] / predictedCount[c];
            double recall = support[c] == 0 ? 0.0 : (double) correct[c] / support[c];
            sum += precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
        }
        return present == 0 ? Double.NaN : sum / present;
    }
}
