package dev.workbench.cli;

import dev.workbench.model.hf.HfImporter;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import dev.workbench.store.RunFolder;
import dev.workbench.store.RunStore;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recipe whose base is a Hugging Face GPT-2 folder (the committed tiny fixture): LoRA fine-tuning of the language
 * model and a classifier through {@code workbench run}, then {@code generate hf:DIR} and {@code export} of the result.
 */
class HfRecipeEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void fineTunesFromAHuggingFaceFolderAndExportsTheResult() throws Exception {
        Path hf = Path.of(getClass().getResource("/hf/tiny-gpt2").toURI());
        StringBuilder text = new StringBuilder();
        List<String> labelled = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < 40; i++) {
            text.append("the cat sat on the mat ").append(i).append(".\n\n");
            labelled.add((i % 2 == 0 ? "the cat sat " : "a dog ran ") + i + "," + (i % 2 == 0 ? "cat" : "dog"));
        }
        Files.writeString(dir.resolve("text.txt"), text);
        Files.write(dir.resolve("labelled.csv"), labelled);
        Files.writeString(dir.resolve("hf.yaml"), """
                name: hf-tiny
                seed: 5
                base_model: {hf: %s}
                corpus:
                  text: {path: text.txt}
                  labelled: {path: labelled.csv}
                split: {method: stratified, validation: 0.2, test: 0.2}
                training: {devices: [cpu], batch_size: 4, max_steps: 3, eval_every_steps: 3}
                finetune:
                  tasks: [language_model, classifier]
                  method: lora
                  lora: {rank: 2, alpha: 4, targets: [q, v]}
                evaluate: {prompts: ["the cat"], max_new_tokens: 4, bootstrap_samples: 20}
                """.formatted(hf));
        Path runs = dir.resolve("runs");
        assertEquals(0, Main.execute("run", dir.resolve("hf.yaml").toString(), "--runs", runs.toString(),
                "--reports", dir.resolve("reports").toString()));
        RunStore.RunEntry run = new RunStore(runs).list().get(0);
        assertTrue(run.complete());
        List<MetricRow> rows = MetricsLog.read(run.folder().resolve(RunFolder.METRICS));
        assertTrue(rows.stream().anyMatch(r -> r.subject().equals("base") && r.metric().equals("bits_per_byte")),
                "the imported GPT-2 was scored before fine-tuning");
        assertTrue(rows.stream().anyMatch(r -> r.stage().equals("evaluate") && r.subject().equals("base+head")
                && r.metric().equals("accuracy")), "the base model with a trained head is a classifier baseline");
        assertTrue(rows.stream().anyMatch(r -> r.subject().equals("finetuned")
                && r.metric().equals("p_value_mcnemar_vs_base+head")), "and the fine-tuned classifier is tested on it");
        assertTrue(Files.isRegularFile(run.folder().resolve("checkpoints/classifier_probe/best/model.safetensors")));

        StringWriter generated = new StringWriter();
        picocli.CommandLine generate = new picocli.CommandLine(new GenerateCommand());
        generate.setOut(new PrintWriter(generated));
        assertEquals(0, generate.execute("--checkpoint", "hf:" + hf, "--prompt", "the cat",
                "--max-new-tokens", "3", "--seed", "1"));
        assertTrue(generated.toString().startsWith("the cat"), generated.toString());

        Path exported = dir.resolve("exported");
        Path best = run.folder().resolve("checkpoints/language_model/best");
        assertEquals(0, Main.execute("export", "--checkpoint", best.toString(), "--format", "hf", "--out",
                exported.toString()));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(2, HfImporter.loadModel(exported, manager).architecture().layers(),
                    "the exported folder imports back");
        }
        assertEquals(2, Main.execute("predict", "--checkpoint", "hf:" + hf, "--text", "a dog"),
                "a Hugging Face language model is not a classifier");
    }
}
