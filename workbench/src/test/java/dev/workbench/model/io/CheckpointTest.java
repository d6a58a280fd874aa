package dev.workbench.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.model.gpt.TinyModels;
import dev.workbench.model.tokenizer.TestByteTokenizer;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.workbench.model.gpt.TinyModels.CONFIG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    private static final long[][] IDS = {{3, 1, 4, 1, 5, 9, 2, 6}, {2, 7, 1, 8, 2, 8, 1, 8}};
    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static CheckpointConfig lmConfig() {
        return CheckpointConfig.languageModel(CONFIG, BaseModel.TokenizerKind.BYTE);
    }

    @Test
    void languageModelRoundTripIsBitIdentical() throws Exception {
        GptModel model = GptModel.create(CONFIG, 11, manager);
        Path folder = CheckpointIO.save(dir.resolve("step-000010"), lmConfig(), model, new TestByteTokenizer());

        assertEquals(List.of("COMPLETE", "config.json", "manifest.json", "model.safetensors", "tokenizer.json"),
                Files.list(folder).map(p -> p.getFileName().toString()).sorted().toList());
        assertFalse(Files.exists(dir.resolve("step-000010.tmp")));
        Checkpoint checkpoint = Checkpoint.open(folder);
        assertEquals(lmConfig(), checkpoint.config());
        LanguageModel loaded = checkpoint.loadLanguageModel(manager);
        assertArrayEquals(TinyModels.logits(model, manager, IDS), TinyModels.logits(loaded, manager, IDS));
        assertEquals(List.copyOf(model.namedParameters().keySet()), List.copyOf(loaded.namedParameters().keySet()));
        assertTrue(loaded.namedParameters().values().stream().allMatch(Parameter::requiresGradient));
        assertEquals(256, checkpoint.loadTokenizer(TestByteTokenizer::load).endOfTextId());
        // the weights file names parameters by their stable names
        assertTrue(Safetensors.read(folder.resolve("model.safetensors"))
                .containsKey("transformer.blocks.1.attention.q.weight"));
    }

    @Test
    void classifierRoundTripKeepsLabelsPoolingAndOutputs() throws Exception {
        ClassifierModel model = CONFIG.family().newClassifier(CONFIG, 3, Finetune.Pooling.LAST, 5, manager);
        CheckpointConfig config = CheckpointConfig.classifier(CONFIG, BaseModel.TokenizerKind.BPE,
                List.of("billing", "outage", "other"), Finetune.Pooling.LAST);
        Path folder = CheckpointIO.save(dir.resolve("clf"), config, model, new TestByteTokenizer());
        Checkpoint checkpoint = Checkpoint.open(folder);
        assertEquals(List.of("billing", "outage", "other"), checkpoint.config().labels());
        ClassifierModel loaded = checkpoint.loadClassifier(manager);
        assertEquals(Finetune.Pooling.LAST, loaded.pooling());
        assertArrayEquals(classify(model), classify(loaded));
        WorkbenchException wrongTask = assertThrows(WorkbenchException.class,
                () -> checkpoint.loadLanguageModel(manager));
        assertTrue(wrongTask.getMessage().contains("is a classifier checkpoint"), wrongTask.getMessage());
    }

    @Test
    void languageModelIsTheBaseOfAClassifier() throws Exception {
        GptModel lm = GptModel.create(CONFIG, 11, manager);
        Path folder = CheckpointIO.save(dir.resolve("lm"), lmConfig(), lm, new TestByteTokenizer());
        ClassifierModel classifier = Checkpoint.open(folder).loadClassifierBase(4, Finetune.Pooling.MEAN, 3, manager);
        Map<String, Parameter> named = classifier.namedParameters();
        lm.namedParameters().forEach((name, parameter) ->
                assertArrayEquals(parameter.getArray().toFloatArray(), named.get(name).getArray().toFloatArray(),
                        name));
        assertEquals(4, named.get("head.weight").getShape().get(0));
    }

    @Test
    void folderWithoutMarkerIsRefused() throws Exception {
        Path folder = CheckpointIO.save(dir.resolve("ckpt"), lmConfig(), GptModel.create(CONFIG, 1, manager),
                new TestByteTokenizer());
        Files.delete(folder.resolve(CheckpointIO.MARKER));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Checkpoint.open(folder));
        assertTrue(e.getMessage().contains("incomplete checkpoint (interrupted write?)"), e.getMessage());
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
    }

    @Test
    void oneFlippedByteInTheWeightsIsRefusedNamingTheFile() throws Exception {
        Path folder = CheckpointIO.save(dir.resolve("flipped"), lmConfig(), GptModel.create(CONFIG, 1, manager),
                new TestByteTokenizer());
        Path weights = folder.resolve(CheckpointIO.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 3] ^= 0x01;  // inside the last float: same size, so only the hash can notice
        Files.write(weights, bytes);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Checkpoint.open(folder));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("checkpoint file model.safetensors changed since it was written (sha256 "),
                e.getMessage());
    }

    @Test
    void manifestSaysWhatTheCheckpointIsAndHashesEveryFile() throws Exception {
        Path folder = CheckpointIO.save(dir.resolve("described"), lmConfig(), GptModel.create(CONFIG, 1, manager),
                new TestByteTokenizer());
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(folder.resolve(CheckpointManifest.FILE).toFile());
        assertTrue(manifest.path("what").asText().startsWith("language_model: gpt, "), manifest.toString());
        assertEquals("language_model", manifest.path("config").path("task").asText());
        List<String> listed = new java.util.ArrayList<>();
        manifest.path("files").fieldNames().forEachRemaining(listed::add);
        assertEquals(List.of("config.json", "model.safetensors", "tokenizer.json"), listed);
        // the digest of the config file, recomputed with the JDK independently of CheckpointManifest
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(folder.resolve(CheckpointIO.CONFIG)));
        assertEquals(java.util.HexFormat.of().formatHex(digest),
                manifest.path("files").path("config.json").path("sha256").asText());
        // the marker is written after the manifest and lists it
        assertTrue(Files.readString(folder.resolve(CheckpointIO.MARKER)).contains(" manifest.json\n"));
    }

    @Test
    void lastPointerIsFollowedAndADanglingOneRefused() throws Exception {
        Path task = dir.resolve("pointer");
        Path step = CheckpointIO.save(task.resolve("step-000003"), lmConfig(), GptModel.create(CONFIG, 1, manager),
                new TestByteTokenizer());
        CheckpointIO.writeLastPointer(task, step);
        assertEquals("step-000003", Files.readString(task.resolve(CheckpointIO.LAST_POINTER)).trim());
        assertEquals(step.toAbsolutePath(), Checkpoint.open(task.resolve(CheckpointIO.LAST_POINTER)).folder()
                .toAbsolutePath());
        CheckpointIO.writeLastPointer(task, task.resolve("step-000009"));
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> Checkpoint.open(task.resolve(CheckpointIO.LAST_POINTER)));
        assertTrue(e.getMessage().contains("points at step-000009, which no longer exists"), e.getMessage());
    }

    @Test
    void truncatedWeightsAreRefusedBeforeParsing() throws Exception {
        Path folder = CheckpointIO.save(dir.resolve("ckpt"), lmConfig(), GptModel.create(CONFIG, 1, manager),
                new TestByteTokenizer());
        Path weights = folder.resolve(CheckpointIO.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Checkpoint.open(folder));
        assertTrue(e.getMessage().contains("model.safetensors is " + bytes.length / 2 + " bytes"), e.getMessage());
    }

    @Test
    void leftoverStagingFolderIsReplacedAndExistingTargetRefused() throws Exception {
        Path target = dir.resolve("ckpt");
        Files.createDirectories(dir.resolve("ckpt.tmp"));
        Files.writeString(dir.resolve("ckpt.tmp/junk"), "from a killed run");
        CheckpointIO.save(target, lmConfig(), GptModel.create(CONFIG, 1, manager), new TestByteTokenizer());
        assertFalse(Files.exists(target.resolve("junk")));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> CheckpointIO.save(target, lmConfig(),
                GptModel.create(CONFIG, 1, manager), new TestByteTokenizer()));
    }

    @Test
    void shapeMismatchNamesTheTensor() throws Exception {
        Path folder = CheckpointIO.save(dir.resolve("ckpt"), lmConfig(), GptModel.create(CONFIG, 1, manager),
                new TestByteTokenizer());
        Path config = folder.resolve(CheckpointIO.CONFIG);
        // a config that no longer fits the weights, re-sealed (manifest and marker rewritten) so that only the
        // shape check can notice: context_length 12 -> 16
        Files.writeString(config, Files.readString(config).replace("\"context_length\" : 12",
                "\"context_length\" : 16"));
        CheckpointManifest.write(folder, java.util.Optional.of(CheckpointConfig.fromJson(Files.readString(config),
                config)));
        StringBuilder marker = new StringBuilder();
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().equals(CheckpointIO.MARKER)).sorted()
                    .toList()) {
                marker.append(Files.size(f)).append(' ').append(f.getFileName()).append('\n');
            }
        }
        Files.writeString(folder.resolve(CheckpointIO.MARKER), marker.toString());
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> Checkpoint.open(folder).loadLanguageModel(manager));
        assertTrue(e.getMessage().contains("'transformer.position_embedding.weight' has shape (12, 16)"),
                e.getMessage());
    }

    @Test
    void bf16CheckpointLoadsAsRoundedFloats() throws Exception {
        GptModel model = GptModel.create(CONFIG, 2, manager);
        Path folder = CheckpointIO.save(dir.resolve("bf16"), lmConfig(), model, new TestByteTokenizer()::save,
                Safetensors.DType.BF16, folder1 -> Files.writeString(folder1.resolve("training_state.json"), "{}"));
        assertTrue(Files.exists(folder.resolve("training_state.json")));
        LanguageModel loaded = Checkpoint.open(folder).loadLanguageModel(manager);
        float[] original = model.namedParameters().get("transformer.blocks.0.mlp.up.weight").getArray().toFloatArray();
        float[] rounded = loaded.namedParameters().get("transformer.blocks.0.mlp.up.weight").getArray().toFloatArray();
        for (int i = 0; i < original.length; i++) {
            // bf16 keeps 8 significant bits (7 stored): rounding error at most half an ulp, 2^-8 relative
            assertEquals(original[i], rounded[i], Math.abs(original[i]) * 0x1p-8f);
        }
    }

    @Test
    void configJsonIsSnakeCaseAndLowercase() {
        String json = CheckpointConfig.classifier(CONFIG, BaseModel.TokenizerKind.BYTE, List.of("a", "b"),
                Finetune.Pooling.MEAN).withLora(new Finetune.Lora(4, 8, 0, List.of("q", "v"))).toJson();
        assertTrue(json.contains("\"task\" : \"classifier\""), json);
        assertTrue(json.contains("\"vocab_size\" : 300"), json);
        assertTrue(json.contains("\"embedding_dim\" : 16"), json);
        assertTrue(json.contains("\"pooling\" : \"mean\""), json);
        assertTrue(json.contains("\"tokenizer\" : \"byte\""), json);
        CheckpointConfig back = CheckpointConfig.fromJson(json, Path.of("config.json"));
        assertEquals(List.of("q", "v"), back.lora().orElseThrow().targets());
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> CheckpointConfig.fromJson(
                json.replace("\"mean\"", "\"max\""), Path.of("x/config.json")));
        assertEquals("x/config.json: invalid checkpoint config: \"pooling\" is \"max\"; expected one of [mean, last, cls]",
                e.getMessage());
    }

    private float[] classify(ClassifierModel model) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray ids = sub.create(IDS);
            NDArray mask = sub.create(new long[][] {{1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}});
            return model.forward(new ParameterStore(sub, false), new NDList(ids, mask), false).head().toFloatArray();
        }
    }
}
