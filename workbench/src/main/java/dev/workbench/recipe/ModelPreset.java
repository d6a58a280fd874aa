package dev.workbench.recipe;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Named model sizes for {@code base_model.preset}. Explicit architecture fields in the recipe override these.
 * Sizes follow nanoGPT's small character-level configurations, scaled to fit a 2-core CPU.
 */
public enum ModelPreset {
    NANO(2, 4, 128, 128),
    MICRO(4, 4, 192, 256),
    SMALL(6, 6, 384, 256);

    private final int layers;
    private final int heads;
    private final int embeddingDim;
    private final int contextLength;

    ModelPreset(int layers, int heads, int embeddingDim, int contextLength) {
        this.layers = layers;
        this.heads = heads;
        this.embeddingDim = embeddingDim;
        this.contextLength = contextLength;
    }

    public int layers() {
        return layers;
    }

    public int heads() {
        return heads;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    public int contextLength() {
        return contextLength;
    }

    /** The name used in recipes: {@code nano}, {@code micro}, {@code small}. */
    public String recipeName() {
        return RecipeFields.valueName(this);
    }

    public static Optional<ModelPreset> find(String recipeName) {
        return Arrays.stream(values()).filter(p -> p.recipeName().equals(recipeName)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ModelPreset::recipeName).toList();
    }
}
