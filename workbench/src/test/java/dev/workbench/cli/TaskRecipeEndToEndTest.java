package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny recipe with {@code evaluate.tasks} through the CLI: the evaluate stage scores a multiple-choice and a
 * generate_until task on the base and the fine-tuned model, writes the per-item files, the metric rows with intervals,
 * the paired tests, and the report's Summary rows; a recipe naming a missing task file writes nothing.
 */
class TaskRecipeEndToEndTest {
    @TempDir
    static Path work;

    @BeforeAll
    static void writeDomain() throws IOException {
        StringBuilder text = new StringBuilder();
        String[] animals = {"cat", "dog", "hen", "cow"};
        for (int i = 0; i < 60; i++) {
            text.append("Question: what does the ").append(animals[i % 4]).append(" say?\nAnswer: the ")
                    .append(animals[i % 4]).append(" says ").append(i % 7).append(".\n\n");
        }
        Files.writeString(work.resolve("text.txt"), text);
        List<String> mc = new ArrayList<>();
        List<String> gen = new ArrayList<>(List.of("question,answer"));
        for (int i = 0; i < 6; i++) {
            String a = animals[i % 4];
            mc.add("{\"question\": \"what does the " + a + " say?\", \"choices\": [\"the " + a + " says " + i
                    + ".\", \"purple\"], \"label\": 0}");
            gen.add("what does the " + a + " say?,the " + a + " says " + i + ".");
        }
        Files.createDirectories(work.resolve("tasks"));
        Files.write(work.resolve("tasks/animals-choice.jsonl"), mc);
        Files.write(work.resolve("tasks/animals.csv"), gen);
        Files.writeString(work.resolve("tasks/animals-choice.yaml"), """
                task: animals-choice
                dataset_path: animals-choice.jsonl
                output_type: multiple_choice
                doc_to_text: "Question: {{question}}\\nAnswer:"
                doc_to_target: "{{label}}"
                doc_to_choice: "{{choices}}"
                metric_list: [acc, acc_norm]
                """);
        Files.writeString(work.resolve("tasks/animals.yaml"), """
                task: animals
                dataset_path: animals.csv
                num_fewshot: 1
                output_type: generate_until
                doc_to_text: "Question: {{question}}\\nAnswer:"
                doc_to_target: "{{answer}}"
                generation_kwargs: {until: ["\\n"], max_gen_toks: 8}
                metric_list: [exact_match, rouge_l, f1]
                """);
    }

    static Path recipe(String name, String tasks) throws IOException {
        Path recipe = work.resolve(name + ".yaml");
        Files.writeString(recipe, """
                name: %s
                seed: 3
                domain: general
                base_model:
                  preset: nano
                  tokenizer: {type: byte}
                  layers: 1
                  heads: 2
                  embedding_dim: 32
                  context_length: 64
                corpus:
                  text: {path: text.txt}
                split: {method: random, validation: 0.2, test: 0.2}
                training:
                  devices: [cpu]
                  batch_size: 8
                  max_steps: 8
                  learning_rate: 3.0e-3
                  warmup_steps: 2
                  eval_every_steps: 4
                finetune:
                  tasks: [language_model]
                  method: full
                evaluate:
                  bootstrap_samples: 50
                  tasks: %s
                report: {formats: [json, markdown]}
                """.formatted(name, tasks));
        return recipe;
    }

