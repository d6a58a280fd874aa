package dev.workbench.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped JSON Schema, the reader and the reference doc describe the same language. */
class RecipeSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Value keys without a schema default: required, optional-without-value, or depending on another key. */
    private static final Set<String> NO_DEFAULT = Set.of("name", "base_model.preset", "base_model.checkpoint",
            "base_model.hf", "base_model.tokenizer.vocab_size", "base_model.tokenizer.path",
            "base_model.context_length", "base_model.layers", "base_model.heads", "base_model.embedding_dim",
            "corpus.text.path", "corpus.text.format", "corpus.labelled.path", "corpus.labelled.format",
            "corpus.table.path", "corpus.table.format", "corpus.instructions.path", "corpus.table.target", "split.column", "training.max_steps",
            "training.warmup_ratio", "training.eval_every_steps", "finetune.tasks", "finetune.classifier_pooling",
            "synthesize.rows", "report.title");

    @TempDir
    Path dir;

    static JsonNode schema() throws IOException {
        return JSON.readTree(RecipeSchema.json());
    }

    /** Dotted key -> its schema, walking "properties" of object sections. */
    static Map<String, JsonNode> schemaKeys() throws IOException {
        Map<String, JsonNode> keys = new java.util.LinkedHashMap<>();
        walk("", schema(), keys);
        return keys;
    }

    private static void walk(String prefix, JsonNode node, Map<String, JsonNode> keys) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.path("properties").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            keys.put(key, field.getValue());
            walk(key, field.getValue(), keys);
        }
    }

    @Test
    void schemaHasExactlyTheReadersKeysInTheSameOrder() throws IOException {
        assertEquals(RecipeFields.ALL, new ArrayList<>(schemaKeys().keySet()));
    }

    @Test
    void everyKeyHasADescriptionATypeAndItsDefault() throws IOException {
        schemaKeys().forEach((key, node) -> {
            assertTrue(node.path("description").asText().length() > 10, key + " needs a description");
            assertTrue(node.has("type") || node.has("oneOf"), key + " needs a type");
            boolean isValue = RecipeFields.kind(key) != RecipeFields.Kind.SECTION;
            if (isValue) {
                assertEquals(!NO_DEFAULT.contains(key), node.has("default"), key + ": default present?");
            }
            if (RecipeFields.kind(key) == RecipeFields.Kind.SECTION) {
                assertFalse(node.path("additionalProperties").asBoolean(true), key + " must refuse unknown keys");
            }
        });
    }

    @Test
    void schemaDefaultsAreTheReadersDefaults() throws IOException {
        Path file = RecipeTestFiles.write(dir, "d.yaml", """
                name: defaults
                base_model: {preset: nano}
                corpus:
                  text: {path: t.txt}
                  labelled: {path: l.csv}
                  table: {path: t.csv}
                finetune: {tasks: [classifier]}
                synthesize: {}
                """);
        for (String method : List.of("freeze", "lora")) {
            ResolvedRecipe resolved = RecipeReader.resolve(file, List.of("finetune.method=" + method,
                    "training.early_stopping={}"));
            JsonNode written = YAML.readTree(ResolvedRecipeWriter.toYaml(resolved));
            Map<String, JsonNode> schemaKeys = schemaKeys();
            int compared = 0;
            for (Map.Entry<String, String> source : resolved.sources().entrySet()) {
                JsonNode keySchema = schemaKeys.get(source.getKey());
                if (!source.getValue().equals("default") || !keySchema.has("default")) {
                    continue;
                }
                JsonNode value = written.at("/" + source.getKey().replace('.', '/'));
                JsonNode expected = keySchema.get("default");
                if (expected.isNumber()) {
                    assertEquals(expected.asDouble(), value.asDouble(), 0.0, source.getKey());
                } else {
                    assertEquals(expected, value, source.getKey());
                }
                compared++;
            }
            assertTrue(compared > 50, "compared only " + compared); // about 60 keys take their default here
        }
    }

    @Test
    void everyShippedRecipeValidatesAgainstTheSchema() throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema());
        for (Path file : ShippedRecipesTest.shippedRecipes()) {
            Set<ValidationMessage> errors = schema.validate(YAML.readTree(file.toFile()));
            assertTrue(errors.isEmpty(), file + ": " + errors);
        }
        // And it does reject: an unknown key and a value out of range.
        Set<ValidationMessage> errors = schema.validate(YAML.readTree(
                "{name: x, corpus: {text: {path: a.txt}}, finetune: {tasks: [language_model]},"
                        + " base_model: {preset: nano}, training: {learnig_rate: 1, batch_size: 0}}"));
        assertEquals(2, errors.size(), errors.toString());
    }

    @Test
    void referenceDocumentNamesEveryKey() throws IOException {
        String doc = Files.readString(ShippedRecipesTest.repoRoot().resolve("docs/recipe-reference.md"));
        for (String key : RecipeFields.ALL) {
            assertTrue(doc.contains("`" + key + "`"), "docs/recipe-reference.md does not document `" + key + "`");
        }
    }
}
