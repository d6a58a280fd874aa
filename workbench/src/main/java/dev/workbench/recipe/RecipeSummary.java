package dev.workbench.recipe;

import java.util.ArrayList;
import java.util.List;

import static dev.workbench.recipe.RecipeFields.valueName;

/** A few lines saying what a valid recipe will do; printed by {@code workbench validate}. */
public final class RecipeSummary {
    private RecipeSummary() {
    }

    public static List<String> lines(Recipe recipe) {
        List<String> lines = new ArrayList<>();
        lines.add(recipe.name() + " (" + recipe.domain() + ", seed " + recipe.seed() + ")");
        BaseModel base = recipe.baseModel();
        String baseText = base.preset().map(p -> "preset " + p + " (" + base.layers() + " layers, " + base.heads()
                        + " heads, dim " + base.embeddingDim() + ", context " + base.contextLength() + ", tokenizer "
                        + valueName(base.tokenizer().kind()) + ")")
                .or(() -> base.checkpoint().map(c -> "checkpoint " + c))
                .orElseGet(() -> "hf " + base.hf().map(Object::toString).orElse("?"));
        if (recipe.finetune().isPresent()) {
            lines.add("  base model: " + baseText);
        }
        List<String> corpora = new ArrayList<>();
        recipe.corpus().text().ifPresent(t -> corpora.add("text " + (t.paths().size() == 1 ? t.paths().get(0)
                : t.paths())));
        recipe.corpus().labelled().ifPresent(l -> corpora.add("labelled " + l.path()));
        recipe.corpus().table().ifPresent(t -> corpora.add("table " + t.path()));
        lines.add("  corpus: " + String.join(", ", corpora));
        recipe.finetune().ifPresent(f -> {
            Training t = recipe.training();
            String length = t.maxSteps().map(s -> s + " steps").orElseGet(() -> t.epochs().orElse(1) + " epochs");
            lines.add("  finetune: " + String.join(", ", f.tasks().stream().map(RecipeFields::valueName).toList())
                    + ", method " + valueName(f.method()) + "; " + length + ", batch " + t.batchSize() + " x "
                    + t.gradientAccumulationSteps() + ", lr " + t.learningRate() + " " + valueName(t.lrSchedule())
                    + ", devices " + String.join(",", t.devices()) + ", " + valueName(t.precision()));
        });
        recipe.synthesize().ifPresent(s -> lines.add("  synthesize: " + String.join(", ", s.methods())
                + (s.augment() ? "; augment x" + s.augmentRatio() : "")));
        lines.add("  report: " + String.join(", ", recipe.report().formats()));
        return lines;
    }
}
