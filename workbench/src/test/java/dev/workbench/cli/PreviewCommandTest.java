package dev.workbench.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code workbench preview}: one conversation rendered, tokenized, the trained tokens marked, as it will train. */
class PreviewCommandTest {
    @TempDir
    Path dir;
    Path recipe;

    @BeforeEach
    void writeRecipe() throws Exception {
        Path qwen = Path.of(getClass().getResource("/hf/llama/qwen2").toURI());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add("{\"messages\": [{\"role\": \"system\", \"content\": \"be brief\"}, {\"role\": \"user\", "
                    + "\"content\": \"hi " + i + "\"}, {\"role\": \"assistant\", \"content\": \"yo " + i + "\"}]}");
        }
        Files.write(dir.resolve("chat.jsonl"), lines);
        recipe = dir.resolve("preview.yaml");
        Files.writeString(recipe, """
                name: preview
                seed: 1
                base_model: {hf: %s}
                corpus: {instructions: {path: chat.jsonl}}
                split: {method: random, validation: 0.2, test: 0.0}
                finetune: {tasks: [instruct], method: full, chat_template: chatml}
                """.formatted(qwen));
    }

    private static RecipeCommandsTest.Result run(String... args) {
        return RecipeCommandsTest.run(args);
    }

    private static final Pattern TRAINED = Pattern.compile("\\[(.*?)\\((\\d+)\\)\\]");

    @Test
    void marksExactlyTheAssistantAnswerAndItsEndOfTurn() {
        RecipeCommandsTest.Result r = run("preview", recipe.toString(), "--index", "2", "--color", "never");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("# train split, conversation 2 of 8 (chat.jsonl:"), out);
        assertTrue(out.contains("chat template chatml"), out);
        assertTrue(out.contains("<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nhi "), out);
        String tokenLine = out.lines().dropWhile(l -> !l.startsWith("## tokens")).skip(1).findFirst().orElseThrow();
        StringBuilder trained = new StringBuilder();
        int count = 0;
        Matcher m = TRAINED.matcher(tokenLine);
        while (m.find()) {
            trained.append(m.group(1));
            count++;
        }
        assertTrue(trained.toString().matches("yo \\d<\\|im_end\\|>\\\\n"),
                "the answer and the template's end of turn are trained, nothing else: " + trained);
        assertTrue(tokenLine.contains("<|im_start|>") && !tokenLine.startsWith("["), "the prompt is not: " + tokenLine);
        Matcher counts = Pattern.compile("(\\d+) tokens \\(window 64 \\+ 1\\), (\\d+) trained, (\\d+) loss targets, "
                + "0 dropped").matcher(out);
        assertTrue(counts.find(), out);
        assertEquals(count, Integer.parseInt(counts.group(2)));
        assertEquals(count, Integer.parseInt(counts.group(3)), "the first token is never a trained one here");
        assertEquals(Integer.parseInt(counts.group(1)), tokenLine.trim().split(" ").length > 0
                ? Pattern.compile("\\(\\d+\\)").matcher(tokenLine).results().count() : 0, "every token shown");
        assertFalse(out.contains("\u001b["), "no colour codes when asked for none");
    }

    @Test
    void colourInsteadOfBracketsAndTrainOnPromptMarksEverything() {
        RecipeCommandsTest.Result coloured = run("preview", recipe.toString(), "--color", "always");
        assertEquals(0, coloured.exitCode(), coloured.err());
        assertTrue(coloured.out().contains("\u001b[32m"), coloured.out());
        assertFalse(TRAINED.matcher(coloured.out()).find());

        RecipeCommandsTest.Result all = run("preview", recipe.toString(), "--color", "never", "--set", "finetune.train_on_prompt=true",
                "--split", "validation", "--index", "1");
        assertEquals(0, all.exitCode(), all.err());
        assertTrue(all.out().startsWith("# validation split, conversation 1 of 2"), all.out());
        String tokenLine = all.out().lines().dropWhile(l -> !l.startsWith("## tokens")).skip(1).findFirst()
                .orElseThrow();
        for (String token : tokenLine.trim().split(" (?=\\[)")) {
            assertTrue(token.startsWith("["), "every token is trained: " + token);
        }
    }

    @Test
    void anIndexOutOfRangeOrARecipeWithoutInstructionsIsAClearError() throws Exception {
        RecipeCommandsTest.Result r = run("preview", recipe.toString(), "--index", "8");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--index 8: the train split has 8 conversations (hint: --index 0 to 7)"), r.err());
        Files.writeString(dir.resolve("text.txt"), "some text\n\nmore text\n");
        Path plain = dir.resolve("plain.yaml");
        Files.writeString(plain, "name: plain\nbase_model: {preset: nano}\ncorpus: {text: {path: text.txt}}\n"
                + "finetune: {tasks: [language_model]}\n");
        RecipeCommandsTest.Result p = run("preview", plain.toString());
        assertEquals(2, p.exitCode());
        assertTrue(p.err().contains("no corpus.instructions"), p.err());
    }

    @Test
    void planPointsToPreview() {
        RecipeCommandsTest.Result r = run("plan", recipe.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("workbench preview RECIPE [--index N]"), r.out());
    }
}
