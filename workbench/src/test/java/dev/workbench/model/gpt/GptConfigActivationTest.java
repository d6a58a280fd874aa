package dev.workbench.model.gpt;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.io.CheckpointConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class GptConfigActivationTest {

    @Test
    void geluTanhMatchesTheFormula() {
        // numpy float64: 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x**3))) for x = -3, -1, 0, 0.5, 2
        float[] expected = {-0.0036373921f, -0.15880801f, 0f, 0.34571401f, 1.9545977f};
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] actual = dev.workbench.model.Activations.geluTanh(manager.create(new float[] {-3f, -1f, 0f, 0.5f, 2f})).toFloatArray();
            assertArrayEquals(expected, actual, 1e-6f);
        }
    }

    @Test
    void activationDefaultsToGeluAndRoundTripsThroughCheckpointJson() {
        GptConfig plain = new GptConfig(300, 12, 2, 2, 16, 0.1);
        assertEquals(GptConfig.Activation.GELU, plain.activation());
        GptConfig tanh = new GptConfig(300, 12, 2, 2, 16, 0.1, GptConfig.Activation.GELU_TANH);
        Path file = Path.of("config.json");
        String json = CheckpointConfig.languageModel(tanh, dev.workbench.recipe.BaseModel.TokenizerKind.FILE).toJson();
        assertEquals(tanh, CheckpointConfig.fromJson(json, file).model());
        // a config.json written before the field existed reads as exact GELU
        String old = json.replace("\"activation\" : \"gelu_tanh\",", "").replace(",\n    \"activation\" : \"gelu_tanh\"", "");
        assertNotEquals(json, old);
        assertEquals(plain, CheckpointConfig.fromJson(old, file).model());
    }

    @Test
    void theActivationChangesTheLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GptConfig tanh = new GptConfig(300, 12, 2, 2, 16, 0, GptConfig.Activation.GELU_TANH);
            float[] a = TinyModels.logits(GptModel.create(TinyModels.CONFIG, 3, manager), manager, new long[][] {{1, 2, 3}});
            float[] b = TinyModels.logits(GptModel.create(tanh, 3, manager), manager, new long[][] {{1, 2, 3}});
            // same seed, same weights; only the MLP non-linearity differs
            float diff = TinyModels.maxAbsDiff(a, b);
            assertNotEquals(0f, diff);
        }
    }
}
