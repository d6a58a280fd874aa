package dev.workbench.eval.task;

import dev.workbench.recipe.TaskFile;
import dev.workbench.recipe.TaskFileReader;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner on fixed log-likelihoods and canned generations: scores computed by hand. */
class TaskRunnerTest {

    static Path resource(String name) throws URISyntaxException {
        return Path.of(TaskRunnerTest.class.getResource(name).toURI());
    }

    /** Answers log-likelihoods from a table keyed by continuation (with its delimiter), and records contexts. */
    static final class FixedModel implements ScoringModel {
        final Map<String, double[]> byQuestion = new HashMap<>();
        final List<String> contexts = new ArrayList<>();
        final List<List<String>> continuations = new ArrayList<>();
        final Map<String, String> generations = new HashMap<>();

        @Override
        public double[] logLikelihoods(String context, List<String> choices) {
            contexts.add(context);
            continuations.add(choices);
            return byQuestion.entrySet().stream().filter(e -> context.contains(e.getKey())).findFirst()
                    .orElseThrow().getValue();
        }

        @Override
        public String generateUntil(String context, List<String> until, int maxTokens) {
            contexts.add(context);
            assertEquals(List.of("Question:", "\n\n"), until);
            assertEquals(16, maxTokens);
            String last = context.substring(context.lastIndexOf("Question: "));
            return generations.entrySet().stream().filter(e -> last.contains(e.getKey())).findFirst()
                    .orElseThrow().getValue();
        }
    }

    @Test
    void accAndAccNormByHand() throws Exception {
        TaskFile task = TaskFileReader.read(resource("capitals.yaml"));
        FixedModel model = new FixedModel();
        // acc: argmax(ll) == gold; acc_norm: argmax(ll / len(choice)) == gold (characters, without the delimiter)
        model.byQuestion.put("France", new double[] {-2.0, -3.0});  // acc 1; -0.4 vs -0.75 -> 1
        model.byQuestion.put("banana", new double[] {-3.0, -4.0});  // acc 0; -1 vs -0.667 -> 1
        model.byQuestion.put("letter", new double[] {-1.0, -5.0});  // acc 1; -1 vs -0.5 -> 0
        model.byQuestion.put("water", new double[] {-2.0, -2.0});   // tie -> first: acc 0; -1 vs -0.667 -> 1
        TaskRunner runner = new TaskRunner(task);
        List<TaskRunner.ItemResult> items = runner.run(runner.inputs(), model, PromptFormat.PLAIN);
        assertEquals(List.of(1.0, 0.0, 1.0, 0.0), items.stream().map(r -> r.scores().get("acc")).toList());
        assertEquals(List.of(1.0, 1.0, 0.0, 1.0), items.stream().map(r -> r.scores().get("acc_norm")).toList());
        assertEquals(List.of(0, 1, 0, 1), items.stream().map(TaskRunner.ItemResult::gold).toList());
        assertEquals("Q: The capital of France is\nA:", model.contexts.get(0));
        assertEquals(List.of(" Paris", " Lyon"), model.continuations.get(0)); // target_delimiter + choice
        assertEquals("yes", items.get(3).target());

        TaskEvaluation.Outcome outcome = TaskEvaluation.score(task, Map.of("base", items),
                new TaskEvaluation.Statistics(200, 0.95, 1));
        assertEquals(0.5, outcome.rows().stream().filter(r -> r.metric().equals("acc")).findFirst().orElseThrow()
                .value());
        assertEquals(0.75, outcome.rows().stream().filter(r -> r.metric().equals("acc_norm")).findFirst()
                .orElseThrow().value());
        assertTrue(outcome.tests().isEmpty(), "one model: nothing to pair");
    }

