package dev.workbench.model.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.workbench.model.LanguageModel;

/** Tiny configurations and helpers shared by the model tests. */
public final class TinyModels {
    /** 2 layers, dim 16, 2 heads, 300 ids (byte tokenizer sized), context 12; dropout on to prove eval ignores it. */
    public static final GptConfig CONFIG = new GptConfig(300, 12, 2, 2, 16, 0.1);

    private TinyModels() {
    }

    public static float[] logits(LanguageModel model, NDManager manager, long[][] ids) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = sub.create(ids);
            return model.forward(new ParameterStore(sub, false), new NDList(input), false).head().toFloatArray();
        }
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
