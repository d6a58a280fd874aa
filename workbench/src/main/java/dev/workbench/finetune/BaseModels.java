package dev.workbench.finetune;

import ai.djl.ndarray.NDManager;
import dev.workbench.model.Architecture;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.Freezing;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.plan.TaskPlan;
import dev.workbench.recipe.Finetune;

import java.nio.file.Path;

/**
 * Where a task's weights start, as its plan chose (a workbench checkpoint, a Hugging Face folder or a fresh preset),
 * and the models the finetune stage builds on it: the language model, the classifier, and the baseline that trains a
 * new head on the frozen base. The one place that branches on the kind of base; everything model-specific is the
 * family's (the checkpoint's config.json, the folder's {@code model_type}, the preset architecture name it).
 */
public final class BaseModels {
    private BaseModels() {
    }

    /** The base of {@code plan}; {@code seed} drives every fresh value (a preset's weights, a new head). */
    public static Base open(TaskPlan plan, long seed) {
        if (plan.checkpoint().isPresent()) {
            return new FromCheckpoint(plan.checkpoint().get(), seed);
        }
        if (plan.hf().isPresent()) {
            return new FromHuggingFace(plan.hf().get(), seed);
        }
        return new Preset(plan.model(), seed);
    }

    /** A task's base, opened: each call builds a new model on {@code manager}, every parameter trainable. */
    public sealed interface Base {

        /** The language model to fine-tune (a checkpoint's adapters merged into its weights). */
        LanguageModel languageModel(NDManager manager);

        /** The base's trunk with a new classifier head ({@code classes} outputs after {@code pooling}). */
        ClassifierModel classifier(int classes, Finetune.Pooling pooling, NDManager manager);

        /** Whether the base holds trained weights (not a preset): only then is a head-only baseline worth training. */
        boolean pretrained();

        /**
         * The "base model with a trained head" baseline: {@link #classifier} with the trunk frozen, only the head
         * trains.
         */
        default ClassifierModel probe(int classes, Finetune.Pooling pooling, NDManager manager) {
            ClassifierModel probe = classifier(classes, pooling, manager);
            Freezing.headOnly(probe);
            return probe;
        }
    }

    private record FromCheckpoint(Checkpoint checkpoint, long seed) implements Base {
        @Override
        public LanguageModel languageModel(NDManager manager) {
            LanguageModel model = checkpoint.loadLanguageModel(manager);
            Lora.merge(model);
            Freezing.apply(model, name -> true);
            return model;
        }

        @Override
        public ClassifierModel classifier(int classes, Finetune.Pooling pooling, NDManager manager) {
            ClassifierModel model = checkpoint.loadClassifierBase(classes, pooling, seed, manager);
            Freezing.apply(model, name -> true);
            return model;
        }

        @Override
        public boolean pretrained() {
            return true;
        }
    }

    private record FromHuggingFace(Path folder, long seed) implements Base {
        @Override
        public LanguageModel languageModel(NDManager manager) {
            return HfImporter.loadModel(folder, manager);
        }

        @Override
        public ClassifierModel classifier(int classes, Finetune.Pooling pooling, NDManager manager) {
            return HfImporter.loadClassifierBase(folder, classes, pooling, seed, manager);
        }

        @Override
        public boolean pretrained() {
            return true;
        }
    }

    private record Preset(Architecture architecture, long seed) implements Base {
        @Override
        public LanguageModel languageModel(NDManager manager) {
            return architecture.family().newLanguageModel(architecture, seed, manager);
        }

        @Override
        public ClassifierModel classifier(int classes, Finetune.Pooling pooling, NDManager manager) {
            return architecture.family().newClassifier(architecture, classes, pooling, seed, manager);
        }

        @Override
        public boolean pretrained() {
            return false;
        }
    }
}
