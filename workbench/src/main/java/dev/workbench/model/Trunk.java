package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A family's shared body: embeddings, the transformer layers and whatever follows them, without an output head. A
 * {@link LanguageModel} and a {@link ClassifierModel} of the same family hold the same trunk under the same name
 * ({@value #NAME}), which is what lets a language-model checkpoint become a classifier's base.
 *
 * <p>Forward ({@link Block#forward}): token ids (B, T) and optionally a padding mask (B, T) (1 = token, 0 = padding)
 * to hidden states (B, T, {@link Architecture#embeddingDim}); or, for packed rows, ids, segment ids and position ids,
 * each (B, T) ({@link AttentionBias#packed}; BERT's trunk, classifier-only, does not take them).
 */
public interface Trunk extends Block, NamedParameters {
    /** The name every model gives its trunk: its parameters are {@code transformer.<trunk name>}. */
    String NAME = "transformer";

    Architecture architecture();

    /** The group of a trunk parameter, by its name relative to the trunk ({@code blocks.0.ln1.weight}). */
    ParameterGroup group(String name);

    /**
     * The projection of {@code role} ({@link Architecture#projectionRoles}) in layer {@code layer}: the block that owns
     * it (where LoRA swaps in an adapter) and its name relative to the trunk ({@code blocks.0.attention.q}).
     */
    Projection projection(int layer, String role);

    /**
     * What {@link dev.workbench.recipe.Finetune.Pooling#CLS} pooling makes of the first position's hidden state
     * (B, D): unchanged, or the family's pretrained pooler (BERT: dense + tanh) when the trunk has one.
     */
    default NDArray poolFirst(ParameterStore store, NDArray first, boolean training) {
        return first;
    }

    /** A projection LoRA can wrap: its owner and its parameter-name prefix relative to the trunk. */
    record Projection(Projections owner, String path) {
        /**
         * The projection {@code role} of layer {@code layer} (named {@code layers + layer}), found in its attention's
         * or its MLP's projections; the families' layers all have these two parts.
         *
         * @param what the layer in errors ("a GPT block")
         */
        public static Projection inLayer(String layers, int layer, Projections attention, Projections mlp,
                                         String role, String what, java.util.List<String> roles) {
            boolean inAttention = attention.names().contains(role);
            if (!inAttention && !mlp.names().contains(role)) {
                throw new IllegalArgumentException(what + " has no projection '" + role + "' (has " + roles + ")");
            }
            return new Projection(inAttention ? attention : mlp,
                    layers + layer + "." + (inAttention ? "attention." : "mlp.") + role);
        }
    }

    /**
     * The layer group of a parameter named {@code layers + N + ".rest"} ({@code blocks.3.ln1.weight}: layer 3), empty
     * for a name outside the layers.
     */
    static java.util.Optional<ParameterGroup> layerGroup(String name, String layers) {
        if (!name.startsWith(layers)) {
            return java.util.Optional.empty();
        }
        int dot = name.indexOf('.', layers.length());
        return java.util.Optional.of(ParameterGroup.layer(Integer.parseInt(name.substring(layers.length(), dot))));
    }
}
