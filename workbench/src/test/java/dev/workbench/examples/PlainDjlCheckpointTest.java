package dev.workbench.examples;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.translate.NoopTranslator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.tokenizer.ByteTokenizer;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.recipe.BaseModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The snippet of docs/model.md ("Loading a checkpoint from plain DJL code"), run: a checkpoint folder read with
 * {@code ai.djl.Model}, DJL's own safetensors decoder ({@code NDList.decode}) and our {@link GptModel} block, then a
 * forward pass through a DJL {@code Predictor}. Lives outside the model package, so it uses only public API.
 */
class PlainDjlCheckpointTest {
    private static final long[][] IDS = {{72, 101, 108, 108, 111, 32, 119}, {256, 97, 98, 99, 100, 101, 102}};

    @Test
    void plainDjlGivesTheSameLogitsAsTheWorkbenchLoader(@TempDir Path dir) throws Exception {
        GptConfig architecture = new GptConfig(257, 8, 2, 2, 16, 0.1);
        Path folder;
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager()) {
            GptModel trained = GptModel.create(architecture, 3, manager);
            folder = CheckpointIO.save(dir.resolve("best"), CheckpointConfig.languageModel(architecture,
                    BaseModel.TokenizerKind.BYTE), trained, new ByteTokenizer());
            // the workbench's own loading (verifies the manifest, checks names and shapes)
            LanguageModel loaded = Checkpoint.open(folder).loadLanguageModel(manager);
            expected = loaded.forward(new ParameterStore(manager, false), new NDList(manager.create(IDS)), false)
                    .head().toFloatArray();
        }

        // ---- docs/model.md snippet starts here ----
        ObjectMapper json = new ObjectMapper();
        JsonNode configJson = json.readTree(folder.resolve("config.json").toFile());
        GptConfig config = json.treeToValue(configJson.get("model"), GptConfig.class);
        try (Model model = Model.newInstance("gpt", "PyTorch")) {
            GptModel block = new GptModel(config);
            block.setInitializer(Initializer.ZEROS, parameter -> true);  // placeholders, overwritten below
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, config.contextLength()));
            model.setBlock(block);
            NDList weights;
            try (InputStream in = Files.newInputStream(folder.resolve("model.safetensors"))) {
                weights = NDList.decode(model.getNDManager(), in);   // DJL's own safetensors reader
            }
            Map<String, Parameter> parameters = block.namedParameters();  // "transformer.blocks.0.ln1.weight", ...
            for (NDArray tensor : weights) {
                parameters.get(tensor.getName()).getArray().set(FloatBuffer.wrap(tensor.toFloatArray()));
            }
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                 NDManager inputs = model.getNDManager().newSubManager()) {
                NDArray logits = predictor.predict(new NDList(inputs.create(IDS))).head();  // (batch, tokens, vocab)
                // ---- snippet ends ----
                assertEquals(new Shape(2, 7, 257), logits.getShape());
                assertEquals(parameters.size(), weights.size(), "one tensor per parameter, every one set");
                assertArrayEquals(expected, logits.toFloatArray(), 0f, "the same arrays, the same ops");
                assertNotNull(parameters.get("transformer.token_embedding.weight"));
            }
        }
    }
}
