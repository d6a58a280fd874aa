package dev.workbench.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;

import java.util.Map;

/** Helpers that build dotted parameter names from a block tree. */
final class Names {
    private Names() {
    }

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
