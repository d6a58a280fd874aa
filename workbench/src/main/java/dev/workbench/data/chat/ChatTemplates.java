package dev.workbench.data.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the chat template a recipe's {@code finetune.chat_template} names: {@code auto} (the base folder's own, else
 * the built-in alpaca), a built-in ({@link #BUILT_IN}: the workbench's own Jinja, resources next to this class), or a
 * {@code .jinja} file.
 *
 * <p>A folder's own template is, as transformers reads it, {@code chat_template.jinja} when present (what
 * transformers 5 and the instruct task's checkpoints write), else {@code tokenizer_config.json}'s
 * {@code chat_template}: a string, or a list of {@code {name, template}} of which the one named {@code default} is
 * taken.
 */
public final class ChatTemplates {
    /** The workbench's own templates. */
    public static final List<String> BUILT_IN = List.of("chatml", "llama3", "alpaca");
    public static final String AUTO = "auto";
    /** Where a checkpoint records its chat template (transformers' name for it). */
    public static final String FILE = "chat_template.jinja";
    private static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatTemplates() {
    }

    /**
     * @param spec the recipe's {@code finetune.chat_template}
     * @param folder the base's folder (an hf folder or a checkpoint), if it has one
     * @param bosToken the base tokenizer's beginning-of-sequence text, "" when none
     * @param eosToken its end-of-sequence text
     */
    public static ChatTemplate resolve(String spec, Optional<Path> folder, String bosToken, String eosToken) {
        if (spec.equals(AUTO)) {
            Optional<ChatTemplate> own = folder.flatMap(f -> ofFolder(f, bosToken, eosToken));
            return own.orElseGet(() -> builtIn("alpaca", bosToken, eosToken));
        }
        if (BUILT_IN.contains(spec)) {
            return builtIn(spec, bosToken, eosToken);
        }
        Path file = Path.of(spec);
        try {
            return new ChatTemplate(file.toString(), Files.readString(file, StandardCharsets.UTF_8), bosToken,
                    eosToken);
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, "finetune.chat_template: cannot read "
                    + file + ": " + e.getMessage(), e);
        }
    }

    public static ChatTemplate builtIn(String name, String bosToken, String eosToken) {
        try (InputStream in = ChatTemplates.class.getResourceAsStream(name + ".jinja")) {
            if (in == null) {
                throw new IllegalArgumentException("no built-in chat template '" + name + "' (have " + BUILT_IN + ")");
            }
            return new ChatTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), bosToken, eosToken);
        } catch (IOException e) {
            throw new IllegalStateException("built-in chat template " + name + " unreadable", e);
        }
    }

    /** The folder's own template, if it has one. */
    public static Optional<ChatTemplate> ofFolder(Path folder, String bosToken, String eosToken) {
        try {
            Path file = folder.resolve(FILE);
            if (Files.isRegularFile(file)) {
                return Optional.of(new ChatTemplate(file.toString(), Files.readString(file, StandardCharsets.UTF_8),
                        bosToken, eosToken));
            }
            Path config = folder.resolve(TOKENIZER_CONFIG);
            if (!Files.isRegularFile(config)) {
                return Optional.empty();
            }
            JsonNode template = JSON.readTree(config.toFile()).get("chat_template");
            String name = config + " chat_template";
            if (template == null || template.isNull()) {
                return Optional.empty();
            }
            if (template.isTextual()) {
                return Optional.of(new ChatTemplate(name, template.asText(), bosToken, eosToken));
            }
            if (template.isArray()) {
                for (JsonNode named : template) {
                    if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                        return Optional.of(new ChatTemplate(name + " (default)", named.path("template").asText(),
                                bosToken, eosToken));
                    }
                }
                throw WorkbenchException.invalid(config + ": chat_template is a list without a template named"
                        + " 'default'");
            }
            throw WorkbenchException.invalid(config + ": chat_template must be a string or a list of {name,"
                    + " template}");
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, folder + ": cannot read the chat"
                    + " template: " + e.getMessage(), e);
        }
    }

    /**
     * A special token's text from a folder's {@code tokenizer_config.json} ({@code bos_token}, {@code eos_token}): a
     * string or an AddedToken object; "" when absent.
     */
    public static String specialToken(Path folder, String key) {
        Path config = folder.resolve(TOKENIZER_CONFIG);
        if (!Files.isRegularFile(config)) {
            return "";
        }
        try {
            JsonNode token = JSON.readTree(config.toFile()).get(key);
            if (token == null || token.isNull()) {
                return "";
            }
            return token.isTextual() ? token.asText() : token.path("content").asText("");
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, config + ": cannot read: "
                    + e.getMessage(), e);
        }
    }
}
