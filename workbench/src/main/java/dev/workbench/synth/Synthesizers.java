package dev.workbench.synth;

import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The synthesizers by recipe name: one explicit list, no reflection. */
public final class Synthesizers {
    public static final List<String> METHODS = List.of(CtganSynthesizer.NAME, IndependentSynthesizer.NAME,
            GaussianCopulaSynthesizer.NAME, TvaeSynthesizer.NAME);

    private Synthesizers() {
    }

    /** A fresh, unfitted synthesizer for a recipe method name. */
    public static Synthesizer create(String method, CtganConfig config) {
        return switch (method) {
            case CtganSynthesizer.NAME -> new CtganSynthesizer(config);
            case IndependentSynthesizer.NAME -> new IndependentSynthesizer(config.clipToRange());
            case GaussianCopulaSynthesizer.NAME -> new GaussianCopulaSynthesizer(config.clipToRange());
            case TvaeSynthesizer.NAME -> new TvaeSynthesizer(config);
            default -> throw WorkbenchException.invalid("synthesize.methods: unknown method '" + method
                    + "' (known: " + METHODS + ")");
        };
    }

    static Synthesizer load(GeneratorCheckpoint.Contents contents, Path folder) throws IOException {
        return switch (contents.method()) {
            case CtganSynthesizer.NAME -> CtganSynthesizer.fromCheckpoint(contents, folder);
            case IndependentSynthesizer.NAME -> IndependentSynthesizer.fromCheckpoint(contents.config());
            case GaussianCopulaSynthesizer.NAME -> GaussianCopulaSynthesizer.fromCheckpoint(contents.config());
            case TvaeSynthesizer.NAME -> TvaeSynthesizer.fromCheckpoint(contents, folder);
            default -> throw WorkbenchException.invalid(folder.resolve(GeneratorCheckpoint.CONFIG)
                    + ": unknown method '" + contents.method() + "' (known: " + METHODS + ")");
        };
    }
}
