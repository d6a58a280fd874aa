package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.workbench.data.LabelledExample;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.tokenizer.ByteTokenizer;
import dev.workbench.recipe.Finetune;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ClassifierTask#predict} batches examples by length but answers in the examples' order. */
class ClassifierPredictTest {

    @Test
    void predictionsComeBackInTheExamplesOrderWhateverTheBatching() {
        GptConfig architecture = new GptConfig(257, 32, 1, 2, 16, 0.2, GptConfig.Activation.GELU);
        List<String> labels = List.of("a", "b", "c");
        List<LabelledExample> examples = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            // lengths out of order, so sorting by length reorders them
            examples.add(new LabelledExample("e" + i, "text " + "yz".repeat((i * 5) % 11), labels.get(i % 3)));
        }
        ClassifierTask.Encoded data = ClassifierTask.Encoded.of(examples, labels, new ByteTokenizer(),
                architecture.contextLength());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ClassifierModel model = architecture.family().newClassifier(architecture, labels.size(),
                    Finetune.Pooling.LAST, 3, manager);
            List<ClassifierTask.Prediction> one = ClassifierTask.predict(model, data, 1, manager);
            List<ClassifierTask.Prediction> batched = ClassifierTask.predict(model, data, 4, manager);
            assertEquals(11, batched.size());
            for (int i = 0; i < one.size(); i++) {
                assertEquals(one.get(i).predicted(), batched.get(i).predicted(), "example " + i);
                assertEquals(one.get(i).loss(), batched.get(i).loss(), 1e-5, "example " + i);
                assertArrayEquals(one.get(i).probabilities(), batched.get(i).probabilities(), 1e-5, "example " + i);
            }
        }
    }
}
