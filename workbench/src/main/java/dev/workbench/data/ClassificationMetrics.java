package dev.workbench.data;

import java.util.List;

/**
 * Classifier metrics on aligned gold / predicted label lists (and confidences for calibration): the one
 * implementation that the finetune stage (its test rows) and the evaluator (scores, intervals, paired tests) share.
 */
public final class ClassificationMetrics {
    /** Bins of the expected calibration error: equal width over [0, 1], as in Guo et al. 2017. */
    public static final int ECE_BINS = 10;

    private ClassificationMetrics() {
    }

    public static double accuracy(List<String> gold, List<String> predicted) {
        requireSameSize(gold, predicted);
        if (gold.isEmpty()) {
            return Double.NaN;
        }
        long correct = 0;
        for (int i = 0; i < gold.size(); i++) {
            if (gold.get(i).equals(predicted.get(i))) {
                correct++;
            }
        }
        return (double) correct / gold.size();
    }

    /** Mean per-class F1 over the union of gold and predicted labels (scikit-learn {@code average="macro"}). */
    public static double macroF1(List<String> gold, List<String> predicted) {
        return ConfusionMatrix.of(gold, predicted).macroF1();
    }

    /**
     * Expected calibration error with {@link #ECE_BINS} equal-width bins: {@code Σ_b |B_b|/N · |acc(B_b) − conf(B_b)|}.
     * A confidence c falls in bin {@code min(floor(c·bins), bins−1)}, so 1.0 joins the top bin.
     *
     * @param correct whether each prediction was right
     * @param confidence the probability the model gave its prediction, in [0, 1]
     */
    public static double expectedCalibrationError(boolean[] correct, double[] confidence, int bins) {
        if (correct.length != confidence.length) {
            throw new IllegalArgumentException("correct and confidence differ in length");
        }
        if (correct.length == 0) {
            return Double.NaN;
        }
        double[] confSum = new double[bins];
        double[] hits = new double[bins];
        long[] size = new long[bins];
        for (int i = 0; i < correct.length; i++) {
            double c = confidence[i];
            if (!(c >= 0 && c <= 1)) {
                throw new IllegalArgumentException("confidence " + c + " is outside [0, 1] at item " + i);
            }
            int b = Math.min((int) Math.floor(c * bins), bins - 1);
            confSum[b] += c;
            hits[b] += correct[i] ? 1 : 0;
            size[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (size[b] > 0) {
                ece += (double) size[b] / correct.length * Math.abs(hits[b] / size[b] - confSum[b] / size[b]);
            }
        }
        return ece;
    }

    static void requireSameSize(List<?> gold, List<?> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " items, predictions " + predicted.size());
        }
    }
}
