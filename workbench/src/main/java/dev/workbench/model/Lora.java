package dev.workbench.model;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Adds LoRA adapters to the projections of every transformer block, freezes everything else, and folds adapters back
 * into plain weights.
 *
 * <p>Initialisation follows PEFT: A ~ kaiming-uniform (PyTorch's {@code kaiming_uniform_(a=sqrt(5))}, i.e.
 * U(-1/sqrt(in), 1/sqrt(in))), seeded per parameter name; B = 0. Adapter parameters are named
 * {@code <projection>.lora_a} / {@code .lora_b}, e.g. {@code transformer.blocks.0.attention.q.lora_a}.
 *
 * <p>Freezing: {@link #apply} leaves only adapter parameters trainable (plus the classifier head for a
 * {@link ClassifierModel}). See {@link Freezing} for the {@code newTrainer} trap; {@link #freezeAllButAdapters} can be
 * called again after {@code newTrainer} at no cost.
 */
public final class Lora {
    /** Projections an adapter can target: attention q, k, v, o and mlp up, down. */
    public static final Set<String> TARGETS = Set.of("q", "k", "v", "o", "up", "down");
    static final String A = "lora_a";
    static final String B = "lora_b";

    private Lora() {
    }

    /** Adds adapters to {@code model} and freezes all other parameters; returns the adapter parameter names. */
    public static List<String> apply(GptModel model, int rank, double alpha, double dropout, List<String> targets,
                                     long seed) {
        return apply(model, new Finetune.Lora(rank, alpha, dropout, targets), seed);
    }

    public static List<String> apply(GptModel model, Finetune.Lora spec, long seed) {
        List<String> names = addAdapters(model.transformer(), spec, seededInit(seed));
        freezeAllButAdapters(model);
        return names;
    }

    /** The classifier variant: adapters in the trunk; the freshly initialised head stays trainable too. */
    public static List<String> apply(ClassifierModel model, Finetune.Lora spec, long seed) {
        List<String> names = addAdapters(model.transformer(), spec, seededInit(seed));
        freezeAllButAdapters(model);
        return names;
    }

    /** Only adapter parameters (and a classifier's {@code head.*}) train. Idempotent. */
    public static void freezeAllButAdapters(NamedParameters model) {
        Freezing.apply(model, name -> isAdapter(name) || name.startsWith("head."));
    }

    public static boolean isAdapter(String name) {
        return name.endsWith("." + A) || name.endsWith("." + B);
    }

    /** True when any projection of {@code model} is wrapped by an adapter. */
    public static boolean hasAdapters(NamedParameters model) {
        return model.namedParameters().keySet().stream().anyMatch(Lora::isAdapter);
    }

    /**
     * Folds every adapter into its base weight ({@code W += alpha/rank * B A}) and removes the adapters, leaving a
     * plain model with the same outputs. Returns the number of projections merged.
     */
    public static int merge(GptModel model) {
        return merge(model.transformer());
    }

    public static int merge(ClassifierModel model) {
        return merge(model.transformer());
    }

    static int merge(Transformer transformer) {
        int merged = 0;
        for (TransformerBlock block : transformer.blocks()) {
            for (Projections owner : List.<Projections>of(block.attention(), block.mlp())) {
                for (String name : owner.projectionNames()) {
                    if (owner.projection(name) instanceof LoraLinear lora) {
                        owner.replaceProjection(name, lora.mergeIntoBase());
                        merged++;
                    }
                }
            }
        }
        return merged;
    }

    static void validate(Finetune.Lora spec) {
        if (spec.rank() <= 0) {
            throw WorkbenchException.invalid("finetune.lora.rank must be positive, got " + spec.rank());
        }
        if (!(spec.alpha() > 0)) {
            throw WorkbenchException.invalid("finetune.lora.alpha must be positive, got " + spec.alpha());
        }
        if (spec.dropout() < 0 || spec.dropout() >= 1) {
            throw WorkbenchException.invalid("finetune.lora.dropout must be in [0, 1), got " + spec.dropout());
        }
        if (spec.targets().isEmpty()) {
            throw WorkbenchException.invalid("finetune.lora.targets is empty; choose among " + sortedTargets());
        }
        for (String target : spec.targets()) {
            if (!TARGETS.contains(target)) {
                throw WorkbenchException.invalid("finetune.lora.targets: unknown projection '" + target
                        + "'; choose among " + sortedTargets());
            }
        }
    }

    private static List<String> sortedTargets() {
        return List.of("q", "k", "v", "o", "up", "down");
    }

    /** Initial adapter values: seeded kaiming-uniform A, zero B. */
    private static Function<String, Initializer> seededInit(long seed) {
        return name -> {
            if (name.endsWith("." + B)) {
                return Init.constant(0f);
            }
            return (manager, shape, dataType) ->
                    Init.uniform(seed, name, 1.0 / Math.sqrt(shape.get(1))).initialize(manager, shape, dataType);
        };
    }

    /**
     * Wraps the targeted projections of every block; {@code initializers} maps a full adapter parameter name to its
     * initial values (seeded for a new adapter, the stored tensor when loading a checkpoint).
     */
    static List<String> addAdapters(Transformer transformer, Finetune.Lora spec,
                                    Function<String, Initializer> initializers) {
        validate(spec);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < transformer.blocks().size(); i++) {
            TransformerBlock block = transformer.blocks().get(i);
            for (String target : spec.targets()) {
                boolean attention = Set.of("q", "k", "v", "o").contains(target);
                Projections owner = attention ? block.attention() : block.mlp();
                String prefix = GptModel.TRUNK + ".blocks." + i + "." + (attention ? "attention." : "mlp.") + target;
                Block current = owner.projection(target);
                if (!(current instanceof Linear linear)) {
                    throw new IllegalStateException(prefix + " already has an adapter");
                }
                LoraLinear lora = new LoraLinear(linear, spec.rank(), spec.alpha(), spec.dropout());
                lora.initializeAdapter(initializers.apply(prefix + "." + A), initializers.apply(prefix + "." + B));
                owner.replaceProjection(target, lora);
                names.add(prefix + "." + A);
                names.add(prefix + "." + B);
            }
        }
        return names;
    }
}
