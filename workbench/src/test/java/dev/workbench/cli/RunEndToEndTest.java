package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunManifest;
import dev.workbench.store.RunStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real, tiny recipe through the CLI exactly as a user runs it: every stage, a committed run folder, a report in three
 * formats; and a bad recipe, which must write nothing. (How a failing or diverging stage leaves the run is
 * {@link PipelineTest}'s subject.)
 */
class RunEndToEndTest {

    @TempDir
    static Path work;

    static Path recipe;

    @BeforeAll
    static void writeTinyDomain() throws IOException {
        Random random = new Random(7);
        String[] labels = {"cardiology", "dermatology", "neurology"};
        String[][] words = {{"chest", "heart", "palpitations", "pressure"}, {"rash", "itchy", "skin", "mole"},
                {"headache", "dizzy", "numbness", "migraine"}};
        List<String> labelled = new ArrayList<>(List.of("text,label"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            int c = i % 3;
            String sentence = "patient reports " + words[c][random.nextInt(4)] + " and " + words[c][random.nextInt(4)]
                    + " since " + (1 + random.nextInt(9)) + " days";
            labelled.add("\"" + sentence + "\"," + labels[c]);
            text.append("The patient reports ").append(words[c][random.nextInt(4)]).append(". Treatment for ")
                    .append(labels[c]).append(" was started on day ").append(1 + random.nextInt(9)).append(".\n\n");
        }
        List<String> table = new ArrayList<>(List.of("age,sex,bmi,admission_type,readmitted"));
        for (int i = 0; i < 150; i++) {
            int age = 20 + random.nextInt(70);
            double bmi = 18 + random.nextGaussian() * 4 + age / 20.0;
            String type = random.nextDouble() < 0.3 ? "emergency" : "elective";
            boolean readmitted = age > 60 && "emergency".equals(type) || random.nextDouble() < 0.15;
            table.add(age + "," + (random.nextBoolean() ? "F" : "M") + "," + String.format("%.1f", bmi) + ","
                    + type + "," + (readmitted ? "yes" : "no"));
        }
        Files.write(work.resolve("labelled.csv"), labelled);
        Files.writeString(work.resolve("text.txt"), text);
        Files.write(work.resolve("table.csv"), table);
        recipe = work.resolve("tiny.yaml");
        Files.writeString(recipe, """
                name: tiny
                seed: 3
                domain: medical
                base_model:
                  preset: nano
                  layers: 1
                  heads: 2
                  embedding_dim: 32
                  context_length: 32
                corpus:
                  text: {path: text.txt}
                  labelled: {path: labelled.csv, text_column: text, label_column: label}
                  table: {path: table.csv, target: readmitted}
                split: {method: stratified, validation: 0.2, test: 0.3}
                training:
                  devices: [cpu]
                  batch_size: 8
                  max_steps: 6
                  learning_rate: 3.0e-3
                  warmup_steps: 2
                  eval_every_steps: 3
                  checkpoint_every_steps: 3
                finetune:
                  tasks: [language_model, classifier]
                  method: full
                synthesize:
                  methods: [ctgan, independent]
                  epochs: 1
                  steps: 10
                  batch_size: 40
                  pac: 4
                  generator_dims: [32]
                  critic_dims: [32]
                evaluate:
                  prompts: ["The patient"]
                  max_new_tokens: 8
                  bootstrap_samples: 50
                report: {formats: [html, markdown, json]}
                """);
    }

    @Test
    void runsEveryStageAndCommitsRunAndReport() throws IOException {
        Path runs = work.resolve("runs");
        Path reports = work.resolve("reports");
        int exit = Main.execute("run", recipe.toString(), "--runs", runs.toString(), "--reports", reports.toString());
        assertEquals(0, exit);

        List<RunStore.RunEntry> entries = new RunStore(runs).list();
        assertEquals(1, entries.size());
        RunStore.RunEntry run = entries.get(0);
        assertTrue(run.complete(), "run folder is committed");
        RunManifest manifest = run.manifest().orElseThrow();
        assertEquals("completed", manifest.status());
        assertEquals(Set.of("completed"),
                manifest.stages().stream().map(RunManifest.StageRecord::status).collect(Collectors.toSet()),
                "every stage ran: " + manifest.stages());
        assertEquals(3, manifest.inputs().size(), "the three input files are hashed");
        assertTrue(Files.isRegularFile(run.folder().resolve(RunFolder.RESOLVED_RECIPE)));

        List<MetricRow> rows = MetricsLog.read(run.folder().resolve(RunFolder.METRICS));
        assertTrue(has(rows, "finetune", "base", "bits_per_byte"), "base model measured");
        assertTrue(has(rows, "finetune", "finetuned", "bits_per_byte"), "fine-tuned model measured");
        assertTrue(has(rows, "finetune", "finetuned", "accuracy"), "classifier measured");
        assertTrue(rows.stream().anyMatch(r -> r.stage().equals("evaluate") && r.subject().equals("majority")),
                "baseline measured");
        assertTrue(rows.stream().anyMatch(r -> r.stage().equals("evaluate") && r.subject().equals("ctgan")),
                "synthetic data evaluated");
        assertTrue(has(rows, "evaluate", "real-holdout", "quality_score"),
                "real rows no synthesizer saw are scored as the ceiling");
        for (MetricRow row : rows) {
            assertTrue(Double.isFinite(row.value()), "finite metric " + row);
        }

        Path reportFolder = reports.resolve("tiny").resolve(run.runId());
        for (String file : List.of("report.html", "report.md", "report.json")) {
            assertTrue(Files.size(reportFolder.resolve(file)) > 0, file);
        }
        JsonNode json = new ObjectMapper().readTree(reportFolder.resolve("report.json").toFile());
        assertEquals(run.runId(), json.path("run").path("run_id").asText(json.toString().substring(0, 200)));
    }

    @Test
    void invalidRecipeExitsTwoAndWritesNothing() throws IOException {
        Path runs = work.resolve("runs-invalid");
        int exit = Main.execute("run", recipe.toString(), "--runs", runs.toString(), "--reports",
                work.resolve("reports-invalid").toString(), "--set", "training.learnig_rate=0.1", "--set",
                "training.batch_size=-4");
        assertEquals(2, exit);
        assertFalse(Files.exists(runs), "nothing written for an invalid recipe");
    }

    private static boolean has(List<MetricRow> rows, String stage, String subject, String metric) {
        return rows.stream().anyMatch(r -> r.stage().equals(stage) && r.subject().equals(subject)
                && r.metric().equals(metric));
    }
}
