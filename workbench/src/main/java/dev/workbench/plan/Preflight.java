package dev.workbench.plan;

import dev.workbench.data.CorpusFailures;
import dev.workbench.data.CorpusLoader;
import dev.workbench.data.DataPreparer;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.PreparedData;
import dev.workbench.data.Splits;
import dev.workbench.model.Architecture;
import dev.workbench.model.Devices;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Evaluate;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Problem;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.RecipeException;
import dev.workbench.recipe.RecipeLocations;
import dev.workbench.recipe.ResolvedRecipe;
import dev.workbench.recipe.Split;
import dev.workbench.recipe.TaskFileReader;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything about a recipe that can be checked without training, checked before anything is written: the corpus
 * files exist and are readable, their headers have the named columns, the data loads and leaves enough rows and
 * classes for the split, the base checkpoint or Hugging Face folder is complete, and (for {@code run}) the devices
 * and precision can train. Every problem is reported at once, at its recipe key ({@link RecipeLocations}), as the
 * recipe's own problems are.
 */
public final class Preflight {
    /**
     * Fewer than this many training rows leave nothing to learn from (and a synthesizer nothing to fit); a language
     * model may learn from one long document.
     */
    static final int MIN_TRAIN_ROWS = 2;

    /** What the checks loaded, so the caller does not load it again. */
    public record Checked(PreparedData data, Optional<Path> baseCheckpoint) {
    }

    private final Recipe recipe;
    private final RecipeLocations at;
    private final List<Problem> problems = new ArrayList<>();
    /** Corpora whose file or header failed: not loaded. */
    private final Set<String> unusable = new HashSet<>();
    /** Corpora already reported as txt files that cannot have a {@code split.column}. */
    private final Set<String> txtWithoutColumns = new HashSet<>();
    private boolean environmentOnly = true;

    private Preflight(ResolvedRecipe resolved) {
        this.recipe = resolved.recipe();
        this.at = resolved.locations();
    }

    /**
     * @param runsRoot where a base checkpoint given as a run id is looked up
     * @param devices whether to check {@code training.devices} and {@code training.precision} against this machine
     *                (what {@code run} does; it starts the engine when a GPU is asked for)
     * @throws RecipeException with every problem found
     */
    public static Checked check(ResolvedRecipe resolved, Path runsRoot, boolean devices) {
        return new Preflight(resolved).run(runsRoot, devices);
    }

