package dev.workbench.cli;

import dev.workbench.data.chat.ChatTemplates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code generate --chat}: the prompt goes in as a user turn through the checkpoint's chat template with the
 * generation prompt, and the reply stops at the template's end of turn. On the shipped base (models/general-micro),
 * greedy: what it says is fixed, so a template whose end of turn is a piece of that reply must cut the reply there.
 */
class GenerateChatTest {
    @TempDir
    Path dir;

    /** A copy of the shipped base with a chat template whose assistant turns end with {@code end}. */
    private Path modelWithTemplate(String end) throws Exception {
        Path source = RecipeCommandsTest.repoRoot().resolve("models/general-micro");
        Path folder = dir.resolve("micro-" + Integer.toHexString(end.hashCode()));
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, folder.resolve(f.getFileName()));
            }
        }
        Files.writeString(folder.resolve(ChatTemplates.FILE), "{% for m in messages %}{% if m['role'] == 'user' %}"
                + "Q: {{ m['content'] }}\n{% else %}A: {{ m['content'] }}" + end + "\n{% endif %}{% endfor %}"
                + "{% if add_generation_prompt %}A:{% endif %}");
        return folder;
    }

    private static RecipeCommandsTest.Result generate(String... args) {
        String[] all = Stream.concat(Stream.of("generate", "--temperature", "0", "--max-new-tokens", "12"),
                Stream.of(args)).toArray(String[]::new);
        return RecipeCommandsTest.run(all);
    }

    @Test
    void rendersTheUserTurnAndStopsAtTheTemplatesEndOfTurn() throws Exception {
        Path never = modelWithTemplate("\u0007\u0007\u0007"); // an end of turn this model does not say
        RecipeCommandsTest.Result chat = generate("--checkpoint", never.toString(), "--chat", "--prompt", "the cat");
        assertEquals(0, chat.exitCode(), chat.err());
        String reply = chat.out().substring(0, chat.out().length() - System.lineSeparator().length());
        RecipeCommandsTest.Result plain = generate("--checkpoint", never.toString(), "--prompt", "Q: the cat\nA:");
        assertEquals("Q: the cat\nA:" + reply + System.lineSeparator(), plain.out(),
                "--chat continues the template's rendering of one user turn with the generation prompt");
        // a piece of what it says, after its first token, becomes the new end of turn: two printable ASCII
        // characters (a prefix of a multi-byte character decodes to U+FFFD, which is no end of turn)
        java.util.regex.Matcher ascii = java.util.regex.Pattern.compile("[!-~]{2}").matcher(reply);
        assertTrue(ascii.find(2), "the tiny model says enough to cut: '" + reply + "'");
        String end = ascii.group();
        Path stops = modelWithTemplate(end);
        RecipeCommandsTest.Result cut = generate("--checkpoint", stops.toString(), "--chat", "--prompt", "the cat");
        assertEquals(0, cut.exitCode(), cut.err());
        assertEquals(reply.substring(0, reply.indexOf(end)) + System.lineSeparator(), cut.out(),
                "the reply ends before the template's end of turn '" + end + "'");
    }

    @Test
    void aCheckpointWithoutAChatTemplateIsAClearError() throws Exception {
        Path hf = Path.of(getClass().getResource("/hf/tiny-gpt2").toURI());
        RecipeCommandsTest.Result r = generate("--checkpoint", "hf:" + hf, "--chat", "--prompt", "hi");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("no chat template") && r.err().contains("drop --chat"), r.err());
    }

    @Test
    void builtInTemplatesEndTheirTurnsAsTransformersRendersThem() {
        assertEquals("<|im_end|>", ChatTemplates.builtIn("chatml", "", "</s>").endOfTurn());
        assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
                ChatTemplates.builtIn("chatml", "", "</s>").userTurn("hi"));
        assertEquals("<|eot_id|>", ChatTemplates.builtIn("llama3", "<|begin_of_text|>", "</s>").endOfTurn());
        assertEquals("</s>", ChatTemplates.builtIn("alpaca", "", "</s>").endOfTurn());
    }
}
