package dev.workbench.cli;

import dev.workbench.data.Splits;
import dev.workbench.data.chat.ChatTokens;
import dev.workbench.data.chat.Conversation;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.plan.Preflight;
import dev.workbench.plan.TaskPlan;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeReader;
import dev.workbench.recipe.ResolvedRecipe;
import dev.workbench.recipe.WorkbenchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code workbench preview}: one conversation of an instruct recipe as the finetune stage will train on it, as
 * {@code axolotl preprocess --debug} shows it: the text the chat template renders, then every token as
 * {@code text(id)} with the trained ones (those the loss counts) marked, and the counts.
 */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "Show one instruction example of a recipe as it will train: the chat template's rendering, "
                + "each token as text(id) with the trained (assistant) tokens marked (green on a terminal, "
                + "[in brackets] otherwise), and the counts. Loads the data and the base's tokenizer as plan does; "
                + "trains nothing and writes nothing.")
final class PreviewCommand implements Callable<Integer> {
    private static final String GREEN = "\u001b[32m";
    private static final String GREY = "\u001b[90m";
    private static final String RESET = "\u001b[0m";

    /** How trained tokens are told apart. */
    enum Colour { AUTO, ALWAYS, NEVER }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RECIPE", description = "the recipe YAML file (finetune.tasks: [instruct])")
    Path recipeFile;

    @Option(names = "--index", paramLabel = "N", defaultValue = "0",
            description = "which conversation of the split, from 0 (default: ${DEFAULT-VALUE})")
    int index;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "train",
            description = "train, validation or test (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a recipe value")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs",
            description = "runs folder, for a base model given as a run id (default: ${DEFAULT-VALUE})")
    Path runsRoot;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "auto (colour on a terminal), always or never; without colour trained tokens are "
                    + "[bracketed] (default: ${DEFAULT-VALUE})")
    String colour;

    @Override
    public Integer call() throws Exception {
        Colour when = switch (colour) {
            case "auto" -> Colour.AUTO;
            case "always" -> Colour.ALWAYS;
            case "never" -> Colour.NEVER;
            default -> throw WorkbenchException.invalid("--color: expected auto, always or never, got '" + colour
                    + "'");
        };
        if (!List.of("train", "validation", "test").contains(split)) {
            throw WorkbenchException.invalid("--split: expected train, validation or test, got '" + split + "'");
        }
        ResolvedRecipe resolved = RecipeReader.resolve(recipeFile, overrides);
        Recipe recipe = resolved.recipe();
        if (recipe.corpus().instructions().isEmpty()) {
            throw WorkbenchException.invalid(recipe.source() + ": preview shows instruction data; the recipe has no "
                    + "corpus.instructions (hint: add corpus.instructions and finetune.tasks: [instruct])");
        }
        Preflight.Checked checked = Preflight.check(resolved, runsRoot.toAbsolutePath(), false);
        TaskPlan plan = TaskPlanner.plan(recipe, checked.data(), Finetune.Task.INSTRUCT, checked.baseCheckpoint());
        TaskPlan.InstructPlan instruct = plan.instruct().orElseThrow();
        Splits<Conversation> conversations = checked.data().instructions().orElseThrow();
        List<ChatTokens> tokens = switch (split) {
            case "train" -> instruct.train();
            case "validation" -> instruct.validation();
            default -> instruct.test();
        };
        List<Conversation> source = switch (split) {
            case "train" -> conversations.train();
            case "validation" -> conversations.validation();
            default -> conversations.test();
        };
        if (tokens.isEmpty()) {
            throw WorkbenchException.invalid("the " + split + " split has no conversation");
        }
        if (index < 0 || index >= tokens.size()) {
            throw WorkbenchException.invalid("--index " + index + ": the " + split + " split has " + tokens.size()
                    + " conversations (hint: --index 0 to " + (tokens.size() - 1) + ")");
        }
        boolean ansi = when == Colour.ALWAYS || when == Colour.AUTO && System.console() != null;
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(source.get(index).id(), index, split, tokens.size(), instruct, tokens.get(index),
                plan.tokenizer(), plan.contextLength(), ansi));
        out.flush();
        return 0;
    }

    static String render(String id, int index, String split, int of, TaskPlan.InstructPlan instruct, ChatTokens t,
                         Tokenizer tokenizer, int context, boolean ansi) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "# %s split, conversation %d of %d (%s); chat template %s%s%n", split,
                index, of, id, instruct.template().name(), instruct.trainOnPrompt() ? "; train_on_prompt: every "
                        + "token trained" : ""));
        s.append("## rendered\n").append(t.text());
        if (!t.text().endsWith("\n")) {
            s.append('\n');
        }
        s.append(ansi ? "## tokens (" + GREEN + "green" + RESET + ": trained)\n"
                : "## tokens ([bracketed]: trained)\n");
        long trained = 0;
        for (int i = 0; i < t.ids().length; i++) {
            String piece = visible(tokenizer.decode(new int[] {t.ids()[i]})) + "(" + t.ids()[i] + ")";
            if (t.trained()[i]) {
                trained++;
                s.append(ansi ? GREEN + piece + RESET : "[" + piece + "]");
            } else {
                s.append(ansi ? GREY + piece + RESET : piece);
            }
            s.append(' ');
        }
        s.append('\n');
        s.append(String.format(Locale.ROOT, "## counts%n%d tokens (window %d + 1), %d trained, %d loss targets, "
                        + "%d dropped from the start (longer than the window)%n", t.ids().length, context, trained,
                t.trainedTargets(), t.truncated()));
        return s.toString();
    }

    /** A token's text with its line breaks and tabs shown, so one token stays one item on the line. */
    static String visible(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
