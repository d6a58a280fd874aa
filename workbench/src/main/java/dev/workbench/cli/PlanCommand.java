package dev.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.data.PreparedData;
import dev.workbench.plan.Preflight;
import dev.workbench.plan.RunPlan;
import dev.workbench.plan.RunPlanner;
import dev.workbench.plan.TaskPlan;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.ResolvedRecipe;
import dev.workbench.recipe.ResolvedRecipeWriter;
import dev.workbench.synth.SynthesizeStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code workbench plan}: the resolved recipe and what a run would do with it, before anything trains. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Show the resolved recipe (every default, and where each value came from) and what a run "
                + "will do, computed as the finetune stage computes it: per task the base model's real "
                + "architecture (layers, heads, context, dropout: a checkpoint's or hf model's own), the window "
                + "trained on, examples, steps and tokens per step; rows per split, classes, parameters, memory. "
                + "Checks the inputs as validate does. Trains nothing and writes nothing.")
final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECIPE", description = "the recipe YAML file")
    Path recipeFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a recipe value")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs",
            description = "runs folder, for a base model given as a run id (default: ${DEFAULT-VALUE})")
    Path runsRoot;

    @Option(names = "--json", description = "print the plan as JSON (recipe value sources and derived sizes)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ResolvedRecipe resolved = RecipeReader.resolve(recipeFile, overrides);
        Recipe recipe = resolved.recipe();
        Preflight.Checked checked = Preflight.check(resolved, runsRoot.toAbsolutePath(), false);
        PreparedData data = checked.data();
        int tableTrainRows = data.tableRows().map(s -> s.train().size()).orElse(0);
        List<String> synthesis = new ArrayList<>(recipe.synthesize()
                .map(s -> SynthesizeStage.planLines(s, tableTrainRows)).orElse(List.of()));
        recipe.synthesize().filter(s -> s.augment()).ifPresent(s -> synthesis.add(String.format(Locale.ROOT,
                "augment: %s rows at %.2f per real row join the downstream table model's training split only",
                s.methods().get(0), s.augmentRatio())));
        List<TaskPlan> tasks = new ArrayList<>();
        for (Finetune.Task task : recipe.finetune().map(Finetune::tasks).orElse(List.of())) {
            tasks.add(TaskPlanner.plan(recipe, data, task, checked.baseCheckpoint()));
        }
        RunPlan plan = RunPlanner.plan(recipe, data, tasks, synthesis);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("recipe", resolved.recipe().source().toString());
            document.put("sources", resolved.sources());
            document.put("plan", plan);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
        } else {
            out.print(ResolvedRecipeWriter.toYaml(resolved));
            out.println();
            out.print(render(plan));
        }
        out.flush();
        return 0;
    }

    static String render(RunPlan plan) {
        StringBuilder text = new StringBuilder("# plan (derived; nothing was trained)\n");
        plan.corpora().forEach((name, s) -> text.append(String.format(Locale.ROOT,
                "%-10s train %6d   validation %5d   test %5d%n", name, s.train(), s.validation(), s.test())));
        if (!plan.classes().isEmpty()) {
            text.append(String.format(Locale.ROOT, "classes    %d: %s%n", plan.classes().size(),
                    String.join(", ", plan.classes())));
        }
        for (TaskPlan.Figures task : plan.tasks()) {
            text.append(String.format(Locale.ROOT, "%-15s %s: %s, %d layers, %d heads, embedding %d, context %d of %d "
                            + "positions, vocabulary %,d, dropout %s%s%n", task.task(), task.base(), task.family(),
                    task.layers(), task.heads(), task.embeddingDim(), task.contextLength(), task.modelContextLength(),
                    task.vocabSize(), task.dropout(), task.pooling() == null ? "" : ", pooling " + task.pooling()));
            text.append(String.format(Locale.ROOT, "%-15s %,d examples/epoch, %,d steps/epoch, %,d steps, "
                            + "%,d tokens/step, %.1f%% of texts longer than the context%n", "",
                    task.examplesPerEpoch(), task.stepsPerEpoch(), task.totalSteps(), task.tokensPerStep(),
                    100 * task.longerThanContextShare()));
            if (task.chatTemplate() != null) {
                text.append(String.format(Locale.ROOT, "%-15s chat template %s; %,d conversations, %,d trained tokens/"
                                + "epoch, rows %.1f%% full (packing), %,d truncated (first tokens dropped)%n", "",
                        task.chatTemplate(), task.conversations(), task.trainedTokensPerEpoch(),
                        100 * task.packingEfficiency(), task.truncatedConversations()));
                text.append(String.format(Locale.ROOT, "%-15s workbench preview RECIPE [--index N] shows one example "
                        + "tokenized, trained tokens marked%n", ""));
            }
            text.append(String.format(Locale.ROOT, "%-15s warmup %,d steps; validation loss %s%n", "",
                    task.warmupSteps(), task.evaluation()));
        }
        if (!plan.tasks().isEmpty()) {
            text.append(String.format(Locale.ROOT, "parameters %,d (%,d trainable); effective batch %d; tensors "
                            + "about %.0f MiB (estimate, on top of the JVM and libtorch; the run logs the measured "
                            + "peak)%n", plan.parameters(),
                    plan.trainableParameters(), plan.effectiveBatchSize(), plan.memoryEstimateMib()));
        }
        plan.synthesis().forEach(line -> text.append("synthesis  ").append(line).append('\n'));
        plan.notes().forEach(line -> text.append("note       ").append(line).append('\n'));
        return text.toString();
    }
}
