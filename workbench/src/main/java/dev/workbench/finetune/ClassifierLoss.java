package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import dev.workbench.recipe.Finetune;

import java.util.Arrays;
import java.util.Locale;

/**
 * The classifier's training loss ({@code finetune.label_smoothing}, {@code finetune.class_weights}): per example
 * {@code w[label] * ((1 - epsilon) * -log p[label] + epsilon * mean over classes of -log p[c])}, summed; the training
 * loop divides a step's sum by its number of examples. So a class weight scales an example's whole (smoothed) loss, as
 * a per-example weight in Keras or a Hugging Face {@code Trainer} does; PyTorch's {@code CrossEntropyLoss(weight=w)}
 * instead divides by the summed weights of each batch. Balanced weights average 1 over the training split, so the two
 * agree on the whole split and a learning rate keeps its meaning.
 *
 * <p>The same loss is the validation loss (keep-best and early stopping select on the objective that is trained, as
 * Hugging Face's {@code Trainer} does with its label smoother); the test rows' {@code loss} stays the plain
 * cross-entropy ({@link ClassifierTask#predict}).
 *
 * @param labelSmoothing epsilon in [0, 1)
 * @param classWeights weight per class index
 */
public record ClassifierLoss(double labelSmoothing, double[] classWeights) {

    public ClassifierLoss {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        classWeights = classWeights.clone();
    }

    /** A copy: the record's own array stays as it was made. */
    @Override
    public double[] classWeights() {
        return classWeights.clone();
    }

    /** Plain cross-entropy, every class weighing 1: the loss before these settings existed. */
    public static ClassifierLoss plain(int classes) {
        double[] ones = new double[classes];
        Arrays.fill(ones, 1.0);
        return new ClassifierLoss(0, ones);
    }

    /** The recipe's loss for {@code classes} classes, the class weights counted on {@code train}. */
    public static ClassifierLoss of(Finetune finetune, ClassifierTask.Encoded train, int classes) {
        double[] weights = switch (finetune.classWeights()) {
            case NONE -> plain(classes).classWeights;
            case BALANCED -> balancedWeights(train.classes(), classes);
        };
        return new ClassifierLoss(finetune.labelSmoothing(), weights);
    }

    /**
     * scikit-learn's {@code compute_class_weight("balanced")}: {@code n_samples / (n_classes * count_c)} over the
     * examples with a known class (index >= 0). A class without examples gets weight 0 (it cannot occur in training).
     */
    public static double[] balancedWeights(int[] classOfExample, int classes) {
        long[] counts = new long[classes];
        long samples = 0;
        for (int c : classOfExample) {
            if (c >= 0) {
                counts[c]++;
                samples++;
            }
        }
        double[] weights = new double[classes];
        for (int c = 0; c < classes; c++) {
            weights[c] = counts[c] == 0 ? 0 : samples / ((double) classes * counts[c]);
        }
        return weights;
    }

    /** An example's weight: its class's, 0 for a label the training split never saw (index -1). */
    public double weightOf(int classIndex) {
        return classIndex < 0 ? 0 : classWeights[classIndex];
    }

    /** The weighted loss per row of (B, C) logits, shape (B), with the batch's labels and weights. */
    public NDArray perRow(NDArray logits, MicroBatch batch) {
        return LossFunctions.smoothedNllPerRow(logits, batch.labels(), batch.weights(), labelSmoothing);
    }

    /** Whether this is plain, unweighted cross-entropy. */
    public boolean isPlain() {
        return labelSmoothing == 0 && Arrays.stream(classWeights).allMatch(w -> w == 1.0);
    }

    /** For the log: "label smoothing 0.1, class weights 0.52..3.10". */
    public String describe() {
        double min = Arrays.stream(classWeights).min().orElse(1);
        double max = Arrays.stream(classWeights).max().orElse(1);
        return String.format(Locale.ROOT, "label smoothing %s, class weights %s", labelSmoothing,
                min == max ? String.format(Locale.ROOT, "%.3g", min)
                        : String.format(Locale.ROOT, "%.3g..%.3g (balanced)", min, max));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassifierLoss o && labelSmoothing == o.labelSmoothing
                && Arrays.equals(classWeights, o.classWeights);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(labelSmoothing) + Arrays.hashCode(classWeights);
    }

    @Override
    public String toString() {
        return describe();
    }
}
