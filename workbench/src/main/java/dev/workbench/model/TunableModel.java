package dev.workbench.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

import java.util.function.BiFunction;

/**
 * What the finetune stage trains, whatever the family: a DJL block with stable parameter names, built on a family's
 * {@link Trunk}, with an output on top (a tied language-model head or a classifier head). LoRA ({@link Lora}) and
 * freezing ({@link Freezing}) work through {@link #trunk()} and {@link #group}, checkpoints through
 * {@link #namedParameters()} and {@link #initializeParameters}.
 */
public interface TunableModel extends Block, NamedParameters {

    Trunk trunk();

    default Architecture architecture() {
        return trunk().architecture();
    }

    /**
     * The group of a parameter by its full name: the trunk's own for {@code transformer.*}, else the head. A language
     * model with an output projection of its own (not tied to the embeddings) overrides this to call it
     * {@link ParameterGroup.Part#OUTPUT}.
     */
    default ParameterGroup group(String name) {
        String trunk = Trunk.NAME + ".";
        return name.startsWith(trunk) ? trunk().group(name.substring(trunk.length())) : ParameterGroup.HEAD;
    }

    /**
     * Gives each parameter not yet initialised its initial values ({@code initializers} maps a full parameter name to
     * them: a family's fresh scheme, or stored tensors) and creates the arrays on {@code manager}. Values come through
     * initializers, not {@code Model.load}, so {@code Model.newTrainer} does not unfreeze them (see {@link Freezing}).
     */
    void initializeParameters(NDManager manager, BiFunction<String, Parameter, Initializer> initializers);
}
