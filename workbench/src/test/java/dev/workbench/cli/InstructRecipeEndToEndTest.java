package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.chat.ChatTemplates;
import dev.workbench.eval.RunPairTests;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The instruct task through {@code workbench run} exactly as a user runs it, on the committed tiny GPT-2 (a few steps):
 * the checkpoint records its chat template, the finetune and evaluate stages write the loss per trained token of base
 * and fine-tuned with the paired test, and the report shows them in its summary and language-model section.
 */
class InstructRecipeEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void trainsEvaluatesAndReportsAnInstructRecipe() throws Exception {
        Path hf = Path.of(getClass().getResource("/hf/tiny-gpt2").toURI());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"what is " + i + " plus one?\"}, "
                    + "{\"role\": \"assistant\", \"content\": \"" + (i + 1) + "\"}]}");
        }
        Files.write(dir.resolve("chat.jsonl"), lines);
        Files.writeString(dir.resolve("instruct.yaml"), """
                name: instruct-tiny
                seed: 5
                domain: arithmetic
                base_model: {hf: %s}
                corpus:
                  instructions: {path: chat.jsonl}
                split: {method: random, validation: 0.25, test: 0.0}
                training: {devices: [cpu], batch_size: 4, max_steps: 4, learning_rate: 1.0e-2, eval_every_steps: 2}
                finetune:
                  tasks: [instruct]
                  method: full
                  chat_template: chatml
                evaluate: {bootstrap_samples: 50}
                report: {formats: [html, markdown, json]}
                """.formatted(hf));
        Path runs = dir.resolve("runs");
        Path reports = dir.resolve("reports");
        assertEquals(0, Main.execute("run", dir.resolve("instruct.yaml").toString(), "--runs", runs.toString(),
                "--reports", reports.toString()));
        RunStore.RunEntry run = new RunStore(runs).list().get(0);
        assertTrue(run.complete());

        Path best = run.folder().resolve("checkpoints/instruct/best");
        assertTrue(Files.isRegularFile(best.resolve("model.safetensors")));
        String template = Files.readString(best.resolve(ChatTemplates.FILE));
        assertTrue(template.contains("<|im_start|>"), "the checkpoint records the chatml template it trained with");

        RecipeCommandsTest.Result chat = RecipeCommandsTest.run("generate", "--checkpoint", run.folder().toString(),
                "--chat", "--prompt", "what is 3 plus one?", "--temperature", "0", "--max-new-tokens", "4");
        assertEquals(0, chat.exitCode(), "a run folder of an instruct run gives its instruct checkpoint: " + chat.err());
        assertTrue(!chat.out().contains("<|im_start|>") && !chat.out().contains("what is 3"),
                "only the reply is printed: " + chat.out());

        List<MetricRow> rows = MetricsLog.read(run.folder().resolve(RunFolder.METRICS));
        for (String subject : List.of("base", "finetuned")) {
            for (String stage : List.of("finetune", "evaluate")) {
                assertTrue(find(rows, stage, subject, "loss").isPresent(), stage + " " + subject + " loss");
                assertTrue(find(rows, stage, subject, "perplexity").isPresent(), stage + " " + subject + " ppl");
            }
        }
        MetricRow base = find(rows, "evaluate", "base", "loss").orElseThrow();
        MetricRow tuned = find(rows, "evaluate", "finetuned", "loss").orElseThrow();
        assertEquals(10, base.n(), "the 10 validation conversations (the recipe keeps no test split)");
        assertEquals("validation", base.split());
        assertEquals(base.value(), find(rows, "finetune", "base", "loss").orElseThrow().value(), 1e-6,
                "evaluate reads the finetune stage's per-conversation scores: the same ratio of sums");
        assertTrue(base.ciLow() <= base.value() && base.value() <= base.ciHigh());
        assertEquals(Math.exp(tuned.value()), find(rows, "evaluate", "finetuned", "perplexity").orElseThrow().value(),
                1e-9);
        MetricRow delta = find(rows, "evaluate", "finetuned", "loss_delta_vs_base").orElseThrow();
        assertEquals(tuned.value() - base.value(), delta.value(), 1e-9);
        assertTrue(tuned.value() < base.value(), "4 steps at lr 1e-2 on 30 tiny conversations lower the loss: "
                + base.value() + " -> " + tuned.value());
        assertTrue(find(rows, "evaluate", "finetuned", "p_value_bootstrap_vs_base").isPresent());

        Path reportFolder = reports.resolve("instruct-tiny").resolve(run.runId());
        JsonNode json = new ObjectMapper().readTree(reportFolder.resolve("report.json").toFile());
        JsonNode headline = null;
        for (JsonNode h : json.path("summary")) {
            if (h.path("area").asText().equals("instruct")) {
                headline = h;
            }
        }
        assertTrue(headline != null, "the summary has the instruct headline: " + json.path("summary"));
        assertEquals("loss", headline.path("metric").asText());
        assertEquals(tuned.value(), headline.path("value").asDouble(), 1e-9);
        assertEquals(base.value(), headline.path("against_value").asDouble(), 1e-9);
        assertTrue(headline.has("p_value"));
        assertTrue(json.path("language_model").path("values").toString().contains("arithmetic/instructions"));
        assertTrue(json.path("language_model").path("curves").toString().contains("\"instruct\""));
        String md = Files.readString(reportFolder.resolve("report.md"));
        assertTrue(md.contains("the loss per trained (assistant) token on arithmetic/instructions"), md);
        assertTrue(md.contains("## Language model"), md);
        assertTrue(md.contains("The instruct task's loss is measured on the 10 validation conversations"), md);
        String html = Files.readString(reportFolder.resolve("report.html"));
        assertTrue(html.contains("arithmetic/instructions"));

        // compare: a shorter run of the same recipe scored the same held-out conversations, so they pair
        assertEquals(0, Main.execute("run", dir.resolve("instruct.yaml").toString(), "--runs", runs.toString(),
                "--reports", reports.toString(), "--set", "training.max_steps=2"));
        RunStore.RunEntry shorter = new RunStore(runs).list().stream()
                .filter(e -> !e.runId().equals(run.runId())).findFirst().orElseThrow();
        List<MetricRow> shorterRows = MetricsLog.read(shorter.folder().resolve(RunFolder.METRICS));
        List<RunPairTests.PairedTest> tests = RunPairTests.againstFirst(List.of(
                new RunPairTests.Run("four", run.folder(), rows),
                new RunPairTests.Run("two", shorter.folder(), shorterRows)));
        RunPairTests.PairedTest paired = tests.stream().filter(t -> t.area().equals("instruct")).findFirst()
                .orElseThrow();
        assertEquals(null, paired.refused());
        assertEquals(10, paired.n());
        assertEquals(find(shorterRows, "evaluate", "finetuned", "loss").orElseThrow().value() - tuned.value(),
                paired.difference(), 1e-6, "the loss of run two minus run four's on the same conversations");
        RecipeCommandsTest.Result compared = RecipeCommandsTest.run("compare", run.folder().toString(),
                shorter.folder().toString(), "--out", dir.resolve("cmp").toString());
        assertEquals(0, compared.exitCode(), compared.err());
        assertTrue(compared.out().contains("arithmetic/instructions"), compared.out());
    }

    private static Optional<MetricRow> find(List<MetricRow> rows, String stage, String subject, String metric) {
        return rows.stream().filter(r -> r.stage().equals(stage) && r.subject().equals(subject)
                && r.metric().equals(metric) && r.dataset().equals("arithmetic/instructions")).findFirst();
    }
}
