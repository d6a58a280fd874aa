package dev.workbench.recipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resolved YAML is complete, commented with sources, and reads back to an equal recipe. */
class ResolvedRecipeWriterTest {
    @TempDir
    Path dir;

    /** Between them these use every key of the language (checked below). */
    static final List<String> FULL_RECIPES = List.of("""
            name: every-key-a
            description: "quotes \\" and \\\\ and unicode \u00e9\u4e2d and a tab\\there"
            seed: 7
            domain: medical
            base_model:
              preset: micro
              tokenizer: {type: file, path: tok/tokenizer.json}
              context_length: 64
              layers: 3
              heads: 4
              embedding_dim: 64
              dropout: 0.0
            corpus:
              text: {path: data/text.jsonl, format: jsonl, column: body}
              labelled: {path: data/l.csv, text_column: t, label_column: y}
              table: {path: data/t.csv, target: outcome, column_types: {age: integer, "odd name": categorical},
                      drop: [id]}
              on_bad_row: skip
            split: {method: column, column: fold, dedupe: false}
            training:
              devices: [gpu:0, gpu:1]
              precision: bf16
              batch_size: 8
              gradient_accumulation_steps: 4
              epochs: 3
              learning_rate: 1.0e-5
              lr_schedule: linear
              warmup_steps: 5
              weight_decay: 0
              max_grad_norm: 0.5
              eval_every_steps: 7
              early_stopping: {patience: 2, min_delta: 1e-3}
              checkpoint_every_steps: 9
              keep_checkpoints: 1
              max_non_finite_steps: 3
              log_every_steps: 1
            finetune:
              tasks: [classifier]
              method: freeze
              freeze: {embeddings: false, layers: 2}
              classifier_pooling: last
              label_smoothing: 0.1
              class_weights: balanced
            synthesize:
              methods: [gaussian-copula, ctgan]
              rows: 1000
              epochs: 0
              steps: 10
              batch_size: 40
              pac: 4
              noise_dim: 16
              generator_dims: [32]
              critic_dims: [16, 8]
              generator_learning_rate: 1e-3
              critic_learning_rate: 0.002
              log_frequency: false
              augment: true
              augment_ratio: 0.5
              clip_to_range: false
            evaluate:
              language_model: false
              classifier: false
              synthetic: false
              bootstrap_samples: 10
              confidence: 0.9
              prompts: ["The", "yes", "a: b", "# not a comment", "[x]"]
              max_new_tokens: 5
              temperature: 0
              baselines: []
              out_of_scope_label: [oos, "no intent"]
              tasks: [tasks/choice.yaml, {path: tasks/answers.yaml, task: answers-other, dataset_path: data/other.csv, limit: 5, num_fewshot: 2}]
            report: {formats: [json], title: "Title: with colon"}
            """, """
            name: every-key-b
            base_model:
              checkpoint: 20261129-093000-a1b2c3
              context_length: 0
              layers: 0
            corpus:
              text: {path: data/text.txt}
              labelled: {path: data/l.data, format: jsonl}
              table: {path: data/t.data, format: csv}
            split: {validation: 0.2, test: 0.3}
            training: {max_steps: 10, devices: cpu, warmup_ratio: 0.25}
            finetune:
              tasks: [language_model]
              method: lora
              lora: {rank: 2, alpha: 4, dropout: 0, targets: [q, k, v, o, up, down]}
            evaluate: {out_of_scope_label: out_of_scope}
            """, """
            name: every-key-c
            base_model: {preset: nano, tokenizer: {type: bpe, vocab_size: 512}}
            corpus:
              text: {path: data/text.txt}
            finetune: {tasks: [language_model]}
            """, """
            name: every-key-d
            base_model: {hf: /models/gpt2}
            corpus:
              text: {path: data/text.txt}
            finetune: {tasks: [language_model]}
            """, """
            name: every-key-e
            base_model: {preset: nano}
            corpus:
              instructions: {path: data/chat.csv, format: alpaca, columns: {instruction: question, output: answer}}
            finetune: {tasks: [instruct], chat_template: chatml, train_on_prompt: true, packing: false}
            """);

    @Test
    void resolvedYamlReadsBackToAnEqualRecipe() throws IOException {
        List<Path> files = new ArrayList<>(ShippedRecipesTest.shippedRecipes());
        for (int i = 0; i < FULL_RECIPES.size(); i++) {
            files.add(RecipeTestFiles.write(dir, "full-" + i + ".yaml", FULL_RECIPES.get(i)));
        }
        for (Path file : files) {
            ResolvedRecipe resolved = RecipeReader.resolve(file, List.of());
            String yaml = ResolvedRecipeWriter.toYaml(resolved);
            Path written = RecipeTestFiles.write(dir, "resolved.yaml", yaml);
            ResolvedRecipe again = RecipeReader.resolve(written, List.of());
            assertEquals(resolved.recipe(), RecipeTestFiles.withSource(again.recipe(), resolved.recipe().source()),
                    file + " resolved to:\n" + yaml);
            assertEquals(withoutComments(yaml), withoutComments(ResolvedRecipeWriter.toYaml(again)),
                    "writing is stable");
            assertEquals(resolved.sources().keySet(), again.sources().keySet(), file.toString());
        }
    }

    @Test
    void everyLeafKeyIsWrittenAndReadBySomeFullRecipe() {
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < FULL_RECIPES.size(); i++) {
            Path file = RecipeTestFiles.write(dir, "full-" + i + ".yaml", FULL_RECIPES.get(i));
            ResolvedRecipe resolved = RecipeReader.resolve(file, List.of());
            resolved.sources().forEach((key, source) -> {
                if (source.startsWith(file.toString() + ":")) {
                    seen.add(key);
                }
            });
        }
        assertEquals(RecipeFields.leaves(), seen, "keys the full recipes set explicitly");
    }

    @Test
    void commentsNameTheSourceOfEachValue() {
        Path file = RecipeTestFiles.write(dir, "c.yaml", FULL_RECIPES.get(2));
        String yaml = ResolvedRecipeWriter.toYaml(RecipeReader.resolve(file, List.of("seed=9")));
        assertTrue(yaml.contains("\nseed: 9  # --set\n"), yaml);
        assertTrue(yaml.contains("\n  preset: nano  # " + file + ":2\n"), yaml);
        assertTrue(yaml.contains("\n  layers: 2  # preset nano\n"), yaml);
        assertTrue(yaml.contains("\n  batch_size: 16  # default\n"), yaml);
        assertTrue(yaml.contains("\n  # max_steps: not set: epochs decide the length\n"), yaml);
        assertTrue(yaml.contains("\n  epochs: 1  # default\n"), yaml);
        assertTrue(yaml.contains("\n  # eval_every_steps: not set: validation once per epoch (see workbench plan)\n"),
                yaml);
        assertTrue(yaml.contains("\n  warmup_steps: 0  # default\n"), yaml);
        assertTrue(yaml.contains("\n  out_of_scope_label: oos  # default\n"), yaml);
        // Keys appear in RecipeFields order: name first, report.title last.
        assertTrue(yaml.indexOf("\nname:") < yaml.indexOf("\nbase_model:"));
        assertTrue(yaml.trim().endsWith("title: every-key-c  # default"), yaml);
    }

    private static String withoutComments(String yaml) {
        return yaml.lines().filter(l -> !l.trim().startsWith("#")).map(l -> l.replaceAll("  # .*$", ""))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
