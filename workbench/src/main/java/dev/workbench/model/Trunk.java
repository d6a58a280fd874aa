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
 * to hidden states (B, T, {@link Architecture#embeddingDim}).
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
    }
}
