package dev.workbench.model.gpt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.workbench.model.Freezing;
import dev.workbench.model.Lora;
import dev.workbench.recipe.Finetune;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * DJL 0.36's PyTorch {@code NDArray.mul(Number)} (also div, pow) wraps the number in a scalar array and closes it right
 * after the op; autograd keeps the scalar for the backward pass and then reads freed memory. Measured with
 * {@code x.mul(3f)}: wrong gradients (e.g. -1.2e35) in 129 of 200 steps when the GC ran between forward and
 * backward. The model's forward pass must not use {@code op(Number)} on values that need gradients: here the
 * gradients of every parameter, with the GC and fresh allocations forced between forward and backward, must equal
 * the gradients of an undisturbed pass.
 */
class AutogradScalarLifetimeTest {

    @Test
    void gradientsDoNotDependOnGarbageCollectionBetweenForwardAndBackward() {
        GptConfig config = new GptConfig(300, 12, 2, 2, 16, 0, GptConfig.Activation.GELU_TANH);
        long[][] ids = {{3, 1, 4, 1, 5, 9, 2, 6}, {2, 7, 1, 8, 2, 8, 1, 8}};
        try (NDManager manager = NDManager.newBaseManager()) {
            GptModel model = GptModel.create(config, 3, manager);
            Lora.apply(model, new Finetune.Lora(2, 4, 0, List.of("q", "v", "up")), 3);
            Freezing.apply(model, name -> true);
            Map<String, float[]> undisturbed = gradients(model, manager, ids, false);
            for (int round = 0; round < 5; round++) {
                Map<String, float[]> disturbed = gradients(model, manager, ids, true);
                for (String name : undisturbed.keySet()) {
                    assertArrayEquals(undisturbed.get(name), disturbed.get(name), "round " + round + ": " + name);
                }
            }
        }
    }

    private static Map<String, float[]> gradients(GptModel model, NDManager manager, long[][] ids, boolean churn) {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = sub.create(ids);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.forward(new ParameterStore(sub, false), new NDList(input), true).head();
                if (churn) {
                    for (int i = 0; i < 300; i++) {
                        sub.create(new float[] {Float.NaN, 1e30f}).close();
                        ByteBuffer.allocateDirect(8).putFloat(0, Float.NaN);
                    }
                    System.gc();
                    for (int i = 0; i < 300; i++) {
                        ByteBuffer.allocateDirect(8).putFloat(0, -1e30f);
                    }
                }
                collector.backward(logits.mul(logits).mean());
            }
            for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                NDArray gradient = entry.getValue().getArray().getGradient();
                gradients.put(entry.getKey(), gradient.toFloatArray());
                gradient.subi(gradient); // DJL accumulates gradients; start the next pass from zero
            }
        }
        return gradients;
    }
}
