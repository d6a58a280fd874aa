package dev.workbench.model;

import dev.workbench.model.bert.BertFamily;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptFamily;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry finds families by name and by Hugging Face model_type and refuses unknown ones by name; checkpoint
 * configs record their family, and old ones (written before config.json recorded a family) read as GPT.
 */
class ModelFamiliesTest {
    private static final Path CONFIG = Path.of("somewhere", "config.json");

    @Test
    void findsTheGptFamilyByNameAndModelType() {
        assertSame(GptFamily.INSTANCE, ModelFamilies.byName("gpt", CONFIG.toString()));
        assertSame(GptFamily.INSTANCE, ModelFamilies.byHfModelType("gpt2", CONFIG));
        assertSame(GptFamily.INSTANCE, ModelFamilies.presets());
        for (ModelFamily family : ModelFamilies.ALL) {
            assertSame(family, ModelFamilies.byName(family.name(), "x"), "names are unique");
        }
    }

    @Test
    void findsTheBertFamilyByNameAndItsThreeModelTypes() {
        assertSame(BertFamily.INSTANCE, ModelFamilies.byName("bert", CONFIG.toString()));
        for (String type : java.util.List.of("bert", "roberta", "distilbert")) {
            assertSame(BertFamily.INSTANCE, ModelFamilies.byHfModelType(type, CONFIG), type);
        }
        assertFalse(BertFamily.INSTANCE.hasLanguageModel());
        assertEquals(java.util.List.of(Finetune.Pooling.CLS, Finetune.Pooling.MEAN), BertFamily.INSTANCE.poolings());
    }

    @Test
    void refusesAnUnknownFamilyNamingIt() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> ModelFamilies.byName("mamba", CONFIG.toString()));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertEquals(CONFIG + ": model family 'mamba' is not one this build knows (gpt, llama, bert)",
                e.getMessage());
    }

    @Test
    void refusesAnUnknownModelTypeNamingIt() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> ModelFamilies.byHfModelType("t5", CONFIG));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertEquals(CONFIG + ": model_type 't5' is not supported; the workbench imports GPT-2-family models "
                + "(model_type \"gpt2\": gpt2, distilgpt2, gpt2-medium/large/xl and fine-tunes), "
                + "Llama-architecture decoders (model_type \"llama\", \"mistral\", \"qwen2\", \"qwen3\": Llama 2/3, "
                + "Mistral, Qwen2.5, Qwen3, SmolLM2 and fine-tunes) and BERT-family "
                + "encoders (model_type \"bert\", \"roberta\", \"distilbert\": bert-base-uncased, roberta-base, "
                + "distilbert-base-uncased and fine-tunes) for classification only", e.getMessage());
    }

    /** The config.json of the base shipped before families existed (models/general-nano), kept as a fixture. */
    @Test
    void aCheckpointWrittenBeforeFamiliesReadsAsGpt() throws Exception {
        Path written = Path.of(ModelFamiliesTest.class.getResource("/checkpoints/pre-family-config.json").toURI());
        String json = Files.readString(written);
        assertFalse(json.contains("\"family\""), "written before families: " + written);
        CheckpointConfig config = CheckpointConfig.fromJson(json, written);
        assertSame(GptFamily.INSTANCE, config.model().family());
        assertEquals(new GptConfig(1024, 128, 2, 4, 128, 0.2), config.model());
    }

    @Test
    void aCheckpointConfigRecordsItsFamily() {
        CheckpointConfig written = CheckpointConfig.languageModel(new GptConfig(257, 16, 1, 2, 8, 0.0),
                BaseModel.TokenizerKind.BYTE);
        String json = written.toJson();
        assertTrue(json.contains("\"task\" : \"language_model\",\n  \"family\" : \"gpt\",\n  \"model\" : {"), json);
        assertEquals(written, CheckpointConfig.fromJson(json, CONFIG));

        String unknown = json.replace("\"family\" : \"gpt\"", "\"family\" : \"mamba\"");
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> CheckpointConfig.fromJson(unknown, CONFIG));
        assertEquals(CONFIG + ": invalid checkpoint config: model family 'mamba' is not one this build knows "
                + "(gpt, llama, bert)", e.getMessage());
        assertEquals(Finetune.Task.LANGUAGE_MODEL, CheckpointConfig.fromJson(json.replace(
                "  \"family\" : \"gpt\",\n", ""), CONFIG).task(), "without a family: read as before");
    }
}
