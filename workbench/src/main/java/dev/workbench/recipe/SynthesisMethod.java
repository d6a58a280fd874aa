package dev.workbench.recipe;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The synthesizers a recipe can name in {@code synthesize.methods}: the one list of method names. The recipe checks
 * names against it; {@code synth.Synthesizers} maps every constant to its implementation (a switch the compiler
 * holds to all of them). A new method is a constant here, a class in {@code synth/} and one registry case.
 */
public enum SynthesisMethod {
    CTGAN("ctgan", true, true),
    INDEPENDENT("independent", true, false),
    GAUSSIAN_COPULA("gaussian-copula", true, false),
    /** Opt-in: slower than the baselines and, on small tables, no better than ctgan. */
    TVAE("tvae", false, true);

    private final String recipeName;
    private final boolean byDefault;
    private final boolean trainsInSteps;

    SynthesisMethod(String recipeName, boolean byDefault, boolean trainsInSteps) {
        this.recipeName = recipeName;
        this.byDefault = byDefault;
        this.trainsInSteps = trainsInSteps;
    }

    /** A neural method, trained for {@code synthesize.epochs}/{@code steps} optimizer steps (the baselines fit once). */
    public boolean trainsInSteps() {
        return trainsInSteps;
    }

    /** The name in recipes, file names ({@code synthetic/<name>.csv}) and metric rows. */
    public String recipeName() {
        return recipeName;
    }

    /** Every method name, in this order (the order of messages and of did-you-mean suggestions). */
    public static List<String> names() {
        return Arrays.stream(values()).map(SynthesisMethod::recipeName).toList();
    }

    /** synthesize.methods when the recipe names none. */
    public static List<String> defaultNames() {
        return Arrays.stream(values()).filter(m -> m.byDefault).map(SynthesisMethod::recipeName).toList();
    }

    public static Optional<SynthesisMethod> named(String name) {
        return Arrays.stream(values()).filter(m -> m.recipeName.equals(name)).findFirst();
    }
}
