package dev.workbench.cli;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.llama.LlamaFixtures;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunStore;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every recipe in recipes/examples/ for a Llama-family base runs end to end on the tiny fixture of its model_type
 * ({@code --set base_model.hf=...}, a few steps): LoRA fine-tuning of the language model, scoring before and after,
 * generation from the fine-tuned checkpoint, and export merged and as a PEFT adapter, both of which import back.
 */
class LlamaRecipesTest {
    /** Recipe -> the fixture with its model_type. */
    private static final Map<String, String> RECIPES = Map.of(
            "qwen2.5-0.5b-lora.yaml", "qwen2",
            "llama-3.2-1b-lora.yaml", "llama",
            "qwen3-0.6b-lora.yaml", "qwen3",
            "mistral-7b-lora.yaml", "mistral");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyLlamaFamilyExampleRecipeRunsOnItsTinyFixture() {
        Path examples = Path.of(System.getProperty("workbench.repo.root", "..")).resolve("recipes/examples");
        return RECIPES.keySet().stream().sorted().map(recipe -> DynamicTest.dynamicTest(recipe, () ->
                runs(examples.resolve(recipe), LlamaFixtures.folder(RECIPES.get(recipe)))));
    }

    private void runs(Path recipe, Path fixture) throws Exception {
        assertTrue(Files.isRegularFile(recipe), recipe.toString());
        Path work = Files.createDirectories(dir.resolve(recipe.getFileName().toString()));
        Path runs = work.resolve("runs");
        assertEquals(0, Main.execute("run", recipe.toString(), "--runs", runs.toString(),
                "--reports", work.resolve("reports").toString(),
                "--set", "base_model.hf=" + fixture,
                "--set", "base_model.context_length=32",
                "--set", "training.devices=[cpu]",
                "--set", "training.max_steps=2", "--set", "training.warmup_steps=1",
                "--set", "training.gradient_accumulation_steps=1",
                "--set", "training.eval_every_steps=2",
                "--set", "training.checkpoint_every_steps=2",
                "--set", "evaluate.max_new_tokens=4",
                "--set", "evaluate.bootstrap_samples=20"));
        RunStore.RunEntry run = new RunStore(runs).list().get(0);
        assertTrue(run.complete());
        java.util.List<MetricRow> rows = MetricsLog.read(run.folder().resolve(RunFolder.METRICS));
        assertTrue(rows.stream().anyMatch(r -> r.subject().equals("base") && r.metric().equals("bits_per_byte")),
                "the pretrained base was scored");
        assertTrue(rows.stream().anyMatch(r -> r.subject().equals("finetuned")
                && r.metric().equals("bits_per_byte")), "and the fine-tuned model");

        StringWriter generated = new StringWriter();
        picocli.CommandLine generate = new picocli.CommandLine(new GenerateCommand());
        generate.setOut(new PrintWriter(generated));
        assertEquals(0, generate.execute("--checkpoint", run.folder().toString(), "--prompt", "The patient",
                "--max-new-tokens", "3", "--seed", "1"));
        assertTrue(generated.toString().startsWith("The patient"), generated.toString());

        Path merged = work.resolve("merged");
        Path peft = work.resolve("peft");
        assertEquals(0, Main.execute("export", "--checkpoint", run.folder().toString(), "--format", "hf",
                "--out", merged.toString()));
        assertEquals(0, Main.execute("export", "--checkpoint", run.folder().toString(), "--format", "hf",
                "--lora", "peft", "--out", peft.toString()));
        assertTrue(Files.isRegularFile(peft.resolve("adapter/adapter_model.safetensors")));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(2, HfImporter.loadModel(merged, manager).architecture().layers());
            assertEquals(2, HfImporter.loadModel(peft, manager).architecture().layers());
        }
    }
}
