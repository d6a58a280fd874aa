package dev.workbench.model;

/**
 * The part of a model a parameter belongs to, found from its stable name ({@link TunableModel#group}): what the
 * fine-tuning methods select by. Freezing fixes {@link Part#EMBEDDINGS} and the first {@link Part#LAYER}s, LoRA and
 * the head-only baseline keep {@link Part#HEAD} trainable, a classifier takes everything but the head from its base.
 *
 * @param layer the layer index for {@link Part#LAYER}, else -1
 */
public record ParameterGroup(Part part, int layer) {
    public static final ParameterGroup EMBEDDINGS = new ParameterGroup(Part.EMBEDDINGS, -1);
    public static final ParameterGroup FINAL = new ParameterGroup(Part.FINAL, -1);
    public static final ParameterGroup OUTPUT = new ParameterGroup(Part.OUTPUT, -1);
    public static final ParameterGroup HEAD = new ParameterGroup(Part.HEAD, -1);

    /** Where a parameter sits, from input to output. */
    public enum Part {
        /** token (and position) embeddings; with a tied output projection, that projection too */
        EMBEDDINGS,
        /** one transformer layer, adapters included */
        LAYER,
        /** after the last layer: a final norm */
        FINAL,
        /** a language model's own output projection, when it is not tied to the embeddings (Llama's lm_head) */
        OUTPUT,
        /** a task head that is not part of the family's trunk (a classifier's) */
        HEAD
    }

    public ParameterGroup {
        if ((part == Part.LAYER) != (layer >= 0)) {
            throw new IllegalArgumentException("a layer index belongs to LAYER only: " + part + " " + layer);
        }
    }

    public static ParameterGroup layer(int index) {
        return new ParameterGroup(Part.LAYER, index);
    }
}
