package dev.workbench.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The smallest real recipe: a 1-layer classifier on 90 labelled messages of three themes, a few steps; with
 * {@code languageModel} also a language model on 90 short notes (for score) and a CTGAN generator of a 150-row table
 * (for sample).
 */
final class TinyRecipe {
    private TinyRecipe() {
    }

    static Path write(Path dir) throws IOException {
        return write(dir, false);
    }

    static Path write(Path dir, boolean languageModel) throws IOException {
        Random random = new Random(7);
        String[] labels = {"cardiology", "dermatology", "neurology"};
        String[][] words = {{"chest", "heart", "palpitations", "pressure"}, {"rash", "itchy", "skin", "mole"},
                {"headache", "dizzy", "numbness", "migraine"}};
        List<String> labelled = new ArrayList<>(List.of("text,label"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            int c = i % 3;
            text.append("The patient reports ").append(words[c][random.nextInt(4)]).append(". Treatment for ")
                    .append(labels[c]).append(" was started on day ").append(1 + random.nextInt(9)).append(".\n\n");
            labelled.add("patient reports " + words[c][random.nextInt(4)] + " and " + words[c][random.nextInt(4)]
                    + " since " + (1 + random.nextInt(9)) + " days," + labels[c]);
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("labelled.csv"), labelled);
        Files.writeString(dir.resolve("text.txt"), text);
        List<String> table = new ArrayList<>(List.of("age,sex,admission_type,readmitted"));
        for (int i = 0; i < 150; i++) {
            int age = 20 + random.nextInt(70);
            String type = random.nextDouble() < 0.3 ? "emergency" : "elective";
            table.add(age + "," + (random.nextBoolean() ? "F" : "M") + "," + type + ","
                    + (age > 60 && "emergency".equals(type) || random.nextDouble() < 0.15 ? "yes" : "no"));
        }
        Files.write(dir.resolve("table.csv"), table);
        Path recipe = dir.resolve("tiny.yaml");
        Files.writeString(recipe, ("""
                name: tiny
                seed: 3
                domain: medical
                base_model:
                  preset: nano
                  layers: 1
                  heads: 2
                  embedding_dim: 32
                  context_length: 32
                corpus:%s
                  labelled: {path: labelled.csv, text_column: text, label_column: label}
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
                  tasks: [%s]
                  method: full
                %s
                evaluate:
                  bootstrap_samples: 50
                report: {formats: [json]}
                """).formatted(languageModel ? "\n  text: {path: text.txt}\n  table: {path: table.csv, target: readmitted}" : "",
                languageModel ? "language_model, classifier" : "classifier",
                languageModel ? "synthesize: {methods: [ctgan], epochs: 1, steps: 10, batch_size: 40, pac: 4, "
                        + "generator_dims: [32], critic_dims: [32]}" : ""));
        return recipe;
    }
}
