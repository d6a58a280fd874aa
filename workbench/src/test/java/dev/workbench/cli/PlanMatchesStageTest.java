package dev.workbench.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.DataPreparer;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.PreparedData;
import dev.workbench.finetune.BaseModels;
import dev.workbench.finetune.ClassifierTask;
import dev.workbench.finetune.TokenWindows;
import dev.workbench.model.Architecture;
import dev.workbench.plan.TaskPlan;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.testing.FetchedInputs;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code workbench plan --json} prints for each task equals what the finetune stage builds from the same recipe:
 * the model it loads or creates (layers, heads, width, positions, vocabulary, dropout: for a checkpoint or hf base,
 * the base's own), the windows it cuts (their count and length), the rows a classifier trains on, and the steps. On
 * every shipped recipe, on one with {@code --set base_model.context_length=16}, and on a Hugging Face base.
 */
class PlanMatchesStageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> planPrintsWhatTheStageBuilds() throws IOException {
        Path recipes = Path.of(System.getProperty("workbench.repo.root", "..")).resolve("recipes");
        List<List<String>> cases = new ArrayList<>();
        try (Stream<Path> list = Files.list(recipes)) {
            list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> cases.add(List.of(p.toString())));
        }
        assertTrue(cases.size() >= 5, "quickstart, base and three domain recipes: " + cases);
        cases.add(List.of(recipes.resolve("medical.yaml").toString(), "--set", "base_model.context_length=16"));
        cases.add(List.of(recipes.resolve("quickstart.yaml").toString(), "--set", "base_model.context_length=16"));
        cases.add(List.of(hfRecipe().toString()));
        return cases.stream().map(args -> DynamicTest.dynamicTest(String.join(" ", args), () -> compare(args)));
    }

    private static void compare(List<String> args) throws Exception {
        FetchedInputs.assumePresent(Path.of(args.get(0)));
        List<String> command = new ArrayList<>(args);
        command.add("--json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new PlanCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new Failures());
        assertEquals(0, cli.execute(command.toArray(String[]::new)), err.toString());
        JsonNode printed = JSON.readTree(out.toString()).path("plan").path("tasks");

        List<String> overrides = args.size() > 2 ? List.of(args.get(2)) : List.of();
        Recipe recipe = RecipeReader.read(Path.of(args.get(0)), overrides);
        List<Finetune.Task> tasks = recipe.finetune().map(Finetune::tasks).orElse(List.of());
        assertEquals(tasks.size(), printed.size(), out.toString());
        PreparedData data = DataPreparer.prepare(recipe);
        Optional<Path> base = TaskPlanner.baseCheckpoint(recipe, Path.of("runs").toAbsolutePath());
        int perStep = recipe.training().effectiveBatchSize();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < tasks.size(); i++) {
                Finetune.Task task = tasks.get(i);
                JsonNode figures = printed.get(i);
                TaskPlan plan = TaskPlanner.plan(recipe, data, task, base); // what FinetuneStage calls
                Architecture built = builtModel(recipe, task, plan, data, manager);
                assertEquals(built.layers(), figures.path("layers").asInt(), "layers");
                assertEquals(built.heads(), figures.path("heads").asInt(), "heads");
                assertEquals(built.embeddingDim(), figures.path("embedding_dim").asInt(), "embedding_dim");
                assertEquals(built.contextLength(), figures.path("model_context_length").asInt(), "positions");
                assertEquals(built.vocabSize(), figures.path("vocab_size").asInt(), "vocab_size");
                assertEquals(built.dropout(), figures.path("dropout").asDouble(), 0, "dropout");
                int context = figures.path("context_length").asInt();
                assertTrue(context >= 1 && context <= built.contextLength(), "window within the model: " + context);
                if (recipe.baseModel().contextLength() > 0) {
                    assertEquals(Math.min(recipe.baseModel().contextLength(), built.contextLength()), context);
                }
                long examples;
                if (task == Finetune.Task.LANGUAGE_MODEL) {
                    List<int[]> ids = data.text().orElseThrow().train().stream()
                            .map(d -> plan.tokenizer().encode(d.text())).toList();
                    TokenWindows windows = TokenWindows.pack(ids, plan.tokenizer().endOfTextId(),
                            plan.contextLength());
                    examples = windows.count();
                    assertEquals(context, windows.contextLength());
                    assertEquals((long) perStep * windows.contextLength(), figures.path("tokens_per_step").asLong(),
                            "tokens per step: effective batch x the window the stage trains on");
                } else if (task == Finetune.Task.INSTRUCT) {
                    // InstructFinetune trains on the plan's packed rows: one example per row of `context` positions
                    TaskPlan.InstructPlan instruct = plan.instruct().orElseThrow();
                    examples = instruct.packing().rows().size();
                    assertEquals(context, instruct.packing().capacity(), "rows as long as the window");
                    assertEquals(instruct.train().size(), instruct.packing().rows().stream()
                            .mapToInt(row -> row.length).sum(), "every training conversation in one row");
                    assertEquals(instruct.train().size(), figures.path("conversations").asInt());
                    assertEquals(instruct.trainedTokens(), figures.path("trained_tokens_per_epoch").asLong());
                    assertEquals((long) perStep * context, figures.path("tokens_per_step").asLong());
                } else {
                    List<String> labels = new ArrayList<>(new TreeSet<>(data.labelled().orElseThrow().train().stream()
                            .map(LabelledExample::label).toList()));
                    ClassifierTask.Encoded encoded = ClassifierTask.Encoded.of(data.labelled().get().train(), labels,
                            plan.tokenizer(), plan.contextLength());
                    examples = encoded.ids().size();
                    assertTrue(encoded.ids().stream().allMatch(row -> row.length <= context), "rows truncated");
                }
                assertEquals(examples, figures.path("examples_per_epoch").asLong(), "examples per epoch");
                long steps = recipe.training().maxSteps().map(Integer::longValue).orElseGet(() ->
                        Math.max(1, (recipe.training().epochs().orElse(1) * examples + perStep - 1) / perStep));
                assertEquals(steps, figures.path("total_steps").asLong(), "steps");
                assertEquals(steps, plan.totalSteps(), "the stage trains the planned steps");
            }
        }
    }

    /** The model as FinetuneStage builds it for the task (weights loaded, nothing trained). */
    private static Architecture builtModel(Recipe recipe, Finetune.Task task, TaskPlan plan, PreparedData data,
                                           NDManager manager) {
        int classes = data.labelled().map(s -> (int) s.train().stream().map(LabelledExample::label).distinct()
                .count()).orElse(2);
        Finetune.Pooling pooling = plan.pooling().orElse(Finetune.Pooling.MEAN);
        BaseModels.Base base = BaseModels.open(plan, 1);
        return task != Finetune.Task.CLASSIFIER ? base.languageModel(manager).architecture()
                : base.classifier(classes, pooling, manager).architecture();
    }

    /** The committed tiny GPT-2 fixture as a recipe's base, windows shorter than its positions. */
    private static Path hfRecipe() throws IOException {
        Path hf;
        try {
            hf = Path.of(PlanMatchesStageTest.class.getResource("/hf/tiny-gpt2").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder text = new StringBuilder();
        List<String> labelled = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < 40; i++) {
            text.append("the cat sat on the mat ").append(i).append(".\n\n");
            labelled.add((i % 2 == 0 ? "the cat sat " : "a dog ran ") + i + "," + (i % 2 == 0 ? "cat" : "dog"));
        }
        Files.writeString(dir.resolve("text.txt"), text);
        Files.write(dir.resolve("labelled.csv"), labelled);
        Path recipe = dir.resolve("hf.yaml");
        Files.writeString(recipe, """
                name: hf-tiny
                base_model: {hf: %s, context_length: 8}
                corpus: {text: {path: text.txt}, labelled: {path: labelled.csv}}
                split: {method: stratified, validation: 0.2, test: 0.2}
                training: {devices: [cpu], batch_size: 4, gradient_accumulation_steps: 2, epochs: 2}
                finetune: {tasks: [language_model, classifier]}
                """.formatted(hf));
        return recipe;
    }
}
