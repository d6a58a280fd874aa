package dev.workbench.synth;

import dev.workbench.recipe.SynthesisMethod;
import dev.workbench.recipe.Synthesize;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The synthesizers by recipe name: the one registry, no reflection. The names are {@link SynthesisMethod}'s; the
 * switch below must cover every one of them (the compiler checks it), so a new method is a class in this package and
 * one case here.
 */
public final class Synthesizers {

    /** How one method is made: fresh from the recipe's synthesize section, or rebuilt from a generator folder. */
    private record Factory(Function<Synthesize, Synthesizer> create, Loader load) {
    }

    @FunctionalInterface
    private interface Loader {
        Synthesizer load(GeneratorCheckpoint.Contents contents, Path folder) throws IOException;
    }

    private Synthesizers() {
    }

    private static Factory factory(SynthesisMethod method) {
        return switch (method) {
            case CTGAN -> new Factory(s -> new CtganSynthesizer(CtganConfig.from(s)),
                    CtganSynthesizer::fromCheckpoint);
            case INDEPENDENT -> new Factory(s -> new IndependentSynthesizer(BaselineConfig.from(s)),
                    (contents, folder) -> IndependentSynthesizer.fromCheckpoint(contents.config()));
            case GAUSSIAN_COPULA -> new Factory(
                    s -> new GaussianCopulaSynthesizer(BaselineConfig.from(s)),
                    (contents, folder) -> GaussianCopulaSynthesizer.fromCheckpoint(contents.config()));
            case TVAE -> new Factory(s -> new TvaeSynthesizer(TvaeConfig.from(s)), TvaeSynthesizer::fromCheckpoint);
        };
    }

    /** A fresh, unfitted synthesizer for a recipe method name, configured from the recipe's synthesize section. */
    public static Synthesizer create(String method, Synthesize section) {
        SynthesisMethod known = SynthesisMethod.named(method).orElseThrow(() -> WorkbenchException.invalid(
                "synthesize.methods: unknown method '" + method + "' (known: " + SynthesisMethod.names() + ")"));
        return factory(known).create().apply(section);
    }

    static Synthesizer load(GeneratorCheckpoint.Contents contents, Path folder) throws IOException {
        SynthesisMethod known = SynthesisMethod.named(contents.method()).orElseThrow(() -> WorkbenchException.invalid(
                folder.resolve(GeneratorCheckpoint.CONFIG) + ": unknown method '" + contents.method() + "' (known: "
                        + SynthesisMethod.names() + ")"));
        return factory(known).load().load(contents, folder);
    }
}
