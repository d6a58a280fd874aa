package dev.workbench.model;

import ai.djl.nn.Parameter;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which parameters train. Freezing sets {@code requiresGradient=false} on a parameter (and its array), so no gradient
 * is computed for it and {@code ParameterStore.updateAllParameters} skips it.
 *
 * <p>DJL trap: {@code Model.newTrainer} unfreezes every parameter of a model that was read with {@code Model.load}.
 * Workbench checkpoints are read through {@link dev.workbench.model.io.Checkpoint} (initializers, not
 * {@code Model.load}), so freezing survives {@code newTrainer}; all methods here are idempotent anyway, so the safe
 * order is: build/load the model, {@code model.newTrainer(...)}, then {@link #apply} (or {@link Lora#apply}) and check
 * {@link #trainable}.
 */
public final class Freezing {
    private Freezing() {
    }

    /** Makes exactly the parameters whose name matches {@code trainable} trainable and freezes all others. */
    public static void apply(NamedParameters model, Predicate<String> trainable) {
        model.namedParameters().forEach((name, parameter) -> parameter.freeze(!trainable.test(name)));
    }

    /**
     * Fine-tuning method FREEZE: the embeddings (with a tied output projection, that projection too) and/or the first
     * {@code layers} layers stay fixed, everything else trains.
     */
    public static void apply(TunableModel model, Finetune.Freeze freeze) {
        int layers = model.architecture().layers();
        if (freeze.layers() < 0 || freeze.layers() > layers) {
            throw WorkbenchException.invalid("finetune.freeze.layers is " + freeze.layers() + " but the model has "
                    + layers + " layers");
        }
        apply(model, name -> !isFrozenBy(model.group(name), freeze));
    }

    static boolean isFrozenBy(ParameterGroup group, Finetune.Freeze freeze) {
        return switch (group.part()) {
            case EMBEDDINGS -> freeze.embeddings();
            case LAYER -> group.layer() < freeze.layers();
            case FINAL, OUTPUT, HEAD -> false;
        };
    }

    /** The head-only baseline: the trunk frozen, only the head (of a {@link ClassifierModel}) trains. */
    public static void headOnly(TunableModel model) {
        apply(model, name -> model.group(name).part() == ParameterGroup.Part.HEAD);
    }

    /** Names of the parameters that currently train. */
    public static List<String> trainable(NamedParameters model) {
        return model.namedParameters().entrySet().stream().filter(e -> e.getValue().requiresGradient())
                .map(Map.Entry::getKey).toList();
    }

    /** Number of trainable values (for the report: "192 / 720 parameters trainable"). */
    public static long trainableCount(NamedParameters model) {
        return model.namedParameters().values().stream().filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getShape().size()).sum();
    }

    public static long totalCount(NamedParameters model) {
        return model.namedParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    }
}
