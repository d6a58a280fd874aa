package dev.workbench.model;

import ai.djl.nn.Block;
import ai.djl.nn.BlockList;

import java.util.List;

/**
 * A block whose linear projections can be swapped for wrappers (LoRA adapters) and back (merging). DJL keeps child
 * blocks in a list the parent owns, so the parent does the swap.
 */
public interface Projections {

    /** Projection names this block has, e.g. q, k, v, o. */
    List<String> projectionNames();

    /** The current block for {@code name}: a DJL Linear, or a {@link LoraLinear} wrapping one. */
    Block projection(String name);

    /** Puts {@code replacement} where projection {@code name} was, keeping DJL's child order and key. */
    void replaceProjection(String name, Block replacement);

    /** Swaps {@code old} for {@code replacement} in DJL's child list (same key, same position). */
    static void swapChild(BlockList children, Block old, Block replacement) {
        for (int i = 0; i < children.size(); i++) {
            if (children.valueAt(i) == old) {
                String key = children.keyAt(i);
                children.remove(i);
                children.add(i, key, replacement);
                return;
            }
        }
        throw new IllegalStateException("block is not a child: " + old);
    }
}
