package dev.workbench.finetune;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/** Turns windows of token ids into a (B, T) {@link MicroBatch}: inputs, shifted labels, and a padding mask. */
public final class LanguageModelBatches {
    private LanguageModelBatches() {
    }

    /** Windows of up to T+1 tokens; shorter ones are padded with id 0 and weight 0 (causal attention never looks
     * right, so trailing padding cannot change the real positions' outputs). */
    public static MicroBatch of(List<int[]> windows, NDManager manager) {
        int time = 1;
        for (int[] w : windows) {
            time = Math.max(time, w.length - 1);
        }
        int rows = windows.size();
        int[] inputs = new int[rows * time];
        int[] labels = new int[rows * time];
        float[] weights = new float[rows * time];
        long units = 0;
        for (int r = 0; r < rows; r++) {
            int[] w = windows.get(r);
            for (int t = 0; t + 1 < w.length; t++) {
                inputs[r * time + t] = w[t];
                labels[r * time + t] = w[t + 1];
                weights[r * time + t] = 1f;
                units++;
            }
        }
        Shape shape = new Shape(rows, time);
        return new MicroBatch(new NDList(manager.create(inputs, shape).toType(DataType.INT64, false)),
                manager.create(labels, shape).toType(DataType.INT64, false), manager.create(weights, shape), units,
                (long) rows * time);
    }
}
