package dev.workbench.recipe;

import dev.workbench.recipe.NodeReader.Section;

import java.util.List;
import java.util.Optional;

/** Binds {@code synthesize}: the methods, and the training and augmentation settings of the synthesizers. */
final class SynthesizeBinder {
    static final List<String> SYNTH_METHODS = SynthesisMethod.names();
    /** synthesize.methods when the recipe names none (tvae is opt-in). */
    static final List<String> SYNTH_DEFAULT_METHODS = SynthesisMethod.defaultNames();

    private SynthesizeBinder() {
    }

    static Synthesize bind(NodeReader read, Section s, Corpus corpus) {
        if (corpus.table().isEmpty()) {
            read.problem(s.anchor(), "synthesize", "needs corpus.table (the table to"
                    + " imitate)", Optional.empty());
        }
        List<String> methods = read.stringList(s, "methods", SYNTH_DEFAULT_METHODS, SYNTH_METHODS, true);
        Optional<Integer> rows = read.optionalInteger(s, "rows", 1, 100_000_000);
        int epochs = read.integer(s, "epochs", 300, 0, 1_000_000);
        int steps = read.integer(s, "steps", 0, 0, Integer.MAX_VALUE);
        // the neural synthesizers train max(epochs x steps per epoch, steps) steps: zero would leave them untrained
        for (SynthesisMethod method : SynthesisMethod.values()) {
            String neural = method.recipeName();
            if (method.trainsInSteps() && methods.contains(neural) && epochs == 0 && steps == 0) {
                read.problem(s.has("epochs") ? s.value("epochs") : s.value("steps"), "synthesize.epochs", neural
                        + " needs epochs or steps above 0", Optional.empty());
                break;
            }
        }
        int batchSize = read.integer(s, "batch_size", 500, 1, 1 << 20);
        int pac = read.integer(s, "pac", 10, 1, 1024);
        if (batchSize % pac != 0) {
            read.problem(s.has("batch_size") ? s.value("batch_size") : s.value("pac"), "synthesize.batch_size",
                    "must be a multiple of pac (" + pac + "), got " + batchSize,
                    Optional.of("the critic scores pac rows at a time"));
        }
        int noiseDim = read.integer(s, "noise_dim", 128, 1, 1 << 16);
        List<Integer> generatorDims = read.intList(s, "generator_dims", List.of(256, 256), 1, 1 << 16);
        List<Integer> criticDims = read.intList(s, "critic_dims", List.of(256, 256), 1, 1 << 16);
        double generatorLr = read.number(s, "generator_learning_rate", 2e-4, 0, false, 10, true);
        double criticLr = read.number(s, "critic_learning_rate", 2e-4, 0, false, 10, true);
        boolean logFrequency = read.bool(s, "log_frequency", true);
        boolean augment = read.bool(s, "augment", false);
        if (augment && corpus.table().isPresent() && corpus.table().get().target().isEmpty()) {
            read.problem(s.value("augment"), "synthesize.augment", "augment needs corpus.table.target (the column the"
                    + " downstream model predicts)", Optional.empty());
        }
        double augmentRatio = read.number(s, "augment_ratio", 1.0, 0, false, 100, true);
        boolean clip = read.bool(s, "clip_to_range", true);
        return new Synthesize(methods, rows, epochs, steps, batchSize, pac, noiseDim, generatorDims, criticDims,
                generatorLr, criticLr, logFrequency, augment, augmentRatio, clip);
    }
}
