package dev.workbench.data.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face chat template (Jinja) and the special tokens it may name, rendered as transformers'
 * {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=...)} renders it: an environment with
 * {@code trim_blocks} and {@code lstrip_blocks}, the template's single trailing newline dropped (Jinja's default),
 * the variables {@code messages} (a list of {role, content}), {@code bos_token}, {@code eos_token},
 * {@code add_generation_prompt}, and the function {@code raise_exception(message)}.
 *
 * <p>Rendering is by HubSpot's jinjava, set to its most Python-like behaviour ({@link LegacyOverrides#ALL}: natural
 * operator precedence, Python string escapes, strict whitespace control) and without nested interpretation, so that a
 * message containing {@code {{ }}} is text, never template.
 *
 * @param name where it came from, for errors ({@code chatml}, {@code tokenizer_config.json of FOLDER}, a file)
 * @param source the Jinja source
 * @param bosToken the base tokenizer's beginning-of-sequence token text, "" when it has none
 * @param eosToken its end-of-sequence token text, "" when it has none
 */
public record ChatTemplate(String name, String source, String bosToken, String eosToken) {
    /**
     * The Python-like behaviours of {@link LegacyOverrides#ALL}, except whitespace required within tokens (which stops
     * {@code {%-} parsing) and with {@code defaultKeepTrailingNewlineBehavior} on: off, jinjava drops a newline
     * at the end of the OUTPUT; Jinja drops one at the end of the template SOURCE, which {@link #render} does itself.
     */
    private static final LegacyOverrides PYTHON_LIKE = LegacyOverrides.newBuilder()
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withUsePyishObjectMapper(true)
            .withUseSnakeCasePropertyNaming(true)
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withAllowAdjacentTextNodes(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .withKeepNullableLoopValues(true)
            .withHandleBackslashInQuotesOnly(true)
            .withDefaultKeepTrailingNewlineBehavior(true)
            .build();
    private static final Jinjava JINJA = jinja();

    private static Jinjava jinja() {
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withNestedInterpretationEnabled(false)
                .withLegacyOverrides(PYTHON_LIKE)
                .build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
        return jinjava;
    }

    /** Stops rendering with the template's own message (transformers raises a TemplateError). */
    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** What {@code raise_exception} throws; jinjava reports it as a render error carrying this message. */
    private static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The text of {@code messages} through the template; {@code addGenerationPrompt} appends the opening of an
     * assistant turn (what generation continues from).
     *
     * @throws WorkbenchException the template's own {@code raise_exception} message, or a Jinja error, with the
     *     template's name
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", m.role().templateName());
            turn.put("content", m.content());
            turns.add(turn);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("messages", turns);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        context.put("add_generation_prompt", addGenerationPrompt);
        String template = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        RenderResult result = JINJA.renderForResult(template, context);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw WorkbenchException.invalid("chat template " + name + ": " + raised(error));
            }
        }
        return result.getOutput();
    }

    /**
     * One user message as the model's input: the template's rendering of that single turn with the generation prompt
     * (what an evaluation task's {@code apply_chat_template: true} and {@code generate --chat} send).
     */
    public String userTurn(String text) {
        return render(List.of(ChatMessage.user(text)), true);
    }

    /**
     * What the template writes after an assistant's words to end its turn ({@code <|im_end|>}, {@code <|eot_id|>},
     * alpaca's eos), without surrounding whitespace: the answer's rendering minus the generation prompt and the
     * words. Empty when the template ends a turn with nothing but whitespace.
     */
    public String endOfTurn() {
        String words = "WORKBENCH_END_OF_TURN_PROBE";
        List<ChatMessage> prompt = List.of(ChatMessage.user("hi"));
        String opened = render(prompt, true);
        String answered = render(List.of(ChatMessage.user("hi"), ChatMessage.assistant(words)), false);
        int at = answered.indexOf(words);
        if (!answered.startsWith(opened) || at < opened.length()) {
            throw WorkbenchException.invalid("chat template " + name + " does not render an answer after its "
                    + "generation prompt, so its end of turn is unknown");
        }
        return answered.substring(at + words.length()).strip();
    }

    /** The message of a {@code raise_exception}, else jinjava's own with its line. */
    private static String raised(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof TemplateRaised) {
                return t.getMessage();
            }
        }
        return "line " + error.getLineno() + ": " + error.getMessage();
    }
}
