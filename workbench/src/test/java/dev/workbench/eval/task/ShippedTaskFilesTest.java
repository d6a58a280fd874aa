package dev.workbench.eval.task;

import dev.workbench.recipe.Evaluate;
import dev.workbench.recipe.TaskFile;
import dev.workbench.recipe.TaskFileReader;
import dev.workbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every shipped task file reads and renders its items: on the domain's held-out file where it is in the checkout,
 * else on a fixture of the same layout; and the GSM8K test split (shared data, skipped without it) works with the
 * word-problems task unchanged.
 */
class ShippedTaskFilesTest {
    static final Path DATASETS = Path.of("..", "datasets");
    static final Path FIXTURES = Path.of("src/test/resources/dev/workbench/eval/task/heldout");

    @TempDir
    Path dir;

    static List<Path> shippedTaskFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DATASETS)) {
            return files.filter(p -> p.getParent().getFileName().toString().equals("tasks")
                    && p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** Answers every choice with its length (so choices differ) and generates a fixed GSM8K-style answer. */
    static final class EchoModel implements ScoringModel {
        @Override
        public double[] logLikelihoods(String context, List<String> continuations) {
            return continuations.stream().mapToDouble(c -> -c.length()).toArray();
        }

        @Override
        public String generateUntil(String context, List<String> until, int maxTokens) {
            return " It is 7.\n#### 7";
        }
    }

    @Test
    void everyShippedTaskRendersItsItems() throws IOException {
        List<Path> files = shippedTaskFiles();
        assertEquals(List.of("customer-service/tasks/support-replies.yaml", "education/tasks/word-problems.yaml",
                        "medical/tasks/health-qa-choice.yaml", "medical/tasks/health-qa.yaml"),
                files.stream().map(p -> DATASETS.relativize(p).toString()).toList());
        for (Path file : files) {
            java.util.regex.Matcher declared = java.util.regex.Pattern.compile("(?m)^dataset_path: (\\S+)")
                    .matcher(Files.readString(file));
            assertTrue(declared.find(), file.toString());
            Path heldout = file.getParent().resolve(declared.group(1)).normalize();
            Optional<Path> dataset = Files.isRegularFile(heldout) ? Optional.empty()
                    : Optional.of(FIXTURES.resolve(heldout.getFileName()).toAbsolutePath());
            TaskFile task = TaskFileReader.read(new Evaluate.TaskRef(file, dataset, OptionalInt.of(3),
                    OptionalInt.empty()));
            TaskRunner runner = new TaskRunner(task);
            List<TaskRunner.ItemResult> items = runner.run(runner.inputs(), new EchoModel(), PromptFormat.PLAIN);
            assertFalse(items.isEmpty(), file.toString());
            for (TaskRunner.ItemResult item : items) {
                assertFalse(item.prompt().contains("{{"), item.prompt());
                assertFalse(item.target().isBlank(), file + ": " + item);
                assertEquals(task.metrics().size(), item.scores().size());
            }
        }
    }

    @Test
    void wordProblemsFewShotExamplesComeFromTheTrainingFileRenamed() throws IOException {
        Path training = DATASETS.resolve("education/word-problems.jsonl");
        assumeTrue(Files.isRegularFile(training), "no " + training + " in this checkout");
        Path file = DATASETS.resolve("education/tasks/word-problems.yaml");
        TaskFile task = TaskFileReader.read(new Evaluate.TaskRef(file, Optional.empty(), OptionalInt.of(2),
                OptionalInt.of(2)));
        TaskRunner runner = new TaskRunner(task);
        TaskRunner.ItemResult first = runner.run(runner.inputs(), new EchoModel(), PromptFormat.PLAIN).get(0);
        assertEquals(3, first.prompt().split("Question: ", -1).length - 1, first.prompt());
        assertTrue(first.prompt().contains("\n#### "), "worked answers of the examples: " + first.prompt());
    }

    @Test
    void gsm8kTestSplitTargetsNormaliseToTheirFinalAnswersAndScoreOnTheShippedBase() throws IOException {
        Path gsm8k = SharedData.file("education/gsm8k_test.csv");
        assumeTrue(Files.isRegularFile(gsm8k), "no GSM8K test split under " + SharedData.folder());
        Path file = DATASETS.resolve("education/tasks/word-problems.yaml");
        TaskFile all = TaskFileReader.read(new Evaluate.TaskRef(file, Optional.of(gsm8k), OptionalInt.empty(),
                OptionalInt.empty()));
        // lm-eval's gsm8k regexes turn every worked answer into its final answer: the scoring cannot be the problem
        List<TaskItems.Item> items = TaskItems.read(gsm8k);
        assertEquals(1319, items.size());
        TaskFile.MetricSpec exact = all.metrics().get(0);
        TaskTemplates templates = new TaskTemplates();
        for (TaskItems.Item item : items) {
            String target = templates.render(all.docToTarget(), item);
            assertEquals(1.0, TaskMetrics.exactMatch((String) item.fields().get("final_answer"), target, exact),
                    item.where());
            assertEquals(1.0, TaskMetrics.exactMatch(TaskMetrics.filter(target, all.filter().orElseThrow()),
                    target, exact), item.where());
        }
        // two items greedily on models/general-micro: the per-item file and a score per item
        TaskFile two = all.with(new Evaluate.TaskRef(file, Optional.of(gsm8k), OptionalInt.of(2),
                OptionalInt.empty()));
        TaskEvaluation.Outcome outcome = TaskRun.run(List.of(two), Path.of("../models/general-micro").toString(),
                Optional.empty(), dir, new TaskEvaluation.Statistics(100, 0.95, 1),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1, outcome.rows().size());
        assertEquals(2, outcome.rows().get(0).n());
        List<String> lines = Files.readAllLines(dir.resolve("eval/tasks/model/word-problems.jsonl"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains("\"target\":\"Janet"), lines.get(0));
    }
}
