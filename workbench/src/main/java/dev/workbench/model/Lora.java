package dev.workbench.model;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Adds LoRA adapters to the projections of every layer of a model's trunk, freezes everything else, and folds adapters
 * back into plain weights. Works on any family: the trunk says where each projection role lives
 * ({@link Trunk#projection}), the architecture which roles there are ({@link Architecture#projectionRoles}).
 *
 * <p>Initialisation follows PEFT: A ~ kaiming-uniform (PyTorch's {@code kaiming_uniform_(a=sqrt(5))}, i.e.
 * U(-1/sqrt(in), 1/sqrt(in))), seeded per parameter name; B = 0. Adapter parameters are named
 * {@code <projection>.lora_a} / {@code .lora_b}, e.g. {@code transformer.blocks.0.attention.q.lora_a}.
 *
 * <p>Freezing: {@link #apply} leaves only adapter parameters trainable (plus a {@link ClassifierModel}'s head). See
 * {@link Freezing} for the {@code newTrainer} trap; {@link #freezeAllButAdapters} can be called again after
 * {@code newTrainer} at no cost.
 */
public final class Lora {
    static final String A = "lora_a";
    static final String B = "lora_b";

    private Lora() {
    }

    /** Adds adapters to {@code model} and freezes all other parameters; returns the adapter parameter names. */
    public static List<String> apply(TunableModel model, int rank, double alpha, double dropout, List<String> targets,
                                     long seed) {
        return apply(model, new Finetune.Lora(rank, alpha, dropout, targets), seed);
    }

    /** Adapters in the trunk; a classifier's freshly initialised head stays trainable too. */
    public static List<String> apply(TunableModel model, Finetune.Lora spec, long seed) {
        List<String> names = addAdapters(model, spec, seededInit(seed));
        freezeAllButAdapters(model);
        return names;
    }

    /** Only adapter parameters (and a classifier's head) train. Idempotent. */
    public static void freezeAllButAdapters(TunableModel model) {
        Freezing.apply(model, name -> isAdapter(name) || model.group(name).part() == ParameterGroup.Part.HEAD);
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
    public static int merge(TunableModel model) {
        int merged = 0;
        for (int i = 0; i < model.architecture().layers(); i++) {
            for (String role : model.architecture().projectionRoles()) {
                Projections owner = model.trunk().projection(i, role).owner();
                if (owner.get(role) instanceof LoraLinear lora) {
                    owner.replace(role, lora.mergeIntoBase());
                    merged++;
                }
            }
        }
        return merged;
    }

    static void validate(Finetune.Lora spec, Architecture architecture) {
        if (spec.rank() <= 0) {
            throw WorkbenchException.invalid("finetune.lora.rank must be positive, got " + spec.rank());
        }
        if (!(spec.alpha() > 0)) {
            throw WorkbenchException.invalid("finetune.lora.alpha must be positive, got " + spec.alpha());
        }
        if (spec.dropout() < 0 || spec.dropout() >= 1) {
            throw WorkbenchException.invalid("finetune.lora.dropout must be in [0, 1), got " + spec.dropout());
        }
        List<String> roles = architecture.projectionRoles();
        if (spec.targets().isEmpty()) {
            throw WorkbenchException.invalid("finetune.lora.targets is empty; choose among " + roles);
        }
        for (String target : spec.targets()) {
            if (!roles.contains(target)) {
                throw WorkbenchException.invalid("finetune.lora.targets: unknown projection '" + target
                        + "'; choose among " + roles);
            }
        }
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
     * Wraps the targeted projections of every layer; {@code initializers} maps a full adapter parameter name to its
     * initial values (seeded for a new adapter, the stored tensor when loading a checkpoint). Returns the adapter
     * parameter names.
     */
    public static List<String> addAdapters(TunableModel model, Finetune.Lora spec,
                                           Function<String, Initializer> initializers) {
        validate(spec, model.architecture());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < model.architecture().layers(); i++) {
            for (String target : spec.targets()) {
                Trunk.Projection site = model.trunk().projection(i, target);
                String prefix = Trunk.NAME + "." + site.path();
                Block current = site.owner().get(target);
                if (!(current instanceof Linear linear)) {
                    throw new IllegalStateException(prefix + " already has an adapter");
                }
                LoraLinear lora = new LoraLinear(linear, spec.rank(), spec.alpha(), spec.dropout());
                lora.initializeAdapter(initializers.apply(prefix + "." + A), initializers.apply(prefix + "." + B));
                site.owner().replace(target, lora);
                names.add(prefix + "." + A);
                names.add(prefix + "." + B);
            }
        }
        return names;
    }
}