    @Test
    void gsm8kGenerationsScoredWithFilterAndFewShotFromOtherItems() throws Exception {
        TaskFile task = TaskFileReader.read(resource("arithmetic.yaml"));
        FixedModel model = new FixedModel();
        model.generations.put("9 * 2", " 9 times 2 is $18.\n#### 18");
        model.generations.put("400 and 600", " #### 1,000");
        model.generations.put("Half of 7", " It is 3.50\n#### 3.50");  // "3.50" != "3.5": lm-eval counts it wrong
        model.generations.put("2 - 7", " minus five");                  // no "#### N": the fallback
        TaskRunner runner = new TaskRunner(task);
        List<TaskRunner.ItemResult> items = runner.run(runner.inputs(), model, PromptFormat.PLAIN);
        assertEquals(List.of("18", "1,000", "3.50", "[invalid]"),
                items.stream().map(TaskRunner.ItemResult::answer).toList());
        assertEquals(List.of(1.0, 1.0, 0.0, 0.0), items.stream().map(r -> r.scores().get("exact_match")).toList());

        for (int i = 0; i < items.size(); i++) {
            String prompt = items.get(i).prompt();
            // two examples, each "Question: q\nAnswer: <worked answer>", joined by the few-shot delimiter
            assertEquals(3, prompt.split("Question: ", -1).length - 1, prompt);
            String own = "Question: " + List.of("What is 9 * 2?", "Add 400 and 600.", "Half of 7?",
                    "What is 2 - 7?").get(i) + "\nAnswer:";
            assertTrue(prompt.endsWith("\n\n" + own), prompt);
            assertEquals(1, prompt.split(java.util.regex.Pattern.quote(own), -1).length - 1,
                    "the item is never its own example: " + prompt);
            assertTrue(prompt.contains("\nAnswer: "), prompt);
            assertTrue(prompt.contains("#### "), "examples carry their worked answers: " + prompt);
        }
        // the same seed gives the same prompts; another seed other prompts
        List<TaskRunner.ItemResult> again = runner.run(runner.inputs(), model, PromptFormat.PLAIN);
        assertEquals(items.stream().map(TaskRunner.ItemResult::prompt).toList(),
                again.stream().map(TaskRunner.ItemResult::prompt).toList());
        TaskFile otherSeed = new TaskFile(task.file(), task.task(), task.datasetPath(), task.fewshotPath(),
                task.fewshotColumns(), task.numFewshot(), 99, task.limit(), task.outputType(), task.docToText(),
                task.docToTarget(), task.docToChoice(), task.choices(), task.targetDelimiter(),
                task.fewshotDelimiter(), task.until(), task.maxGenToks(), task.filter(), task.metrics(),
                task.applyChatTemplate());
        TaskRunner other = new TaskRunner(otherSeed);
        assertNotEquals(items.stream().map(TaskRunner.ItemResult::prompt).toList(),
                other.run(other.inputs(), model, PromptFormat.PLAIN).stream().map(TaskRunner.ItemResult::prompt)
                        .toList());
        assertFalse(items.get(0).itemSha256().equals(items.get(1).itemSha256()));
    }

    @Test
    void chatFormatWrapsTheWholePromptAndLimitCuts() throws Exception {
        TaskFile file = TaskFileReader.read(resource("capitals.yaml"));
        TaskFile chat = new TaskFile(file.file(), file.task(), file.datasetPath(), file.fewshotPath(),
                file.fewshotColumns(), 0, 1, java.util.OptionalInt.of(2), file.outputType(), file.docToText(),
                file.docToTarget(), file.docToChoice(), file.choices(), file.targetDelimiter(),
                file.fewshotDelimiter(), file.until(), file.maxGenToks(), file.filter(), file.metrics(), true);
        FixedModel model = new FixedModel();
        model.byQuestion.put("France", new double[] {-1, -2});
        model.byQuestion.put("banana", new double[] {-1, -2});
        TaskRunner runner = new TaskRunner(chat);
        List<TaskRunner.ItemResult> items = runner.run(runner.inputs(), model,
                text -> "<|user|>" + text + "<|assistant|>");
        assertEquals(2, items.size());
        assertEquals("<|user|>Q: The capital of France is\nA:<|assistant|>", items.get(0).prompt());
        assertArrayEquals(new double[] {-1, -2}, items.get(1).logLikelihoods());
    }
}
