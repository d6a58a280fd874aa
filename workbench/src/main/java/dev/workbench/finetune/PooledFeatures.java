package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.workbench.model.ClassifierModel;

import java.util.Arrays;

/**
 * What a classifier's head sees for each example, computed once: the pooled trunk features (row-major, {@code size()}
 * rows of {@code dimension} values), with the examples' classes (-1 = a label outside the training labels) and token
 * counts. A head trained on these is a logistic regression on fixed features: the linear-probe baseline without a
 * trunk forward per step.
 */
public record PooledFeatures(float[] values, int dimension, int[] classes, int[] tokens) {

    /**
     * The features of every example of {@code data} under {@code model} in inference mode (no dropout, no gradients),
     * in batches of {@code batchSize} examples of similar length (sorted by token count, so little of each batch is
     * padding). A real token never attends to padding (causal attention, padding after the text) and pooling skips
     * it, so an example's features do not depend on the batch it was computed in.
     */
    public static PooledFeatures of(ClassifierModel model, ClassifierTask.Encoded data, int batchSize,
                                    NDManager manager) {
        int n = data.size();
        int dimension = model.architecture().embeddingDim();
        float[] values = new float[n * dimension];
        int[] tokens = data.ids().stream().mapToInt(ids -> ids.length).toArray();
        int[] byLength = data.indicesByLength();
        ParameterStore store = new ParameterStore(manager, false);
        for (int from = 0; from < n; from += batchSize) {
            int[] rows = Arrays.copyOfRange(byLength, from, Math.min(n, from + batchSize));
            try (NDManager batchManager = manager.newSubManager()) {
                MicroBatch batch = ClassifierTask.batch(data, rows, batchManager);
                float[] pooled = model.pooledFeatures(store, batch.inputs()).toFloatArray();
                for (int i = 0; i < rows.length; i++) {
                    System.arraycopy(pooled, i * dimension, values, rows[i] * dimension, dimension);
                }
            }
        }
        return new PooledFeatures(values, dimension, data.classes().clone(), tokens);
    }

    public int size() {
        return classes.length;
    }

    /**
     * The rows {@code rows} as a micro-batch: inputs (features (B, D)), labels (B), weights (B: the loss's weight of
     * the class, 0 for an unseen label). Its token count is the examples' own, so the baseline's tokens/s reads as
     * data covered per second.
     */
    public MicroBatch batch(int[] rows, ClassifierLoss loss, NDManager manager) {
        float[] features = new float[rows.length * dimension];
        long[] labels = new long[rows.length];
        float[] weights = new float[rows.length];
        long units = 0;
        long tokenCount = 0;
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(values, rows[i] * dimension, features, i * dimension, dimension);
            int c = classes[rows[i]];
            labels[i] = Math.max(0, c);
            weights[i] = (float) loss.weightOf(c);
            units += c < 0 ? 0 : 1;
            tokenCount += tokens[rows[i]];
        }
        NDArray input = manager.create(features, new Shape(rows.length, dimension));
        return new MicroBatch(new NDList(input), manager.create(labels), manager.create(weights), units, tokenCount);
    }
}
