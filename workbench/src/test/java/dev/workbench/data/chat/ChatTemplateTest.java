package dev.workbench.data.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.llama.LlamaFixtures;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chat templates render as transformers' {@code apply_chat_template(tokenize=False)} renders them, to the character,
 * and the text tokenizes to the same ids: golden values from scripts/hf_reference/make_chat_templates.py for the
 * built-in templates and the fixture templates with the tiny Llama and Qwen2 tokenizers.
 */
class ChatTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path resource(String name) {
        try {
            return Path.of(ChatTemplateTest.class.getResource("/chat/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ChatMessage> messages(JsonNode list) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : list) {
            out.add(new ChatMessage(ChatMessage.Role.valueOf(m.get("role").asText().toUpperCase()),
                    m.get("content").asText()));
        }
        return out;
    }

    private static ChatTemplate template(String name, Path tokenizerFolder) {
        String bos = ChatTemplates.specialToken(tokenizerFolder, "bos_token");
        String eos = ChatTemplates.specialToken(tokenizerFolder, "eos_token");
        return ChatTemplates.resolve(name.startsWith("fixture-") ? resource(name + ".jinja").toString() : name,
                Optional.empty(), bos, eos);
    }

    @Test
    void rendersAndTokenizesAsTransformers() throws IOException {
        JsonNode expected = JSON.readTree(resource("expected.json").toFile());
        Map<String, Tokenizer> tokenizers = new HashMap<>();
        int checked = 0;
        int errors = 0;
        for (JsonNode c : expected.get("cases")) {
            String tokenizerName = c.get("tokenizer").asText();
            Path folder = LlamaFixtures.folder(tokenizerName);
            Tokenizer tokenizer = tokenizers.computeIfAbsent(tokenizerName, n -> HfImporter.loadTokenizer(folder));
            ChatTemplate template = template(c.get("template").asText(), folder);
            List<ChatMessage> messages = messages(expected.get("conversations").get(c.get("conversation").asText()));
            boolean generation = c.get("add_generation_prompt").asBoolean();
            String what = c.toString().substring(0, 120);
            if (c.has("error")) {
                WorkbenchException e = assertThrows(WorkbenchException.class,
                        () -> template.render(messages, generation), what);
                assertTrue(e.getMessage().endsWith(": " + c.get("error").asText()), e.getMessage());
                errors++;
                continue;
            }
            String text = template.render(messages, generation);
            assertEquals(c.get("text").asText(), text, what);
            int[] ids = JSON.convertValue(c.get("ids"), int[].class);
            assertArrayEquals(ids, tokenizer.encode(text), what);
            checked++;
        }
        assertEquals(72, checked);
        assertEquals(8, errors);
    }

    /** auto: the folder's tokenizer_config.json chat_template, as a string or as the list of named templates. */
    @Test
    void autoReadsTheFoldersTemplateInBothForms() throws IOException {
        JsonNode expected = JSON.readTree(resource("expected.json").toFile());
        for (String[] pair : new String[][] {{"llama", "fixture-chat"}, {"qwen2", "fixture-chatml-trim"}}) {
            Path auto = resource(pair[0] + "-auto");
            ChatTemplate own = ChatTemplates.resolve("auto", Optional.of(auto),
                    ChatTemplates.specialToken(auto, "bos_token"), ChatTemplates.specialToken(auto, "eos_token"));
            List<ChatMessage> messages = messages(expected.get("conversations").get("system_multi"));
            assertEquals(template(pair[1], LlamaFixtures.folder(pair[0])).render(messages, true),
                    own.render(messages, true));
        }
        // no template of its own: alpaca
        assertEquals("alpaca", ChatTemplates.resolve("auto", Optional.of(LlamaFixtures.folder("llama")), "", "")
                .name());
    }

    /** Trained spans: the assistant content and the end of turn, nothing of the prompt; truncation keeps the end. */
    @Test
    void marksTheAssistantTokens() {
        ChatTemplate chatml = ChatTemplates.builtIn("chatml", "", "");
        Conversation conversation = new Conversation("x:1", List.of(ChatMessage.system("S"), ChatMessage.user("U1"),
                ChatMessage.assistant("A1"), ChatMessage.user("U2"), ChatMessage.assistant("A2")));
        // one "token" per character makes the spans readable
        java.util.function.Function<String, int[]> chars = s -> s.chars().toArray();
        ChatTokens tokens = ChatTokens.of(conversation, chatml, chars, false, 1000);
        StringBuilder trained = new StringBuilder();
        for (int i = 0; i < tokens.ids().length; i++) {
            if (tokens.trained()[i]) {
                trained.append((char) tokens.ids()[i]);
            }
        }
        assertEquals("A1<|im_end|>\nA2<|im_end|>\n", trained.toString());
        assertEquals(0, tokens.truncated());
        ChatTokens all = ChatTokens.of(conversation, chatml, chars, true, 1000);
        for (boolean t : all.trained()) {
            assertTrue(t);
        }
        ChatTokens cut = ChatTokens.of(conversation, chatml, chars, false, 20);
        assertEquals(20, cut.ids().length);
        assertEquals(tokens.ids().length - 20, cut.truncated());
        assertEquals("2<|im_end|>\n", new String(cut.ids(), cut.ids().length - 12, 12));
        assertFalse(cut.trained()[0]);
    }
}
