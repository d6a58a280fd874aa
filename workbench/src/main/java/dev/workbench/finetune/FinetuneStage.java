package dev.workbench.finetune;

import ai.djl.Device;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Stage {@code finetune}: for each task of {@code recipe.finetune.tasks}, build the base model, apply the method
 * (full, freeze, lora), measure the base, train with {@link TrainingLoop}, measure the fine-tuned model, and write:
 * <pre>
 *   finetune/&lt;task&gt;/metrics.csv              per-step curve
 *   checkpoints/&lt;task&gt;/step-NNNNNN/, best/     loadable checkpoints (best = lowest validation loss)
 *   predictions/lm_test.csv                    id, bytes, base_bits, finetuned_bits, words, tokens, text_sha256
 *   predictions/classifier_test.csv            id, label, predicted, confidence
 *   predictions/generations.jsonl              evaluate.prompts, base vs fine-tuned, same seed
 *   metrics.jsonl rows                         stage finetune, subject base / finetuned
 * </pre>
 * The base of a task ({@link BaseModels}): a {@code preset} (random init by the family's scheme, tokenizer trained on
 * the task's training texts), a {@code checkpoint} given as a checkpoint folder, a run folder or a run id (then
 * {@code <runs>/<recipe>/<id>/checkpoints/language_model/best}), or an {@code hf} folder. Each task is its own class
 * ({@link LanguageModelFinetune}, {@link ClassifierFinetune}); with {@code RunContext.resumeFrom}, each continues from
 * the newest complete checkpoint of that earlier run.
 */
public final class FinetuneStage implements Stage {
    public static final String NAME = "finetune";
    static final String PROBE_TASK = "classifier_probe";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled(Recipe recipe) {
        return recipe.finetune().isPresent();
    }

    @Override
    public void run(RunContext context) throws Exception {
        Recipe recipe = context.recipe();
        Finetune finetune = recipe.finetune().orElseThrow();
        List<Device> devices = TrainingDevices.all(recipe.training());
        context.log().printf("finetune: device%s %s, precision fp32%s%n", devices.size() > 1 ? "s" : "", devices,
                devices.size() > 1 ? "; data parallel: each micro-batch split across them" : "");
        for (Finetune.Task task : finetune.tasks()) {
            switch (task) {
                case LANGUAGE_MODEL -> LanguageModelFinetune.run(context, finetune, devices);
                case CLASSIFIER -> ClassifierFinetune.run(context, finetune, devices);
                case INSTRUCT -> InstructFinetune.run(context, finetune, devices);
                default -> throw new IllegalStateException("unknown task " + task);
            }
        }
    }

    static String folderName(Finetune.Task task) {
        return TaskPlanner.folderName(task);
    }

    /**
     * {@code base_model.checkpoint}: a checkpoint folder, a run folder (its language model's {@code best}), or a run
     * id looked up under the runs root. Relative paths are relative to the recipe file.
     */
    static Optional<Path> baseCheckpoint(RunContext context) throws IOException {
        return TaskPlanner.baseCheckpoint(context.recipe(), context.runsRoot());
    }
}
