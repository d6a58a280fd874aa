package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values of the positions a {@link Generator} has already run, per layer (filled by the family's attention
 * in {@link LanguageModel#nextTokenLogits}), so each new token costs one position's work instead of the whole
 * window's. Arrays live on {@code manager} (the generation session); each extension frees the previous arrays, so a
 * long generation holds two per layer.
 *
 * <p>Valid only while positions do not move: learned absolute position embeddings mean that once the text is longer
 * than the context, the window slides, every position changes, and the cache has to be rebuilt ({@link #clear}).
 */
public final class KvCache {
    private final NDManager manager;
    private final List<Layer> layers = new ArrayList<>();
    private int length;

    public KvCache(NDManager manager, int layerCount) {
        this.manager = manager;
        for (int i = 0; i < layerCount; i++) {
            layers.add(new Layer());
        }
    }

    /** Positions cached so far (the position index of the next token). */
    public int length() {
        return length;
    }

    public Layer layer(int index) {
        return layers.get(index);
    }

    /** Called once per forward pass after every layer has appended {@code tokens} positions. */
    public void advance(int tokens) {
        length += tokens;
    }

    void clear() {
        layers.forEach(Layer::clear);
        length = 0;
    }

    /** One attention layer's keys and values, (B, H, t, headDim). */
    public final class Layer {
        private NDArray keys;
        private NDArray values;

        /** Appends the new positions' keys and values and returns all of them: {keys, values}. */
        public NDArray[] append(NDArray newKeys, NDArray newValues) {
            NDArray allKeys = keys == null ? newKeys.duplicate() : keys.concat(newKeys, 2);
            NDArray allValues = values == null ? newValues.duplicate() : values.concat(newValues, 2);
            allKeys.attach(manager);
            allValues.attach(manager);
            clear();
            keys = allKeys;
            values = allValues;
            return new NDArray[] {allKeys, allValues};
        }

        private void clear() {
            if (keys != null) {
                keys.close();
                values.close();
            }
            keys = null;
            values = null;
        }
    }
}