    private Checked run(Path runsRoot, boolean devices) {
        Corpus corpus = recipe.corpus();
        Split split = recipe.split();
        Optional<String> splitColumn = split.method() == Split.Method.COLUMN ? split.column() : Optional.empty();
        corpus.text().ifPresent(t -> {
            for (int i = 0; i < t.paths().size(); i++) { // each file, its problems at its own list item
                columns("text", t.pathKey(i), t.paths().get(i), t.format(), splitColumn,
                        t.format() == Corpus.Format.TXT ? Map.of() : Map.of("corpus.text.column", List.of(t.column())));
            }
        });
        // Sorted maps: problems at one position (two defaulted keys) come in a fixed order.
        corpus.labelled().ifPresent(l -> columns("labelled", "corpus.labelled.path", l.path(), l.format(),
                splitColumn, new TreeMap<>(Map.of(
                        "corpus.labelled.text_column", List.of(l.textColumn()),
                        "corpus.labelled.label_column", List.of(l.labelColumn())))));
        corpus.table().ifPresent(t -> {
            Map<String, List<String>> named = new TreeMap<>();
            t.target().ifPresent(target -> named.put("corpus.table.target", List.of(target)));
            named.put("corpus.table.drop", t.drop());
            t.columnTypes().keySet().forEach(c -> named.put("corpus.table.column_types." + c, List.of(c)));
            columns("table", "corpus.table.path", t.path(), t.format(), splitColumn, named);
        });
        PreparedData data = load(); // the corpora whose files and headers passed, so their own problems show too
        if (data != null) {
            counts(data);
        }
        Optional<Path> baseCheckpoint = base(runsRoot);
        tasks();
        if (devices && recipe.finetune().isPresent()) {
            devices();
        }
        if (!problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(problems);
            // Recipe-file problems in reading order first, then those of --set overrides, as the binder orders them.
            sorted.sort(Comparator.comparing((Problem p) -> !p.source().equals(at.file()))
                    .thenComparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new RecipeException(environmentOnly ? WorkbenchException.Kind.ENVIRONMENT
                    : WorkbenchException.Kind.INVALID_INPUT, at.file(), sorted);
        }
        return new Checked(data, baseCheckpoint);
    }

    /**
     * The file is there and readable, and its header has every column the recipe names for it.
     *
     * @param pathKey the recipe key that names the file ({@code corpus.text.path[1]} for item 1 of a list)
     */
    private void columns(String corpus, String pathKey, Path file, Corpus.Format format, Optional<String> splitColumn,
                         Map<String, List<String>> named) {
        int before = problems.size();
        header(corpus, pathKey, file, format, splitColumn, named);
        if (problems.size() > before) {
            unusable.add(corpus);
        }
    }

    private void header(String corpus, String pathKey, Path file, Corpus.Format format, Optional<String> splitColumn,
                        Map<String, List<String>> named) {
        if (!Files.exists(file)) {
            invalid(pathKey, "no such file: " + file, at.fromOverride(pathKey)
                    ? "a path given with --set is relative to the working directory (in the file: to the recipe's folder)"
                    : "paths are relative to the recipe file's folder");
            return;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            invalid(pathKey, (Files.isDirectory(file) ? "is a folder, not a file: " : "cannot be read: ") + file,
                    null);
            return;
        }
        if (format == Corpus.Format.TXT) {
            if (splitColumn.isPresent() && txtWithoutColumns.add(corpus)) { // once for a corpus of several files
                invalid("split.column", "split.method column needs a '" + splitColumn.get() + "' column, but "
                        + file.getFileName() + " is a txt file and has no columns", "use csv or jsonl for corpus."
                        + corpus);
            }
            return;
        }
        List<String> header;
        try {
            header = CorpusLoader.header(file, format);
        } catch (WorkbenchException e) {
            invalid(pathKey, e.getMessage(), null);
            return;
        }
        if (header.isEmpty()) {
            invalid(pathKey, file + ": no header (an empty file, or no JSON object)", null);
            return;
        }
        named.forEach((key, names) -> names.forEach(name -> requireColumn(key, name, file, header)));
        splitColumn.ifPresent(c -> requireColumn("split.column", c, file, header));
    }

    private void requireColumn(String key, String column, Path file, List<String> header) {
        if (!header.contains(column)) {
            invalid(key, "no column '" + column + "' in " + file.getFileName() + " (columns: "
                    + String.join(", ", header.size() > 12 ? header.subList(0, 12) : header)
                    + (header.size() > 12 ? ", ..." : "") + ")",
                    CorpusLoader.closestColumn(column, header).map(c -> "did you mean '" + c + "'?")
                            .orElse("column names are matched exactly (case and spaces count)"));
        }
    }

    private PreparedData load() {
        Corpus all = recipe.corpus();
        Corpus usable = new Corpus(all.text().filter(t -> !unusable.contains("text")),
                all.labelled().filter(l -> !unusable.contains("labelled")),
                all.table().filter(t -> !unusable.contains("table")), all.onBadRow(), all.instructions());
        if (usable.text().isEmpty() && usable.labelled().isEmpty() && usable.table().isEmpty()
                && usable.instructions().isEmpty()) {
            return null;
        }
        try {
            return DataPreparer.prepare(usable, recipe.split(), recipe.seed());
        } catch (CorpusFailures e) {
            e.byPathKey().forEach((pathKey, failure) -> invalid(pathKey, failure.getMessage(), null));
        } catch (WorkbenchException e) {
            invalid("corpus", e.getMessage(), null);
        }
        return null;
    }

    /** Enough rows and classes for what the split and the stages do with them (refused with the counts). */
    private void counts(PreparedData data) {
        data.text().ifPresent(s -> rows("text", s, 1, false));
        data.instructions().ifPresent(s -> rows("instructions", s, 1, false));
        data.labelled().ifPresent(s -> {
            rows("labelled", s, MIN_TRAIN_ROWS, true);
            Map<String, Long> classes = counts(s.train(), LabelledExample::label);
            if (classes.size() < 2) {
                invalid("corpus.labelled.label_column", "the training split has " + classes.size()
                        + " class" + (classes.size() == 1 ? "" : "es") + " " + classes + "; a classifier needs at "
                        + "least 2", "check label_column, or add examples of the other classes");
            }
        });
        data.tableRows().ifPresent(s -> {
            rows("table", s, MIN_TRAIN_ROWS, recipe.evaluate().synthetic());
            recipe.corpus().table().flatMap(Corpus.TableSource::target).ifPresent(target -> {
                int index = data.tableHeader().orElseThrow().columns().indexOf(target);
                Map<String, Long> classes = counts(s.train(), row -> row.get(index));
                if (classes.size() < 2) {
                    invalid("corpus.table.target", "the training split has " + classes.size() + " distinct "
                            + "value" + (classes.size() == 1 ? "" : "s") + " of '" + target + "' " + classes
                            + "; a target needs at least 2 (a one-class target makes every model's accuracy 1.0)",
                            "choose another target, or remove it");
                }
            });
        });
    }

    private void rows(String corpus, Splits<?> splits, int minTrain, boolean needsTest) {
        int train = splits.train().size();
        int validation = splits.validation().size();
        int test = splits.test().size();
        if (train < minTrain || (needsTest && test == 0)) {
            invalid("corpus." + corpus + ".path", "too few rows for the split: train " + train + ", validation "
                    + validation + ", test " + test + " (training needs at least " + minTrain + " row"
                    + (minTrain == 1 ? "" : "s")
                    + (needsTest ? ", evaluation at least 1 test row" : "") + ")",
                    "add rows, or change split.validation / split.test");
        }
    }

    private static <T> Map<String, Long> counts(List<T> items, Function<T, String> classOf) {
        Map<String, Long> counts = new TreeMap<>();
        items.forEach(item -> counts.merge(classOf.apply(item), 1L, Long::sum));
        return counts;
    }

    /** The base checkpoint or Hugging Face folder exists and is complete; opened for every task that uses it. */
    private Optional<Path> base(Path runsRoot) {
        if (recipe.finetune().isEmpty()) {
            return Optional.empty();
        }
        if (recipe.baseModel().checkpoint().isPresent()) {
            try {
                Optional<Path> folder = TaskPlanner.baseCheckpoint(recipe, runsRoot);
                for (Finetune.Task task : recipe.finetune().get().tasks()) {
                    fits(TaskPlanner.openBase(recipe, folder.orElseThrow(), task).config().model(), List.of(task));
                }
                return folder;
            } catch (WorkbenchException e) {
                invalid("base_model.checkpoint", withoutRecipe(e.getMessage()), "give a checkpoint folder (it holds "
                        + "config.json and a COMPLETE marker), a run folder, or a run id from `workbench runs list`");
            } catch (IOException e) {
                invalid("base_model.checkpoint", "cannot read the runs folder " + runsRoot + ": " + e, null);
            }
        }
        recipe.baseModel().hf().ifPresent(hf -> {
            try {
                HfImporter.checkComplete(hf);
                fits(HfImporter.config(hf).architecture(), recipe.finetune().get().tasks());
            } catch (WorkbenchException e) {
                invalid("base_model.hf", e.getMessage(), "a Hugging Face model folder holds config.json, "
                        + "model.safetensors (or an index and its shards) and tokenizer.json");
            }
        });
        return Optional.empty();
    }

    /**
     * The base can do the tasks as the recipe asks (no language model on an encoder, a pooling its family has) and
     * the finetune settings fit its layers (LoRA targets it has, no more frozen layers than it has).
     */
    private void fits(Architecture model, List<Finetune.Task> tasks) {
        for (Finetune.Task task : tasks) {
            TaskPlanner.refusal(recipe, model.family(), task).ifPresent(r -> invalid(r.key(), r.message(), null));
        }
        TaskPlanner.mismatch(recipe.finetune().orElseThrow(), model).ifPresent(m -> invalid(m.key(), m.message(),
                null));
    }

    private void devices() {
        Optional<String> refusal = Devices.trainingRefusal(recipe.training().precision());
        refusal.ifPresent(r -> invalid("training.precision", r, null));
        boolean engine = recipe.training().devices().stream().anyMatch(d -> d.startsWith("gpu"));
        if (engine) { // auto and cpu always work; counting GPUs starts the engine
            try {
                Devices.select(recipe.training().devices());
            } catch (WorkbenchException e) {
                add(at.problem("training.devices", e.getMessage(), Optional.of("use devices: [auto] or [cpu] on "
                        + "this machine (`workbench doctor` lists the GPUs PyTorch sees)")), e.kind());
            } catch (RuntimeException e) { // the engine itself did not start (natives missing or broken)
                add(at.problem("training.devices", "cannot start PyTorch to look for GPUs: " + e.getMessage(),
                        Optional.of("`workbench doctor` checks the native libraries")),
                        WorkbenchException.Kind.ENVIRONMENT);
            }
        }
    }

    /**
     * Paths in a message as the recipe writes them: relative to the recipe's folder (or, for a {@code --set} value,
     * the working folder) instead of absolute, so that a message reads like the recipe and does not depend on where
     * the checkout lives.
     */
    private String shorten(String message) {
        String shortened = message;
        for (Path folder : new Path[] {recipe.source().getParent(), Path.of("").toAbsolutePath()}) {
            if (folder != null) {
                shortened = shortened.replace(folder + java.io.File.separator, "");
            }
        }
        return shortened;
    }

    /** The stage messages start with the recipe file; the problem already names it. */
    private String withoutRecipe(String message) {
        String prefix = recipe.source() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /**
     * Every {@code evaluate.tasks} file reads (its own problems are reported at its own lines) and names data files
     * that exist, the recipe's {@code dataset_path} override included.
     */
    private void tasks() {
        List<Evaluate.TaskRef> tasks = recipe.evaluate().tasks();
        Map<String, Integer> names = new java.util.HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            Evaluate.TaskRef ref = tasks.get(i);
            String key = "evaluate.tasks[" + i + "]";
            if (!Files.isRegularFile(ref.path())) {
                invalid(key, "no such task file: " + ref.path(), "paths are relative to the recipe file's folder");
                continue;
            }
            try {
                String name = TaskFileReader.read(ref).task();
                Integer first = names.putIfAbsent(name, i);
                if (first != null) {
                    invalid(key, "task '" + name + "' is named twice (first at evaluate.tasks[" + first + "]): their"
                            + " per-item files and rows would collide", "give one a new name: {path: ..., task: "
                            + name + "-2}");
                }
            } catch (RecipeException e) {
                e.problems().forEach(p -> add(p, WorkbenchException.Kind.INVALID_INPUT));
            }
            ref.datasetPath().filter(p -> !Files.isRegularFile(p)).ifPresent(p ->
                    invalid(key + ".dataset_path", "no such file: " + p, "paths are relative to the recipe file's "
                            + "folder"));
        }
    }

    private void invalid(String key, String message, String hint) {
        add(at.problem(key, message, Optional.ofNullable(hint)), WorkbenchException.Kind.INVALID_INPUT);
    }

    private void add(Problem problem, WorkbenchException.Kind kind) {
        String message = shorten(problem.message());
        // Messages from below often start with the key; the problem already names it.
        for (String prefix : List.of(problem.key() + ": ", problem.key() + " ")) {
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
                break;
            }
        }
        problems.add(new Problem(problem.source(), problem.line(), problem.column(), problem.key(), message,
                problem.hint()));
        environmentOnly &= kind == WorkbenchException.Kind.ENVIRONMENT;
    }
}
