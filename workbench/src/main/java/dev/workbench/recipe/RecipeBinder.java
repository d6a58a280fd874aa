package dev.workbench.recipe;

import dev.workbench.recipe.NodeReader.Section;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.workbench.recipe.Problem.quote;

/**
 * The one place where the YAML node tree becomes records: applies the {@code --set} overrides ({@link Overrides}),
 * binds the top-level keys, and hands each section to its binder ({@code BaseModelBinder}, {@code CorpusBinder}, ...),
 * all reading through one {@link NodeReader}. Every check adds to its problem list instead of throwing, so one pass
 * reports everything; bad values fall back to their defaults so that binding can go on.
 */
final class RecipeBinder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private RecipeBinder() {
    }

    /**
     * @param file the recipe file as the user named it, for messages
     * @param recipeFile the same, absolute: relative paths in it start at its folder
     * @param tree the file's node tree (null for an empty file)
     * @param setOverrides {@code KEY=VALUE} overrides, in the order given
     * @throws RecipeException with every problem found
     */
    static ResolvedRecipe bind(String file, Path recipeFile, Node tree, List<String> setOverrides) {
        Overrides overrides = new Overrides(file, setOverrides);
        Node rootNode = overrides.applyTo(tree);
        NodeReader read = new NodeReader(file, recipeFile.getParent(), overrides);
        if (!(rootNode instanceof MappingNode rootMap)) {
            read.problem(rootNode, "", rootNode == null ? "the recipe is empty"
                    : "a recipe must be a mapping of keys, got " + NodeReader.describe(rootNode), Optional.empty());
            throw read.failure();
        }
        Section root = read.root(rootMap);

        String name = read.requiredString(root, "name", "recipe");
        if (root.has("name") && !NAME.matcher(name).matches()) {
            read.problem(root.value("name"), "name", "must be 1-64 letters, digits, '.', '_' or '-' and start with a"
                    + " letter or digit (it names the run folder), got " + quote(name), Optional.empty());
        }
        String description = read.string(root, "description", "");
        long seed = read.longValue(root, "seed", 42, 0, Long.MAX_VALUE);
        String domain = read.string(root, "domain", "general");
        if (root.has("domain") && !NAME.matcher(domain).matches()) {
            read.problem(root.value("domain"), "domain", "must be 1-64 letters, digits, '.', '_' or '-' and start"
                    + " with a letter or digit, got " + quote(domain), Optional.empty());
        }

        Section corpusSection = read.section(root, "corpus");
        if (!corpusSection.present) {
            read.missing(root, "corpus");
        }
        Corpus corpus = CorpusBinder.bind(read, corpusSection);
        Section finetuneSection = read.section(root, "finetune");
        Section synthSection = read.section(root, "synthesize");
        if (!finetuneSection.present && !synthSection.present) {
            read.problem(root.anchor(), "", "no stage to run: add a finetune or a synthesize section",
                    Optional.empty());
        }
        BaseModel baseModel = BaseModelBinder.bind(read, read.section(root, "base_model"), root,
                finetuneSection.present);
        Split split = SplitBinder.bind(read, read.section(root, "split"));
        Training training = TrainingBinder.bind(read, read.section(root, "training"));
        Optional<Finetune> finetune = finetuneSection.valid()
                ? Optional.of(FinetuneBinder.bind(read, finetuneSection, corpus, baseModel)) : Optional.empty();
        Optional<Synthesize> synthesize = synthSection.valid()
                ? Optional.of(SynthesizeBinder.bind(read, synthSection, corpus)) : Optional.empty();
        Evaluate evaluate = EvaluateBinder.bind(read, read.section(root, "evaluate"), corpus);
        Report report = ReportBinder.bind(read, read.section(root, "report"), name);

        if (read.hasProblems()) {
            throw read.failure();
        }
        Recipe recipe = new Recipe(name, description, seed, domain, baseModel, corpus, split, training, finetune,
                synthesize, evaluate, report, recipeFile);
        return new ResolvedRecipe(recipe, read.sources(), read.locations());
    }
}
