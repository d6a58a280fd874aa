package dev.workbench.eval;

import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Evaluate;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Synthesize;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What evaluation needs from a recipe, flattened so tests and commands can build it without a whole recipe.
 *
 * @param domain dataset names are {@code <domain>/text}, {@code <domain>/labelled}, {@code <domain>/table}
 * @param augmentWith the synthesizer whose rows are added to the real training split ({@code synthesize.augment});
 *                    empty when augmentation is off
 * @param outOfScopeLabels {@code evaluate.out_of_scope_label}: when one occurs in the labelled data, every classifier
 *                         also gets {@link OutOfScopeMetrics}
 */
public record EvaluationSettings(
        long seed,
        String domain,
        boolean languageModel,
        boolean classifier,
        boolean synthetic,
        int bootstrapSamples,
        double confidence,
        List<String> baselines,
        Optional<String> target,
        Map<String, String> columnTypes,
        Optional<String> augmentWith,
        double augmentRatio,
        List<String> outOfScopeLabels) {

    /** Settings with the default out-of-scope label ({@code oos}), for callers that have no recipe. */
    public EvaluationSettings(long seed, String domain, boolean languageModel, boolean classifier, boolean synthetic,
                              int bootstrapSamples, double confidence, List<String> baselines, Optional<String> target,
                              Map<String, String> columnTypes, Optional<String> augmentWith, double augmentRatio) {
        this(seed, domain, languageModel, classifier, synthetic, bootstrapSamples, confidence, baselines, target,
                columnTypes, augmentWith, augmentRatio, Evaluate.DEFAULT_OUT_OF_SCOPE_LABELS);
    }

    public static EvaluationSettings from(Recipe recipe) {
        Optional<Corpus.TableSource> table = recipe.corpus().table();
        Optional<Synthesize> synth = recipe.synthesize();
        Optional<String> augmentWith = synth.filter(Synthesize::augment)
                .flatMap(s -> s.methods().stream().findFirst());
        return new EvaluationSettings(recipe.seed(), recipe.domain(), recipe.evaluate().languageModel(),
                recipe.evaluate().classifier(), recipe.evaluate().synthetic(), recipe.evaluate().bootstrapSamples(),
                recipe.evaluate().confidence(), recipe.evaluate().baselines(),
                table.flatMap(Corpus.TableSource::target), table.map(Corpus.TableSource::columnTypes).orElse(Map.of()),
                augmentWith, synth.map(Synthesize::augmentRatio).orElse(1.0), recipe.evaluate().outOfScopeLabels());
    }

    public String dataset(String corpus) {
        return domain + "/" + corpus;
    }
}
