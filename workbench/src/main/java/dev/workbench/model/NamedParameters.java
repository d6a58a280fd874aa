package dev.workbench.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;

import java.util.Map;

/**
 * A block whose parameters have stable, dotted names ({@code transformer.blocks.0.attention.q.weight}). These names, not
 * DJL's generated ones ({@code 01transformer_02blocks.0_...}), key the tensors in {@code model.safetensors}, the
 * optimizer state and every freezing rule, so they must not change between versions.
 */
public interface NamedParameters {

    /** Every parameter once, in a fixed order (tied weights appear under their single owner's name). */
    Map<String, Parameter> namedParameters();

    /** Adds {@code child}'s parameters under {@code prefix.}; a DJL {@link Linear} contributes weight and bias. */
    static void addAll(Map<String, Parameter> into, String prefix, Block child) {
        if (child instanceof NamedParameters named) {
            named.namedParameters().forEach((name, parameter) -> into.put(prefix + "." + name, parameter));
        } else if (child instanceof Linear linear) {
            linear.getDirectParameters().forEach(p -> into.put(prefix + "." + p.getKey(), p.getValue()));
        } else {
            throw new IllegalArgumentException("no parameter names for " + child.getClass().getName());
        }
    }
}
