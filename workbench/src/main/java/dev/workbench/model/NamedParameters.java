package dev.workbench.model;

import ai.djl.nn.Parameter;

import java.util.Map;

/**
 * A block whose parameters have stable, dotted names ({@code transformer.blocks.0.attention.q.weight}). These names, not
 * DJL's generated ones ({@code 01transformer_02blocks.0_...}), key the tensors in {@code model.safetensors}, the
 * optimizer state and every freezing rule, so they must not change between versions.
 */
public interface NamedParameters {

    /** Every parameter once, in a fixed order (tied weights appear under their single owner's name). */
    Map<String, Parameter> namedParameters();
}
