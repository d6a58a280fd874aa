package dev.workbench.finetune;

import java.util.List;
import java.util.TreeSet;

/**
 * Accuracy and macro-F1 of predicted labels. Macro-F1 averages the per-class F1 over every class that occurs in the
 * true OR the predicted labels (scikit-learn's {@code f1_score(average="macro")} default); a class with no true and no
 * predicted example cannot occur, and a class whose precision and recall are both 0 contributes F1 = 0.
 */
public final class ClassifierMetrics {
    private ClassifierMetrics() {
    }

    public static double accuracy(List<String> truth, List<String> predicted) {
        check(truth, predicted);
        long right = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (truth.get(i).equals(predicted.get(i))) {
                right++;
            }
        }
        return truth.isEmpty() ? Double.NaN : right / (double) truth.size();
    }

    public static double macroF1(List<String> truth, List<String> predicted) {
        check(truth, predicted);
        if (truth.isEmpty()) {
            return Double.NaN;
        }
        TreeSet<String> classes = new TreeSet<>(truth);
        classes.addAll(predicted);
        double sum = 0;
        for (String c : classes) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int i = 0; i < truth.size(); i++) {
                boolean t = truth.get(i).equals(c);
                boolean p = predicted.get(i).equals(c);
                if (t && p) {
                    tp++;
                } else if (p) {
                    fp++;
                } else if (t) {
                    fn++;
                }
            }
            sum += tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return sum / classes.size();
    }

    private static void check(List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException(truth.size() + " labels but " + predicted.size() + " predictions");
        }
    }
}
