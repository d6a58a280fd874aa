package dev.workbench.plan;

import ai.djl.ndarray.NDManager;
import dev.workbench.data.DataPreparer;
import dev.workbench.data.PreparedData;
import dev.workbench.model.Freezing;
import dev.workbench.model.Lora;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunPlannerTest {
    private static final GptConfig CONFIG = new GptConfig(257, 16, 2, 2, 16, 0.0);

    /** The planner counts trainable values by formula; the model, built and frozen for real, is the reference. */
    @Test
    void trainableCountsEqualWhatTheModelActuallyTrains() {
        Finetune lora = new Finetune(List.of(Finetune.Task.LANGUAGE_MODEL), Finetune.Method.LORA, Optional.empty(),
                Optional.of(new Finetune.Lora(2, 4, 0, List.of("q", "v", "up", "down"))), java.util.Optional.of(Finetune.Pooling.MEAN), 0.0,
                Finetune.ClassWeights.NONE);
        Finetune freeze = new Finetune(List.of(Finetune.Task.LANGUAGE_MODEL), Finetune.Method.FREEZE,
                Optional.of(new Finetune.Freeze(true, 1)), Optional.empty(), java.util.Optional.of(Finetune.Pooling.MEAN), 0.0,
                Finetune.ClassWeights.NONE);
        try (NDManager manager = NDManager.newBaseManager()) {
            GptModel full = GptModel.create(CONFIG, 1, manager);
            assertEquals(Freezing.trainableCount(full), RunPlanner.trainableParameters(
                    new Finetune(List.of(Finetune.Task.LANGUAGE_MODEL), Finetune.Method.FULL, Optional.empty(),
                            Optional.empty(), java.util.Optional.of(Finetune.Pooling.MEAN), 0.0, Finetune.ClassWeights.NONE), CONFIG));

            GptModel withAdapters = GptModel.create(CONFIG, 1, manager);
            Lora.apply(withAdapters, lora.lora().get(), 1);
            assertEquals(Freezing.trainableCount(withAdapters), RunPlanner.trainableParameters(lora, CONFIG));
            // by hand: per layer q, v: 2*(16+16) each; up: 2*(16+64); down: 2*(64+16) -> 448; two layers
            assertEquals(2 * (64 + 64 + 160 + 160), RunPlanner.trainableParameters(lora, CONFIG));

            GptModel frozen = GptModel.create(CONFIG, 1, manager);
            Freezing.apply(frozen, freeze.freeze().get());
            assertEquals(Freezing.trainableCount(frozen), RunPlanner.trainableParameters(freeze, CONFIG));
        }
    }

    @Test
    void stepsAndTokensFollowTheBatchAndTheContext(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("text.csv"), "text,split\nabcd,train\nab,train\na,train\nzz,validation\n"
                + "yy,test\n");
        Files.writeString(dir.resolve("labelled.csv"), "text,label,split\nabcd,x,train\nab,y,train\na,x,train\n"
                + "zz,y,validation\nyy,x,test\n");
        Files.writeString(dir.resolve("r.yaml"), """
                name: r
                base_model: {preset: nano, context_length: 2}
                corpus: {text: {path: text.csv}, labelled: {path: labelled.csv}}
                split: {method: column, column: split}
                training: {batch_size: 2, gradient_accumulation_steps: 1, epochs: 3}
                finetune: {tasks: [language_model, classifier]}
                """);
        Recipe recipe = RecipeReader.read(dir.resolve("r.yaml"), List.of());
        PreparedData data = DataPreparer.prepare(recipe);
        // packed: <eot> abcd <eot> ab <eot> a <eot> = 11 tokens, 10 predicted -> 5 windows of 2 predicted tokens;
        // 3 epochs of 5 windows in steps of 2 -> 8 steps (the last takes what is left)
        TaskPlan plan = TaskPlanner.plan(recipe, data, Finetune.Task.LANGUAGE_MODEL, Optional.empty());
        assertEquals(5, plan.examplesPerEpoch());
        assertEquals(3, plan.stepsPerEpoch());
        assertEquals(8, plan.totalSteps());
        assertEquals(4, plan.tokensPerStep());
        assertEquals(2, plan.contextLength());
        assertEquals(0.333, plan.longerThanContextShare(), 1e-9);

        TaskPlan classifier = TaskPlanner.plan(recipe, data, Finetune.Task.CLASSIFIER, Optional.empty());
        assertEquals(3, classifier.examplesPerEpoch());
        assertEquals(2, classifier.stepsPerEpoch());
        assertEquals(5, classifier.totalSteps());
    }
}
