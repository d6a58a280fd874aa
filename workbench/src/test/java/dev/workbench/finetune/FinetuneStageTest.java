package dev.workbench.finetune;

import ai.djl.ndarray.NDManager;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.PreparedData;
import dev.workbench.data.Splits;
import dev.workbench.data.TextDocument;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.tokenizer.ByteTokenizer;
import dev.workbench.optim.Adam;
import dev.workbench.plan.RunContext;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Evaluate;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Report;
import dev.workbench.recipe.Split;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinetuneStageTest {
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    static Training training(int maxSteps, Training.Precision precision, List<String> devices) {
        return new Training(devices, precision, 4, 2, Optional.empty(), Optional.of(maxSteps), 1e-2,
                Training.LrSchedule.COSINE, 2, Optional.empty(), 0.1, 1.0, Optional.of(3), Optional.empty(), 3, 2, 3,
                2);
    }

    static Recipe recipe(Path dir, Training training, Finetune finetune, Optional<String> checkpoint) {
        BaseModel base = new BaseModel(checkpoint.isPresent() ? Optional.empty() : Optional.of("nano"), checkpoint,
                Optional.empty(), new BaseModel.TokenizerSpec(BaseModel.TokenizerKind.BYTE, 257, Optional.empty()),
                16, 1, 2, 16, 0.0);
        Corpus corpus = new Corpus(Optional.empty(), Optional.empty(), Optional.empty(), Corpus.BadRowPolicy.ERROR);
        Evaluate evaluate = new Evaluate(true, true, false, 100, 0.95, List.of("the"), 8, 0.8, List.of(),
                List.of("oos"));
        return new Recipe("tiny", "test", 7, "toy", base, corpus, new Split(Split.Method.RANDOM, 0.2, 0.2,
                Optional.empty(), false), training, Optional.of(finetune), Optional.empty(), evaluate,
                new Report(List.of("json"), "t"), dir.resolve("recipe.yaml"));
    }

    static PreparedData data() {
        List<TextDocument> train = new ArrayList<>();
        String[] animals = {"cat", "dog", "cow", "hen"};
        for (int i = 0; i < 24; i++) {
            train.add(new TextDocument("t" + i, "the " + animals[i % 4] + " sat on the mat " + i % 3 + "."));
        }
        List<TextDocument> validation = List.of(new TextDocument("v0", "the dog sat on the mat 1."));
        List<TextDocument> test = List.of(new TextDocument("x0", "the cat sat on the mat 2."),
                new TextDocument("x1", "the hen sat on the mat 0."));
        List<LabelledExample> lTrain = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            boolean positive = i % 2 == 0;
            lTrain.add(new LabelledExample("l" + i, positive ? "great good fine " + i : "bad awful poor " + i,
                    positive ? "pos" : "neg"));
        }
        List<LabelledExample> lVal = List.of(new LabelledExample("lv", "good great", "pos"),
                new LabelledExample("lv2", "awful bad", "neg"));
        List<LabelledExample> lTest = List.of(new LabelledExample("lt", "fine good", "pos"),
                new LabelledExample("lt2", "poor awful", "neg"));
        return new PreparedData(Optional.of(new Splits<>(train, validation, test)),
                Optional.of(new Splits<>(lTrain, lVal, lTest)), Optional.empty(), Optional.empty(), Map.of(), Map.of());
    }

    RunContext context(Path dir, Recipe recipe, String runId, Optional<Path> resume) throws Exception {
        Path run = dir.resolve("runs/tiny/" + runId);
        Files.createDirectories(run);
        return new RunContext(recipe, runId, run, dir.resolve("reports"), dir.resolve("runs"), data(),
                new MetricsLog(run.resolve("metrics.jsonl")), resume, new PrintStream(logBytes, true));
    }

    private static double value(List<MetricRow> rows, String subject, String dataset, String split, String metric) {
        return rows.stream().filter(r -> r.subject().equals(subject) && r.dataset().equals(dataset)
                        && r.split().equals(split) && r.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + subject + " " + metric + " in " + rows)).value();
    }

    @Test
    void fullFineTuningWritesTheRunFolderContract(@TempDir Path dir) throws Exception {
        Finetune finetune = new Finetune(List.of(Finetune.Task.LANGUAGE_MODEL, Finetune.Task.CLASSIFIER),
                Finetune.Method.FULL, Optional.empty(), Optional.empty(), java.util.Optional.of(Finetune.Pooling.MEAN), 0.0,
                Finetune.ClassWeights.NONE);
        RunContext context = context(dir, recipe(dir, training(6, Training.Precision.FP32, List.of("cpu")), finetune,
                Optional.empty()), "r1", Optional.empty());
        new FinetuneStage().run(context);
        Path run = context.runFolder();
        List<MetricRow> rows = MetricsLog.read(run.resolve("metrics.jsonl"));
        double base = value(rows, "base", "toy/text", "test", "bits_per_byte");
        double tuned = value(rows, "finetuned", "toy/text", "test", "bits_per_byte");
        assertTrue(base > 7.0, "a random byte-level model is near log2(257) = 8.0 bits per byte: " + base);
        assertTrue(tuned < base - 1.0, "6 steps must learn something: " + base + " -> " + tuned);
        value(rows, "finetuned", "toy/labelled", "test", "accuracy");
        value(rows, "finetuned", "toy/labelled", "test", "macro_f1");

        assertEquals(7, Files.readAllLines(run.resolve("finetune/language_model/metrics.csv")).size());
        assertEquals(List.of("step-000003", "step-000006"), Checkpoints.committedSteps(
                run.resolve("checkpoints/language_model")).stream().map(p -> p.getFileName().toString()).toList());
        Checkpoint best = Checkpoint.open(run.resolve("checkpoints/language_model/best"));
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel reloaded = best.loadLanguageModel(manager);
            assertEquals(16, reloaded.architecture().contextLength());
        }
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/language_model/best/optimizer.safetensors")));
        List<String> lm = Files.readAllLines(run.resolve(RunFolder.LM_PREDICTIONS));
        assertEquals("id,bytes,base_bits,finetuned_bits,words,tokens,text_sha256", lm.get(0));
        assertEquals(3, lm.size());
        assertTrue(lm.get(1).startsWith("x0,25,"), lm.get(1));
        // "the cat sat on the mat 2." has 7 whitespace-separated words; byte tokenizer: 25 tokens for 25 bytes
        // text hash: python3 -c 'import hashlib; print(hashlib.sha256(b"the cat sat on the mat 2.").hexdigest())'
        assertTrue(lm.get(1).endsWith(",7,25,93ac3d10930477acbdd767a762c8deae44a15f33bc5f87abbbf07d50edf9b691"), lm.get(1));
        List<String> classifier = Files.readAllLines(run.resolve(RunFolder.CLASSIFIER_PREDICTIONS));
        assertEquals("id,label,predicted,confidence", classifier.get(0));
        assertEquals(3, classifier.size());
        Checkpoint.open(run.resolve("checkpoints/classifier/best"));
        commandsUseTheRun(dir, run);
        List<String> generations = Files.readAllLines(run.resolve(RunFolder.GENERATIONS));
        assertEquals(1, generations.size());
        assertTrue(generations.get(0).startsWith("{\"prompt\":\"the\",\"base\":"), generations.get(0));
    }

    /** predict and checkpoints list on the folder the stage just wrote (saves training a second classifier). */
    private static void commandsUseTheRun(Path dir, Path run) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new dev.workbench.cli.Main())
                .setOut(new java.io.PrintWriter(out, true));
        assertEquals(0, cli.execute("predict", "--checkpoint", run.toString(), "--text", "great good fine"));
        // "label<TAB>pos" then p(CLASS) for both classes, most likely first, summing to 1
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        assertTrue(lines.get(0).matches("label\t(pos|neg)"), lines.get(0));
        String label = lines.get(0).substring("label\t".length());
        assertTrue(lines.get(1).startsWith("p(" + label + ")\t"), "the label is the most likely class: " + lines);
        double first = Double.parseDouble(lines.get(1).split("\t")[1]);
        double second = Double.parseDouble(lines.get(2).split("\t")[1]);
        assertTrue(first >= second && Math.abs(first + second - 1) < 2e-4, lines.toString());

        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"id\": \"a\", \"text\": \"bad awful\"}\n{\"id\": \"b\", \"text\": \"good\"}\n");
        Path output = dir.resolve("out.csv");
        assertEquals(0, cli.execute("predict", "--checkpoint", run.resolve("checkpoints/classifier/best").toString(),
                "--input", input.toString(), "--out", output.toString()));
        List<String> predicted = Files.readAllLines(output);
        assertEquals("id,text,label,confidence,p_neg,p_pos", predicted.get(0));
        assertEquals(3, predicted.size());
        assertTrue(predicted.get(1).startsWith("a,bad awful,"), predicted.get(1));
        String[] cells = predicted.get(1).split(",");
        double pNeg = Double.parseDouble(cells[4]);
        double pPos = Double.parseDouble(cells[5]);
        assertEquals(Math.max(pNeg, pPos), Double.parseDouble(cells[3]), 1e-9, "confidence is the top probability");
        assertEquals(pNeg > pPos ? "neg" : "pos", cells[2]);

        out.getBuffer().setLength(0);
        assertEquals(0, cli.execute("checkpoints", "list", "--runs", dir.resolve("runs").toString()));
        String listing = out.toString();
        assertTrue(listing.contains("tiny/r1/checkpoints/language_model/step-000006"), listing);
        assertTrue(listing.lines().anyMatch(l -> l.contains("classifier/best") && l.contains("classifier")
                && l.contains(" gpt ") && l.endsWith("COMPLETE")), listing); // the family config.json records
        // one run by id: the same rows, nothing from elsewhere
        out.getBuffer().setLength(0);
        Files.createDirectories(dir.resolve("runs/other/r9/checkpoints/language_model/step-000001"));
        assertEquals(0, cli.execute("checkpoints", "list", "r1", "--runs", dir.resolve("runs").toString()));
        assertTrue(out.toString().contains("tiny/r1/checkpoints/classifier/best"), out.toString());
        assertFalse(out.toString().contains("other/r9"), out.toString());
        // --verify re-hashes: one flipped byte in a step's optimizer state is CHANGED, exit code 2
        out.getBuffer().setLength(0);
        assertEquals(0, cli.execute("checkpoints", "list", "r1", "--verify", "--runs", dir.resolve("runs").toString()));
        Path optimizer = run.resolve("checkpoints/language_model/step-000006/" + Adam.STATE_FILE);
        byte[] bytes = Files.readAllBytes(optimizer);
        bytes[bytes.length - 1] ^= 0x10;
        Files.write(optimizer, bytes);
        out.getBuffer().setLength(0);
        assertEquals(2, cli.execute("checkpoints", "list", "r1", "--verify", "--runs", dir.resolve("runs").toString()));
        assertTrue(out.toString().lines().anyMatch(l -> l.contains("language_model/step-000006")
                && l.endsWith("CHANGED")), out.toString());
        assertTrue(out.toString().contains("checkpoint file optimizer.safetensors changed since it was written"),
                out.toString());
    }

    @Test
    void loraFromACheckpointRunIdAndResume(@TempDir Path dir) throws Exception {
        Finetune full = new Finetune(List.of(Finetune.Task.LANGUAGE_MODEL), Finetune.Method.FULL, Optional.empty(),
                Optional.empty(), java.util.Optional.of(Finetune.Pooling.MEAN), 0.0,
                Finetune.ClassWeights.NONE);
        new FinetuneStage().run(context(dir, recipe(dir, training(3, Training.Precision.FP32, List.of("cpu")), full,
                Optional.empty()), "base-run", Optional.empty()));

        Finetune lora = new Finetune(List.of(Finetune.Task.LANGUAGE_MODEL), Finetune.Method.LORA, Optional.empty(),
                Optional.of(new Finetune.Lora(2, 4.0, 0.0, List.of("q", "v"))), java.util.Optional.of(Finetune.Pooling.MEAN), 0.0,
                Finetune.ClassWeights.NONE);
        Recipe recipe = recipe(dir, training(6, Training.Precision.FP32, List.of("cpu")), lora,
                Optional.of("base-run"));
        RunContext first = context(dir, recipe, "lora-run", Optional.empty());
        new FinetuneStage().run(first);
        Path best = first.runFolder().resolve("checkpoints/language_model/best");
        assertTrue(Files.isRegularFile(best.resolve("adapter.safetensors")));
        assertTrue(logBytes.toString().contains("trainable (lora)"), logBytes.toString());

        // a resumed run adopts the earlier checkpoints; with all 6 steps done there is nothing left to train
        RunContext resumed = context(dir, recipe, "lora-run-2", Optional.of(first.runFolder()));
        new FinetuneStage().run(resumed);
        assertTrue(logBytes.toString().contains("resuming at step 6 of 6"), logBytes.toString());
        assertTrue(Checkpoints.isComplete(resumed.runFolder().resolve("checkpoints/language_model/step-000006")));
        assertEquals(7, Files.readAllLines(resumed.runFolder().resolve("finetune/language_model/metrics.csv"))
                .size());
    }

    @Test
    void aBaseCheckpointThatDoesNotFitIsAClearError(@TempDir Path dir) throws Exception {
        Finetune lmTask = new Finetune(List.of(Finetune.Task.LANGUAGE_MODEL), Finetune.Method.FULL, Optional.empty(),
                Optional.empty(), java.util.Optional.of(Finetune.Pooling.MEAN), 0.0,
                Finetune.ClassWeights.NONE);
        Finetune classifierTask = new Finetune(List.of(Finetune.Task.CLASSIFIER), Finetune.Method.FULL,
                Optional.empty(), Optional.empty(), java.util.Optional.of(Finetune.Pooling.MEAN), 0.0,
                Finetune.ClassWeights.NONE);
        GptConfig arch = new GptConfig(257, 16, 1, 2, 16, 0.0, GptConfig.Activation.GELU);
        try (NDManager manager = NDManager.newBaseManager()) {
            // a classifier as the base of a language model
            Path classifier = CheckpointIO.save(dir.resolve("clf"), CheckpointConfig.classifier(arch,
                    BaseModel.TokenizerKind.BYTE, List.of("neg", "pos"), Finetune.Pooling.MEAN),
                    arch.family().newClassifier(arch, 2, Finetune.Pooling.MEAN, 1, manager), new ByteTokenizer());
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> new FinetuneStage().run(context(dir,
                    recipe(dir, training(2, Training.Precision.FP32, List.of("cpu")), lmTask,
                            Optional.of(classifier.toString())), "lm-from-clf", Optional.empty())));
            assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().contains("is a classifier checkpoint") && e.getMessage()
                    .contains("a language_model task needs a language-model checkpoint"), e.getMessage());

            // a language model whose tokenizer is not the one its weights were trained with (257 byte ids, 100 rows)
            GptConfig small = new GptConfig(100, 16, 1, 2, 16, 0.0, GptConfig.Activation.GELU);
            Path lm = CheckpointIO.save(dir.resolve("lm"), CheckpointConfig.languageModel(small,
                    BaseModel.TokenizerKind.BPE), GptModel.create(small, 1, manager), new ByteTokenizer());
            WorkbenchException t = assertThrows(WorkbenchException.class, () -> new FinetuneStage().run(context(dir,
                    recipe(dir, training(2, Training.Precision.FP32, List.of("cpu")), classifierTask,
                            Optional.of(lm.toString())), "clf-from-lm", Optional.empty())));
            assertTrue(t.getMessage().contains("its tokenizer.json has 257 tokens but the weights embed only 100"),
                    t.getMessage());
        }
    }

    @Test
    void refusesWhatThisBuildCannotDo(@TempDir Path dir) {
        Finetune full = new Finetune(List.of(Finetune.Task.LANGUAGE_MODEL), Finetune.Method.FULL, Optional.empty(),
                Optional.empty(), java.util.Optional.of(Finetune.Pooling.MEAN), 0.0,
                Finetune.ClassWeights.NONE);
        WorkbenchException bf16 = assertThrows(WorkbenchException.class, () -> new FinetuneStage().run(context(dir,
                recipe(dir, training(2, Training.Precision.BF16, List.of("cpu")), full, Optional.empty()), "a",
                Optional.empty())));
        assertTrue(bf16.getMessage().contains("bf16 is not supported"), bf16.getMessage());
        WorkbenchException multi = assertThrows(WorkbenchException.class, () -> new FinetuneStage().run(context(dir,
                recipe(dir, training(2, Training.Precision.FP32, List.of("gpu:0", "gpu:1")), full, Optional.empty()),
                "b", Optional.empty())));
        assertEquals(WorkbenchException.Kind.ENVIRONMENT, multi.kind());
    }
}
