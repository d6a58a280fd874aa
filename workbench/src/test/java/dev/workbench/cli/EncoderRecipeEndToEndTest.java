package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.model.bert.BertFixtures;
import dev.workbench.model.io.Checkpoint;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped {@code recipes/examples/bert-classifier.yaml} end to end on the committed tiny encoders (its
 * {@code base_model.hf} pointed at them with {@code --set}): full fine-tuning of BERT with cls pooling through the
 * pretrained pooler, LoRA on all six projections of RoBERTa, freezing on DistilBERT with mean pooling; each run
 * completes, evaluates against the baselines, writes a classifier checkpoint that records family bert (LoRA: with its
 * adapter file), and {@code predict} labels a text with it. {@code plan --json} shows the family, the pooling and the
 * trainable count (all for full, under half for LoRA and freeze; the exact counts are {@code BertTrainingTest}'s).
 */
class EncoderRecipeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path recipe() {
        return RecipeCommandsTest.repoRoot().resolve("recipes/examples/bert-classifier.yaml");
    }

    /** 48 short messages of two intents, in words the tiny WordPiece and BPE vocabularies know. */
    private Path labelled() throws Exception {
        List<String> rows = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < 24; i++) {
            rows.add("my card was declined twice " + i + ",card_declined");
            rows.add("the order has not arrived " + i + ",late_order");
        }
        Path file = dir.resolve("labelled.csv");
        Files.write(file, rows);
        return file;
    }

    private List<String> small(String type, Path labelled, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--set", "base_model.hf=" + BertFixtures.folder(type),
                "--set", "corpus.labelled.path=" + labelled,
                "--set", "training.max_steps=4", "--set", "training.warmup_steps=1",
                "--set", "training.batch_size=8", "--set", "training.eval_every_steps=2",
                "--set", "training.checkpoint_every_steps=4", "--set", "training.learning_rate=1e-3",
                "--set", "evaluate.bootstrap_samples=20", "--set", "report.formats=[json]"));
        for (String setting : more) {
            args.add("--set");
            args.add(setting);
        }
        return args;
    }

    @Test
    void fineTunesEachEncoderWithEachMethodAndPredicts() throws Exception {
        Path labelled = labelled();
        record Case(String type, String method, String pooling, List<String> settings) {
        }
        List<Case> cases = List.of(
                new Case("bert", "full", "cls", List.of()),
                new Case("roberta", "lora", "cls", List.of("finetune.method=lora",
                        "finetune.lora={rank: 2, alpha: 4, targets: [q, k, v, o, up, down]}")),
                new Case("distilbert", "freeze", "mean", List.of("finetune.method=freeze",
                        "finetune.freeze={embeddings: true, layers: 1}", "finetune.classifier_pooling=mean")));
        for (Case c : cases) {
            List<String> settings = small(c.type(), labelled, c.settings().toArray(String[]::new));

            List<String> plan = new ArrayList<>(List.of("plan", recipe().toString(), "--json"));
            plan.addAll(settings);
            RecipeCommandsTest.Result planned = RecipeCommandsTest.run(plan.toArray(String[]::new));
            assertEquals(0, planned.exitCode(), planned.out() + planned.err());
            JsonNode figures = JSON.readTree(planned.out()).path("plan");
            JsonNode task = figures.path("tasks").get(0);
            assertEquals("bert", task.path("family").asText(), c.type());
            assertEquals(c.pooling(), task.path("pooling").asText(), c.type());
            long parameters = figures.path("parameters").asLong();
            long trainable = figures.path("trainable_parameters").asLong();
            assertTrue(c.method().equals("full") ? trainable == parameters : trainable < parameters / 2,
                    c.type() + " " + c.method() + ": " + trainable + " of " + parameters + " trainable");

            Path runs = dir.resolve("runs-" + c.type());
            List<String> run = new ArrayList<>(List.of("run", recipe().toString(), "--runs", runs.toString(),
                    "--reports", dir.resolve("reports").toString()));
            run.addAll(settings);
            RecipeCommandsTest.Result ran = RecipeCommandsTest.run(run.toArray(String[]::new));
            assertEquals(0, ran.exitCode(), ran.out() + ran.err());
            RunStore.RunEntry entry = new RunStore(runs).list().get(0);
            assertTrue(entry.complete(), c.type());
            List<MetricRow> metrics = MetricsLog.read(entry.folder().resolve(RunFolder.METRICS));
            assertTrue(metrics.stream().anyMatch(r -> r.subject().equals("finetuned") && r.metric().equals("accuracy")
                    && r.stage().equals("evaluate")), c.type() + ": the fine-tuned encoder is evaluated");
            assertTrue(metrics.stream().anyMatch(r -> r.subject().equals("base+head")), c.type()
                    + ": the pretrained encoder with a trained head is the baseline");
            Checkpoint best = Checkpoint.open(entry.folder().resolve("checkpoints/classifier/best"));
            assertEquals("bert", best.config().model().family().name());
            assertEquals(c.pooling(), best.config().pooling().orElseThrow().name().toLowerCase(java.util.Locale.ROOT));
            assertEquals(c.method().equals("lora"), Files.isRegularFile(best.file("adapter.safetensors")), c.type());

            RecipeCommandsTest.Result predicted = RecipeCommandsTest.run("predict", "--checkpoint",
                    entry.folder().toString(), "--text", "my card was declined");
            assertEquals(0, predicted.exitCode(), predicted.out() + predicted.err());
            assertTrue(predicted.out().matches("(?s)label\t(card_declined|late_order)\n.*"), predicted.out());

            // export from the run folder: bert with cls pooling through its pooler is BertForSequenceClassification;
            // the other encoders' transformers heads differ, so their export is refused and writes nothing
            Path exported = dir.resolve("exported-" + c.type());
            RecipeCommandsTest.Result export = RecipeCommandsTest.run("export", "--checkpoint",
                    entry.folder().toString(), "--format", "hf", "--out", exported.toString());
            if (c.type().equals("bert")) {
                assertEquals(0, export.exitCode(), export.out() + export.err());
                assertTrue(Files.readString(exported.resolve("config.json")).contains("BertForSequenceClassification"));
            } else {
                assertEquals(2, export.exitCode(), export.out() + export.err());
                assertTrue(export.err().contains("export supports bert classifiers"), export.err());
                assertFalse(Files.exists(exported), "a refused export writes nothing");
            }
        }
    }

    @Test
    void anEncoderRefusesALanguageModelTaskAndADecoderRefusesClsPoolingAtValidate() throws Exception {
        Path labelled = labelled();
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "the cat sat on the mat.\n\nthe dog ate the bone.\n");
        List<String> args = new ArrayList<>(List.of("validate", recipe().toString()));
        args.addAll(small("bert", labelled, "corpus.text={path: " + text + "}",
                "finetune.tasks=[language_model, classifier]"));
        RecipeCommandsTest.Result encoder = RecipeCommandsTest.run(args.toArray(String[]::new));
        assertEquals(2, encoder.exitCode(), encoder.out() + encoder.err());
        assertTrue(encoder.err().contains("error: finetune.tasks: language_model needs a base that predicts tokens; "
                + "the bert base is an encoder without a language-model head (use it for tasks: [classifier])"),
                encoder.err());

        Path gpt2 = Path.of(getClass().getResource("/hf/tiny-gpt2").toURI());
        args = new ArrayList<>(List.of("validate", recipe().toString()));
        args.addAll(small("bert", labelled, "base_model.hf=" + gpt2));
        RecipeCommandsTest.Result decoder = RecipeCommandsTest.run(args.toArray(String[]::new));
        assertEquals(2, decoder.exitCode(), decoder.out() + decoder.err());
        assertTrue(decoder.err().contains("error: finetune.classifier_pooling: cls does not suit a gpt base, which "
                + "pools by [mean, last] (a causal decoder's first token has seen only itself)"), decoder.err());
    }
}
