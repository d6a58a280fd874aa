package dev.workbench.eval;

import dev.workbench.recipe.Corpus;
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
        double augmentRatio) {

    public static EvaluationSettings from(Recipe recipe) {
        Optional<Corpus.TableSource> table = recipe.corpus().table();
        Optional<Synthesize> synth = recipe.synthesize();
        Optional<String> augmentWith = synth.filter(Synthesize::augment)
                .flatMap(s -> s.methods().stream().findFirst());
        return new EvaluationSettings(recipe.seed(), recipe.domain(), recipe.evaluate().languageModel(),
                recipe.evaluate().classifier(), recipe.evaluate().synthetic(), recipe.evaluate().bootstrapSamples(),
                recipe.evaluate().confidence(), recipe.evaluate().baselines(),
                table.flatMap(Corpus.TableSource::target), table.map(Corpus.TableSource::columnTypes).orElse(Map.of()),
                augmentWith, synth.map(Synthesize::augmentRatio).orElse(1.0));
    }

    public String dataset(String corpus) {
        return domain + "/" + corpus;
    }
}
