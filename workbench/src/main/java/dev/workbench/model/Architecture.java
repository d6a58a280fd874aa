package dev.workbench.model;

import dev.workbench.recipe.Finetune;

import java.util.List;

/**
 * The shape of a model, whatever its family: what {@code workbench plan} prints, the manifest describes, the training
 * window is cut to, LoRA and freezing count. A family's own config record implements it (GPT:
 * {@code gpt.GptConfig}) and is what that family's {@code config.json} stores under {@code "model"}.
 */
public interface Architecture {

    /** The family that builds, loads and exports models of this architecture. */
    ModelFamily family();

    /** Size of the token id space (the tokenizer's, special tokens included). */
    int vocabSize();

    /** Longest input the model accepts (for learned positions: how many it has). */
    int contextLength();

    /** Number of transformer layers. */
    int layers();

    /** Attention heads per layer. */
    int heads();

    /** Width of the residual stream: what a classifier head pools over. */
    int embeddingDim();

    /** Dropout rate while training (the classifier head's input uses it too). */
    double dropout();

    /** Values of the language model (a tied output projection counted once). */
    long parameterCount();

    /** Values that freezing the embeddings fixes ({@code finetune.freeze.embeddings}). */
    long embeddingParameterCount();

    /** Values of one layer (what {@code finetune.freeze.layers} fixes per layer). */
    long layerParameterCount();

    /**
     * The projections of a layer that LoRA can wrap, by role, in layer order ({@code q, k, v, o, up, down}; a gated MLP
     * adds {@code gate}). {@code finetune.lora.targets} names these.
     */
    List<String> projectionRoles();

    /** Input width of the projection of {@code role} (an adapter's A is rank x this). */
    int projectionInputs(String role);

    /** Output width of the projection of {@code role} (an adapter's B is this x rank). */
    int projectionOutputs(String role);

    /**
     * The architecture of a classifier's trunk with {@code pooling} on this base: the same, unless the trunk has a
     * part that this pooling leaves unused, which is dropped so that no parameter counts as trainable without ever
     * getting a gradient (BERT's pooler serves {@link Finetune.Pooling#CLS} only).
     */
    default Architecture forClassifier(Finetune.Pooling pooling) {
        return this;
    }
}