    @Test
    void scoresBaseAndFinetunedOnTheSameItemsAndReportsThePairedTests() throws IOException {
        Path runs = work.resolve("runs");
        Path reports = work.resolve("reports");
        Path recipe = recipe("tasks", "[tasks/animals-choice.yaml, {path: tasks/animals.yaml, limit: 4}]");
        assertEquals(0, Main.execute("run", recipe.toString(), "--runs", runs.toString(), "--reports",
                reports.toString()));
        RunStore.RunEntry run = new RunStore(runs).list().get(0);
        Path folder = run.folder();

        ObjectMapper json = new ObjectMapper();
        for (String model : List.of("base", "finetuned")) {
            List<String> choice = Files.readAllLines(RunFolder.evalTaskItems(folder, model, "animals-choice"));
            assertEquals(6, choice.size());
            JsonNode first = json.readTree(choice.get(0));
            assertEquals("Question: what does the cat say?\nAnswer:", first.get("prompt").asText());
            assertEquals("the cat says 0.", first.get("target").asText());
            assertEquals(2, first.get("choice_loglikelihoods").size());
            assertTrue(first.get("choice_loglikelihoods").get(0).asDouble() < 0);
            List<String> gen = Files.readAllLines(RunFolder.evalTaskItems(folder, model, "animals"));
            assertEquals(4, gen.size(), "limit 4 from the recipe");
            JsonNode item = json.readTree(gen.get(1));
            assertTrue(item.get("prompt").asText().startsWith("Question: "), item.toString());
            assertFalse(item.get("output").asText().contains("\n"), "cut at the stop string");
            assertEquals(Set.of("exact_match", "rouge_l", "f1"), Set.copyOf(iterable(item.get("scores"))));
        }
        // same items, same prompts for both models
        assertEquals(prompts(folder, "base"), prompts(folder, "finetuned"));

        List<MetricRow> rows = MetricsLog.read(folder.resolve(RunFolder.METRICS));
        for (String metric : List.of("acc", "acc_norm", "exact_match", "rouge_l", "f1")) {
            for (String subject : List.of("base", "finetuned")) {
                MetricRow row = rows.stream().filter(r -> r.metric().equals(metric) && r.subject().equals(subject)
                        && r.dataset().startsWith("task/")).findFirst().orElseThrow(() -> new AssertionError(
                        metric + " " + subject));
                assertTrue(row.ciLow() <= row.value() && row.value() <= row.ciHigh(), row.toString());
            }
        }
        assertTrue(rows.stream().anyMatch(r -> r.metric().equals("p_value_mcnemar_acc_vs_base")
                && r.dataset().equals("task/animals-choice")));
        assertTrue(rows.stream().anyMatch(r -> r.metric().equals("p_value_bootstrap_rouge_l_vs_base_holm")
                && r.dataset().equals("task/animals")));
        JsonNode tests = json.readTree(folder.resolve(RunFolder.EVAL_TESTS).toFile());
        Set<String> taskTests = new java.util.TreeSet<>();
        tests.forEach(t -> {
            if (t.get("family").asText().startsWith("task:")) {
                taskTests.add(t.get("family").asText() + " " + t.get("metric").asText() + " " + t.get("test")
                        .asText().replaceAll("_(exact|chi2_continuity)$", ""));
            }
        });
        assertEquals(Set.of("task:animals-choice acc mcnemar", "task:animals-choice acc_norm mcnemar",
                "task:animals exact_match mcnemar", "task:animals rouge_l paired_bootstrap",
                "task:animals f1 paired_bootstrap"), taskTests);

        Path report = reports.resolve("tasks").resolve(run.runId());
        JsonNode summary = json.readTree(report.resolve("report.json").toFile()).get("summary");
        List<String> areas = new ArrayList<>();
        summary.forEach(h -> areas.add(h.get("area").asText() + " " + h.get("metric").asText()));
        assertTrue(areas.containsAll(List.of("task animals-choice acc", "task animals-choice acc_norm",
                "task animals exact_match", "task animals rouge_l", "task animals f1")), areas.toString());
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("On task animals-choice, fine-tuning moved acc from"), md);

        // a second run with another seed: compare pairs the task items of the two runs
        assertEquals(0, Main.execute("run", recipe.toString(), "--set", "seed=4", "--runs", runs.toString(),
                "--reports", reports.toString()));
        List<RunStore.RunEntry> both = new RunStore(runs).list();
        assertEquals(2, both.size());
        Path out = work.resolve("compare");
        assertEquals(0, Main.execute("compare", both.get(0).folder().toString(), both.get(1).folder().toString(),
                "--out", out.toString()));
        JsonNode compare = json.readTree(out.resolve("compare.json").toFile());
        Set<String> paired = new java.util.TreeSet<>();
        compare.get("tests").forEach(t -> {
            if (t.get("area").asText().startsWith("task ") && t.get("refused") == null) {
                paired.add(t.get("area").asText() + " " + t.get("subject").asText() + " " + t.get("metric").asText());
            }
        });
        assertTrue(paired.containsAll(List.of("task animals-choice base acc", "task animals-choice finetuned acc",
                "task animals finetuned rouge_l")), paired.toString());
    }

    @Test
    void aMissingTaskFileStopsTheRunBeforeAnythingIsWritten() throws IOException {
        Path runs = work.resolve("runs-missing");
        Path recipe = recipe("missing", "[tasks/animals.yaml, tasks/nope.yaml, {path: tasks/animals.yaml, limit: 2},"
                + " {path: tasks/animals.yaml, task: animals-2}]");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        int exit;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            exit = Main.execute("run", recipe.toString(), "--runs", runs.toString(), "--reports",
                    work.resolve("reports-missing").toString());
        } finally {
            System.setErr(saved);
        }
        assertNotEquals(0, exit);
        String message = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(message.contains("missing.yaml:26:31: error: evaluate.tasks[1]: no such task file"),
                message);
        assertTrue(message.contains("missing.yaml:26:48: error: evaluate.tasks[2]: task 'animals' is named twice"
                + " (first at evaluate.tasks[0])"), message);
        assertTrue(message.contains("2 problems"), message);
        assertFalse(Files.exists(runs) && Files.list(runs).findAny().isPresent(), "nothing written");
    }

    private static List<String> iterable(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> prompts(Path folder, String model) throws IOException {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(RunFolder.evalTaskItems(folder, model, "animals")).stream().map(l -> {
            try {
                return json.readTree(l).get("prompt").asText();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).collect(Collectors.toList());
    }
}
