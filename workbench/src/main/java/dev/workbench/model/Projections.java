package dev.workbench.model;

import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named linear projections of one block (attention q, k, v, o; MLP up, down), which LoRA swaps for adapters and
 * merging swaps back ({@link Trunk#projection} says which block holds a role). DJL keeps child blocks in a list the
 * parent owns, so this holds the parent's list and swaps there too, keeping each child's key and position.
 */
public final class Projections {
    private final String owner;
    private final BlockList children;
    private final Map<String, Block> byName = new LinkedHashMap<>();

    /**
     * @param owner names the block in errors ({@code attention})
     * @param children the owning block's child list ({@code AbstractBlock.children})
     */
    public Projections(String owner, BlockList children) {
        this.owner = owner;
        this.children = children;
    }

    /** Records {@code block}, already added to the owner as its child {@code name}, and returns it. */
    public Block add(String name, Block block) {
        byName.put(name, block);
        return block;
    }

    /** The projection names, in the order they were added. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The current block for {@code name}: a DJL Linear, or a {@link LoraLinear} wrapping one. */
    public Block get(String name) {
        Block block = byName.get(name);
        if (block == null) {
            throw new IllegalArgumentException(owner + " has no projection '" + name + "' (has " + names() + ")");
        }
        return block;
    }

    /** Puts {@code replacement} where projection {@code name} was, keeping DJL's child order and key. */
    public void replace(String name, Block replacement) {
        Block old = get(name);
        for (int i = 0; i < children.size(); i++) {
            if (children.valueAt(i) == old) {
                String key = children.keyAt(i);
                children.remove(i);
                children.add(i, key, replacement);
                byName.put(name, replacement);
                return;
            }
        }
        throw new IllegalStateException("block is not a child: " + old);
    }

    /** Every projection's parameters under {@code name.}, in order: the owner's {@code namedParameters()}. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        byName.forEach((name, block) -> NamedParameters.addAll(named, name, block));
        return named;
    }
}
