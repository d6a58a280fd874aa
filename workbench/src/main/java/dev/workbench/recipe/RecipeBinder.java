package dev.workbench.recipe;

import dev.workbench.recipe.BaseModel.TokenizerKind;
import dev.workbench.recipe.BaseModel.TokenizerSpec;
import dev.workbench.recipe.Corpus.BadRowPolicy;
import dev.workbench.recipe.Corpus.Format;
import dev.workbench.recipe.Corpus.LabelledSource;
import dev.workbench.recipe.Corpus.TableSource;
import dev.workbench.recipe.Corpus.TextSource;
import dev.workbench.recipe.Finetune.Freeze;
import dev.workbench.recipe.Finetune.Lora;
import dev.workbench.recipe.Finetune.Method;
import dev.workbench.recipe.Finetune.Pooling;
import dev.workbench.recipe.Finetune.Task;
import dev.workbench.recipe.Training.EarlyStopping;
import dev.workbench.recipe.Training.LrSchedule;
import dev.workbench.recipe.Training.Precision;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The one place where the YAML node tree becomes records. Every check adds to a problem list instead of throwing, so
 * one pass reports everything; bad values fall back to their defaults so that binding can go on.
 */
final class RecipeBinder {
    static final List<String> SYNTH_METHODS = SynthesisMethod.names();
    /** synthesize.methods when the recipe names none (tvae is opt-in). */
    static final List<String> SYNTH_DEFAULT_METHODS = SynthesisMethod.defaultNames();
    static final List<String> BASELINES = List.of("majority", "tfidf-logreg");
    static final List<String> REPORT_FORMATS = List.of("html", "markdown", "json");
    static final List<String> LORA_TARGETS = List.of("q", "k", "v", "o", "up", "down");
    static final List<String> COLUMN_TYPES = List.of("continuous", "integer", "categorical", "boolean", "datetime");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:(0|[1-9][0-9]{0,2})");
    /** {@code store.RunStore.newRunId}: UTC time and six hex digits. */
    static final Pattern RUN_ID = Pattern.compile("[0-9]{8}-[0-9]{6}-[0-9a-f]{6}");
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final Pattern OVERRIDE_KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[A-Za-z0-9_-]+)*");
    private static final String STANDARD_TAG = Tag.PREFIX;

    private final String file;
    private final Path recipeFolder;
    private final Path recipeFile;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, String> sources = new TreeMap<>();
    private final RecipeLocations.Builder locations;
    /** Nodes that came from a {@code --set}: node -> the override as given. */
    private final Map<Node, String> overrideOrigin = new IdentityHashMap<>();
    private final List<String> overrides = new ArrayList<>();

    RecipeBinder(String file, Path absoluteRecipeFile) {
        this.file = file;
        this.locations = new RecipeLocations.Builder(file);
        this.recipeFile = absoluteRecipeFile;
        this.recipeFolder = absoluteRecipeFile.getParent();
    }

    // ---------------------------------------------------------------------------------------------------- overrides

    /** Applies {@code KEY=VALUE} overrides onto the tree; bad ones become problems (reported with the rest). */
    Node applyOverrides(Node root, List<String> overrides) {
        this.overrides.addAll(overrides);
        if (overrides.isEmpty()) {
            return root;
        }
        if (root == null) {
            root = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
        }
        if (!(root instanceof MappingNode rootMap)) {
            return root; // bind() reports that the document is not a mapping
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            String key = eq < 0 ? override : override.substring(0, eq).trim();
            if (eq < 0) {
                overrideProblem(override, key, "expected KEY=VALUE", Optional.of("e.g. --set training.max_steps=100"));
                continue;
            }
            Optional<String> mapLeaf = mapLeafOf(key);
            if (!OVERRIDE_KEY.matcher(key).matches() || (!RecipeFields.contains(key) && mapLeaf.isEmpty())) {
                overrideProblem(override, key, "unknown key", suggestDotted(key));
                continue;
            }
            Node value;
            try {
                value = RecipeReader.compose(override.substring(eq + 1), "--set " + override, file);
            } catch (RecipeException e) {
                Problem p = e.problems().get(0);
                overrideProblem(override, key, p.message(), Optional.empty());
                continue;
            }
            if (value == null) {
                value = new ScalarNode(Tag.NULL, "", null, null, DumperOptions.ScalarStyle.PLAIN);
            }
            markOverride(value, override);
            List<String> path = new ArrayList<>();
            if (mapLeaf.isPresent()) {
                path.addAll(Arrays.asList(mapLeaf.get().split("\\.")));
                path.add(key.substring(mapLeaf.get().length() + 1));
            } else {
                path.addAll(Arrays.asList(key.split("\\.")));
            }
            put(rootMap, path, value, override);
        }
        return root;
    }

    private static Optional<String> mapLeafOf(String key) {
        for (String candidate : RecipeFields.ALL) {
            if (RecipeFields.kind(candidate) == RecipeFields.Kind.MAP && key.startsWith(candidate + ".")
                    && key.length() > candidate.length() + 1) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void put(MappingNode map, List<String> path, Node value, String override) {
        MappingNode current = map;
        for (int i = 0; i < path.size(); i++) {
            String segment = path.get(i);
            boolean last = i == path.size() - 1;
            List<NodeTuple> tuples = current.getValue();
            int index = -1;
            for (int t = 0; t < tuples.size(); t++) {
                if (tuples.get(t).getKeyNode() instanceof ScalarNode k && k.getValue().equals(segment)) {
                    index = t;
                    break;
                }
            }
            Node keyNode = index >= 0 ? tuples.get(index).getKeyNode() : overrideScalar(segment, override);
            Node next;
            if (last) {
                next = value;
            } else if (index >= 0 && tuples.get(index).getValueNode() instanceof MappingNode existing) {
                current = existing;
                continue;
            } else {
                next = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
                overrideOrigin.put(next, override);
            }
            if (index >= 0) {
                tuples.set(index, new NodeTuple(keyNode, next));
            } else {
                tuples.add(new NodeTuple(keyNode, next));
            }
            if (next instanceof MappingNode nextMap) {
                current = nextMap;
            }
        }
    }

    private ScalarNode overrideScalar(String text, String override) {
        ScalarNode node = new ScalarNode(Tag.STR, text, null, null, DumperOptions.ScalarStyle.PLAIN);
        overrideOrigin.put(node, override);
        return node;
    }

    private void markOverride(Node value, String override) {
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(value);
        while (!todo.isEmpty()) {
            Node node = todo.pop();
            if (overrideOrigin.put(node, override) != null) {
                continue; // aliases share nodes; visit each once
            }
            if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    todo.push(t.getKeyNode());
                    todo.push(t.getValueNode());
                }
            } else if (node instanceof SequenceNode s) {
                s.getValue().forEach(todo::push);
            }
        }
    }

    private void overrideProblem(String override, String key, String message, Optional<String> hint) {
        problems.add(new Problem("--set " + override, 0, 0, key, message, hint));
    }

    // -------------------------------------------------------------------------------------------------------- bind

    ResolvedRecipe bind(Node rootNode) {
        if (!(rootNode instanceof MappingNode rootMap)) {
            problem(rootNode, "", rootNode == null ? "the recipe is empty"
                    : "a recipe must be a mapping of keys, got " + describe(rootNode), Optional.empty());
            throw failure();
        }
        Section root = new Section("", null, rootMap, true);

        String name = requiredString(root, "name", "recipe");
        if (root.has("name") && !NAME.matcher(name).matches()) {
            problem(root.value("name"), "name", "must be 1-64 letters, digits, '.', '_' or '-' and start with a letter"
                    + " or digit (it names the run folder), got " + quote(name), Optional.empty());
        }
        String description = string(root, "description", "");
        long seed = longValue(root, "seed", 42, 0, Long.MAX_VALUE);
        String domain = string(root, "domain", "general");
        if (root.has("domain") && !NAME.matcher(domain).matches()) {
            problem(root.value("domain"), "domain", "must be 1-64 letters, digits, '.', '_' or '-' and start with a"
                    + " letter or digit, got " + quote(domain), Optional.empty());
        }

        Section corpusSection = section(root, "corpus");
        if (!corpusSection.present) {
            missing(root, "corpus");
        }
        Corpus corpus = bindCorpus(corpusSection);
        Section finetuneSection = section(root, "finetune");
        Section synthSection = section(root, "synthesize");
        if (!finetuneSection.present && !synthSection.present) {
            problem(root.anchor(), "", "no stage to run: add a finetune or a synthesize section", Optional.empty());
        }
        BaseModel baseModel = bindBaseModel(section(root, "base_model"), root, finetuneSection.present);
        Split split = bindSplit(section(root, "split"));
        Training training = bindTraining(section(root, "training"));
        Optional<Finetune> finetune = finetuneSection.valid()
                ? Optional.of(bindFinetune(finetuneSection, corpus, baseModel)) : Optional.empty();
        Optional<Synthesize> synthesize = synthSection.valid()
                ? Optional.of(bindSynthesize(synthSection, corpus)) : Optional.empty();
        Evaluate evaluate = bindEvaluate(section(root, "evaluate"), corpus);
        Report report = bindReport(section(root, "report"), name);

        if (!problems.isEmpty()) {
            throw failure();
        }
        Recipe recipe = new Recipe(name, description, seed, domain, baseModel, corpus, split, training, finetune,
                synthesize, evaluate, report, recipeFile);
        return new ResolvedRecipe(recipe, sources, locations.build());
    }

    private RecipeException failure() {
        // File problems in reading order, then the overrides in the order given; identical problems (from a shared
        // alias) once.
        List<Problem> sorted = new ArrayList<>(new LinkedHashSet<>(problems));
        sorted.sort(Comparator.comparingInt((Problem p) -> p.source().equals(file) ? -1
                        : overrides.indexOf(p.source().substring("--set ".length())))
                .thenComparingInt(Problem::line).thenComparingInt(Problem::column));
        return new RecipeException(file, sorted);
    }

    private BaseModel bindBaseModel(Section s, Section root, boolean needed) {
        if (!s.present && needed) {
            problem(root.anchor(), "base_model", "required field is missing (finetune starts from a base model)",
                    Optional.of("set one of base_model.preset, base_model.checkpoint, base_model.hf"));
        }
        Optional<String> preset = optionalEnumString(s, "preset", ModelPreset.names());
        Optional<String> checkpoint = optionalString(s, "checkpoint");
        Optional<String> hfText = optionalString(s, "hf");
        List<String> given = new ArrayList<>();
        for (String key : List.of("preset", "checkpoint", "hf")) {
            if (s.has(key)) {
                given.add(key);
            }
        }
        if (s.valid() && given.isEmpty()) {
            problem(s.anchor(), "base_model", "needs exactly one of preset, checkpoint, hf", Optional.empty());
        } else if (given.size() > 1) {
            problem(s.keyNode(given.get(1)), s.dotted(given.get(1)), "base_model takes exactly one of preset,"
                    + " checkpoint, hf; found " + String.join(" and ", given), Optional.empty());
        }
        if (!s.present) {
            // No base model and nothing to fine-tune: a synthesize-only recipe. Recorded as the smallest preset so
            // that the resolved recipe is complete; no stage uses it.
            preset = Optional.of(ModelPreset.NANO.recipeName());
            sources.put("base_model.preset", "default");
        }
        Optional<String> checkpointValue = checkpoint.map(c -> RUN_ID.matcher(c).matches() ? c
                : resolvePath(s.value("checkpoint"), "base_model.checkpoint", c).toString());
        Optional<Path> hf = hfText.map(h -> resolvePath(s.value("hf"), "base_model.hf", h));
        double dropout = number(s, "dropout", 0.1, 0, true, 1, false);

        if (!s.has("preset") && given.size() == 1) {
            // Architecture and tokenizer come from the checkpoint or hf folder.
            String from = checkpoint.isPresent() ? "the checkpoint" : "the hf model";
            for (String key : List.of("layers", "heads", "embedding_dim")) {
                int value = integer(s, key, 0, 0, Integer.MAX_VALUE);
                if (value != 0) {
                    problem(s.value(key), s.dotted(key), "comes from " + from + "; leave it 0 or remove it",
                            Optional.empty());
                }
            }
            Section tokenizer = section(s, "tokenizer");
            if (tokenizer.present) {
                problem(s.keyNode("tokenizer"), "base_model.tokenizer", "comes from " + from
                        + " (its tokenizer.json); remove it", Optional.empty());
            }
            int context = integer(s, "context_length", 0, 0, 1 << 20);
            return new BaseModel(Optional.empty(), checkpointValue, hf,
                    new TokenizerSpec(TokenizerKind.FILE, 0, Optional.empty()), context, 0, 0, 0, dropout);
        }
        ModelPreset size = preset.flatMap(ModelPreset::find).orElse(ModelPreset.NANO);
        String presetSource = "preset " + size.recipeName();
        int context = presetInteger(s, "context_length", size.contextLength(), presetSource, 1 << 20);
        int layers = presetInteger(s, "layers", size.layers(), presetSource, 256);
        int heads = presetInteger(s, "heads", size.heads(), presetSource, 256);
        int embeddingDim = presetInteger(s, "embedding_dim", size.embeddingDim(), presetSource, 1 << 16);
        if (embeddingDim % heads != 0) {
            Node at = s.has("embedding_dim") ? s.value("embedding_dim")
                    : s.has("heads") ? s.value("heads") : s.value("preset");
            problem(at, s.has("embedding_dim") || !s.has("heads") ? "base_model.embedding_dim" : "base_model.heads",
                    "embedding_dim (" + embeddingDim + ") must be a multiple of heads (" + heads + ")",
                    Optional.empty());
        }
        TokenizerSpec tokenizer = bindTokenizer(section(s, "tokenizer"));
        return new BaseModel(preset, Optional.empty(), Optional.empty(), tokenizer, context, layers, heads,
                embeddingDim, dropout);
    }

    private int presetInteger(Section s, String key, int presetValue, String presetSource, int max) {
        if (s.has(key)) {
            return integer(s, key, presetValue, 1, max);
        }
        sources.put(s.dotted(key), presetSource);
        return presetValue;
    }

    private TokenizerSpec bindTokenizer(Section s) {
        TokenizerKind kind = enumValue(s, "type", TokenizerKind.class, TokenizerKind.BYTE);
        Optional<String> pathText = optionalString(s, "path");
        if (kind == TokenizerKind.FILE) {
            if (s.has("vocab_size")) {
                problem(s.value("vocab_size"), "base_model.tokenizer.vocab_size",
                        "comes from the tokenizer file; remove it", Optional.empty());
            }
            if (pathText.isEmpty() && !s.has("path")) {
                problem(s.valid() ? s.anchor() : null, "base_model.tokenizer.path",
                        "required field is missing (type file reads a tokenizer.json)", Optional.empty());
            }
            Optional<Path> path = pathText.map(p -> resolvePath(s.value("path"), "base_model.tokenizer.path", p));
            return new TokenizerSpec(kind, 0, path);
        }
        if (s.has("path")) {
            problem(s.keyNode("path"), "base_model.tokenizer.path", "is only used with type file",
                    Optional.empty());
        }
        if (kind == TokenizerKind.BYTE) {
            int vocab = integer(s, "vocab_size", 257, 0, Integer.MAX_VALUE);
            if (vocab != 257) {
                problem(s.value("vocab_size"), "base_model.tokenizer.vocab_size", "the byte tokenizer has exactly 257"
                        + " ids (256 bytes and end-of-text), got " + vocab, Optional.of("remove vocab_size, or use type bpe"));
            }
            return new TokenizerSpec(kind, 257, Optional.empty());
        }
        int vocab = integer(s, "vocab_size", 2048, 257, 1 << 20);
        return new TokenizerSpec(kind, vocab, Optional.empty());
    }

    private Corpus bindCorpus(Section s) {
        Section textSection = section(s, "text");
        Optional<TextSource> text = Optional.empty();
        if (textSection.valid()) {
            Path path = requiredPath(textSection, "path");
            Format format = format(textSection, path, List.of(Format.values()));
            text = Optional.of(new TextSource(path, format, string(textSection, "column", "text")));
        }
        Section labelledSection = section(s, "labelled");
        Optional<LabelledSource> labelled = Optional.empty();
        if (labelledSection.valid()) {
            Path path = requiredPath(labelledSection, "path");
            Format format = format(labelledSection, path, List.of(Format.CSV, Format.JSONL));
            String textColumn = string(labelledSection, "text_column", "text");
            String labelColumn = string(labelledSection, "label_column", "label");
            if (textColumn.equals(labelColumn)) {
                Node at = labelledSection.has("label_column") ? labelledSection.value("label_column")
                        : labelledSection.value("text_column");
                problem(at, "corpus.labelled.label_column", "must differ from text_column (both are "
                        + quote(textColumn) + ")", Optional.empty());
            }
            labelled = Optional.of(new LabelledSource(path, format, textColumn, labelColumn));
        }
        Section tableSection = section(s, "table");
        Optional<TableSource> table = Optional.empty();
        if (tableSection.valid()) {
            Path path = requiredPath(tableSection, "path");
            Format format = format(tableSection, path, List.of(Format.CSV, Format.JSONL));
            Optional<String> target = optionalString(tableSection, "target");
            Map<String, String> columnTypes = stringMap(tableSection, "column_types", COLUMN_TYPES);
            List<String> drop = stringList(tableSection, "drop", List.of(), null, false);
            if (target.isPresent() && drop.contains(target.get())) {
                problem(tableSection.value("drop"), "corpus.table.drop", "drops the target column "
                        + quote(target.get()), Optional.empty());
            }
            table = Optional.of(new TableSource(path, format, target, columnTypes, drop));
        }
        BadRowPolicy onBadRow = enumValue(s, "on_bad_row", BadRowPolicy.class, BadRowPolicy.ERROR);
        if (s.valid() && !textSection.present && !labelledSection.present && !tableSection.present) {
            problem(s.anchor(), "corpus", "needs at least one of text, labelled, table", Optional.empty());
        }
        return new Corpus(text, labelled, table, onBadRow);
    }

    private Format format(Section s, Path path, List<Format> allowed) {
        String key = s.dotted("format");
        if (s.has("format")) {
            Format format = enumValue(s, "format", Format.class, Format.CSV);
            if (!allowed.contains(format)) {
                problem(s.value("format"), key, "must be one of " + names(allowed) + " here, got "
                        + lower(format), Optional.empty());
            }
            return format;
        }
        if (path == null) {
            return allowed.get(0); // the missing path is already reported
        }
        String fileName = path.getFileName() == null ? "" : path.getFileName().toString();
        String lowerName = fileName.toLowerCase(Locale.ROOT);
        String extension = lowerName.lastIndexOf('.') < 0 ? "" : lowerName.substring(lowerName.lastIndexOf('.') + 1);
        List<String> extensions = allowed.stream().map(f -> "." + lower(f)).toList();
        String allowedExtensions = String.join(", ", extensions.subList(0, extensions.size() - 1)) + " or "
                + extensions.get(extensions.size() - 1);
        for (Format format : Format.values()) {
            if (lower(format).equals(extension)) {
                if (allowed.contains(format)) {
                    sources.put(key, "default");
                } else {
                    problem(s.value("path"), s.dotted("path"), "must be a " + allowedExtensions + " file here, got "
                            + quote(fileName), Optional.empty());
                }
                return format;
            }
        }
        problem(s.value("path"), s.dotted("path"), "cannot tell the format of " + quote(fileName)
                + " from its extension", Optional.of("use a " + allowedExtensions + " file, or set " + key));
        return allowed.get(0);
    }

    private Split bindSplit(Section s) {
        Split.Method method = enumValue(s, "method", Split.Method.class, Split.Method.STRATIFIED);
        double validation = number(s, "validation", 0.1, 0, true, 1, false);
        double test = number(s, "test", 0.1, 0, true, 1, false);
        if (validation + test >= 1) {
            Node at = s.has("test") ? s.value("test") : s.value("validation");
            problem(at, s.has("test") ? "split.test" : "split.validation", "validation + test must be less than 1"
                    + " (some rows must be left to train on), got " + plain(validation + test), Optional.empty());
        }
        Optional<String> column = optionalString(s, "column");
        if (method == Split.Method.COLUMN && !s.has("column")) {
            problem(s.value("method"), "split.method", "method column needs split.column (the column holding"
                    + " train/validation/test)", Optional.empty());
        }
        if (method != Split.Method.COLUMN && s.has("column")) {
            problem(s.keyNode("column"), "split.column", "is only used with split.method: column (method is "
                    + lower(method) + ")", Optional.empty());
        }
        boolean dedupe = bool(s, "dedupe", true);
        return new Split(method, validation, test, column, dedupe);
    }

    private Training bindTraining(Section s) {
        List<String> devices = stringList(s, "devices", List.of("auto"), null, true);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < devices.size(); i++) {
            String device = devices.get(i);
            Node at = s.item("devices", i, devices.size());
            if (!DEVICE.matcher(device).matches()) {
                problem(at, "training.devices", "unknown device " + quote(device),
                        Optional.of("allowed values: auto, cpu, gpu, gpu:N (N = 0, 1, ...)"));
            } else if (devices.size() > 1 && !device.startsWith("gpu:")) {
                problem(at, "training.devices", "several devices must all be gpu:N (data parallel), got "
                        + quote(device), Optional.empty());
            } else if (!seen.add(device)) {
                problem(at, "training.devices", "lists " + quote(device) + " twice", Optional.empty());
            }
        }
        Precision precision = enumValue(s, "precision", Precision.class, Precision.FP32);
        if (precision != Precision.FP32 && devices.equals(List.of("cpu"))) {
            problem(s.value("precision"), "training.precision", lower(precision) + " needs a GPU; on cpu use fp32",
                    Optional.of("DJL 0.36's PyTorch engine aborts the JVM on bf16 arrays on CPU"));
        }
        int batchSize = integer(s, "batch_size", 16, 1, 1 << 20);
        int accumulation = integer(s, "gradient_accumulation_steps", 1, 1, 1 << 16);
        Optional<Integer> epochs = optionalInteger(s, "epochs", 1, 1 << 20);
        Optional<Integer> maxSteps = optionalInteger(s, "max_steps", 1, Integer.MAX_VALUE);
        if (s.has("epochs") && s.has("max_steps")) {
            problem(s.keyNode("max_steps"), "training.max_steps", "epochs and max_steps exclude each other;"
                    + " set one", Optional.empty());
        }
        if (!s.has("epochs") && !s.has("max_steps")) {
            epochs = Optional.of(1);
            sources.put("training.epochs", "default");
        }
        double learningRate = number(s, "learning_rate", 3e-4, 0, false, 10, true);
        LrSchedule schedule = enumValue(s, "lr_schedule", LrSchedule.class, LrSchedule.COSINE);
        int warmup = integer(s, "warmup_steps", 0, 0, Integer.MAX_VALUE);
        if (maxSteps.isPresent() && warmup >= maxSteps.get()) {
            problem(s.value("warmup_steps"), "training.warmup_steps", "must be less than max_steps ("
                    + maxSteps.get() + "), got " + warmup, Optional.empty());
        }
        double weightDecay = number(s, "weight_decay", 0.01, 0, true, 10, true);
        double maxGradNorm = number(s, "max_grad_norm", 1.0, 0, true, 1e6, true);
        int evalEvery = integer(s, "eval_every_steps", 100, 1, Integer.MAX_VALUE);
        Section stopping = section(s, "early_stopping");
        Optional<EarlyStopping> earlyStopping = Optional.empty();
        if (stopping.valid()) {
            earlyStopping = Optional.of(new EarlyStopping(integer(stopping, "patience", 3, 1, 1 << 20),
                    number(stopping, "min_delta", 0.0, 0, true, 1e6, true)));
        }
        int checkpointEvery = integer(s, "checkpoint_every_steps", 500, 1, Integer.MAX_VALUE);
        int keep = integer(s, "keep_checkpoints", 2, 1, 1000);
        int maxNonFinite = integer(s, "max_non_finite_steps", Training.DEFAULT_MAX_NON_FINITE_STEPS, 1, 1 << 20);
        int logEvery = integer(s, "log_every_steps", 10, 1, Integer.MAX_VALUE);
        return new Training(devices, precision, batchSize, accumulation, epochs, maxSteps, learningRate, schedule,
                warmup, weightDecay, maxGradNorm, evalEvery, earlyStopping, checkpointEvery, keep, maxNonFinite,
                logEvery);
    }

    private Finetune bindFinetune(Section s, Corpus corpus, BaseModel base) {
        List<String> taskNames = s.has("tasks")
                ? stringList(s, "tasks", List.of(), lowerNames(Task.values()), true) : List.of();
        if (!s.has("tasks")) {
            missing(s, "tasks");
        }
        List<Task> tasks = new ArrayList<>();
        for (String taskName : taskNames) {
            Task task = Task.valueOf(taskName.toUpperCase(Locale.ROOT));
            tasks.add(task);
            if (task == Task.LANGUAGE_MODEL && corpus.text().isEmpty()) {
                problem(s.item("tasks", taskName), "finetune.tasks", "language_model needs corpus.text",
                        Optional.empty());
            }
            if (task == Task.CLASSIFIER && corpus.labelled().isEmpty()) {
                problem(s.item("tasks", taskName), "finetune.tasks", "classifier needs corpus.labelled",
                        Optional.empty());
            }
        }
        Method method = enumValue(s, "method", Method.class, Method.FULL);
        Section freezeSection = section(s, "freeze");
        Section loraSection = section(s, "lora");
        if (freezeSection.present && method != Method.FREEZE) {
            problem(s.keyNode("freeze"), "finetune.freeze", "freeze settings need finetune.method: freeze (method"
                    + " is " + lower(method) + ")", Optional.empty());
        }
        if (loraSection.present && method != Method.LORA) {
            problem(s.keyNode("lora"), "finetune.lora", "lora settings need finetune.method: lora (method is "
                    + lower(method) + ")", Optional.empty());
        }
        // A misplaced freeze or lora section is still checked (to report its own problems), then dropped.
        Optional<Freeze> freeze = Optional.empty();
        if (method == Method.FREEZE || freezeSection.valid()) {
            boolean embeddings = bool(freezeSection, "embeddings", true);
            int layers = integer(freezeSection, "layers", 0, 0, 256);
            if (base.layers() > 0 && layers > base.layers()) {
                problem(freezeSection.value("layers"), "finetune.freeze.layers", "must be at most base_model.layers ("
                        + base.layers() + "), got " + layers, Optional.empty());
            }
            freeze = Optional.of(new Freeze(embeddings, layers)).filter(f -> method == Method.FREEZE);
        }
        Optional<Lora> lora = Optional.empty();
        if (method == Method.LORA || loraSection.valid()) {
            lora = Optional.of(new Lora(integer(loraSection, "rank", 8, 1, 4096),
                    number(loraSection, "alpha", 16, 0, false, 1e6, true),
                    number(loraSection, "dropout", 0.05, 0, true, 1, false),
                    stringList(loraSection, "targets", List.of("q", "v"), LORA_TARGETS, true)))
                    .filter(l -> method == Method.LORA);
        }
        Pooling pooling = enumValue(s, "classifier_pooling", Pooling.class, Pooling.MEAN);
        return new Finetune(tasks, method, freeze, lora, pooling);
    }

    private Synthesize bindSynthesize(Section s, Corpus corpus) {
        if (corpus.table().isEmpty()) {
            problem(s.anchor(), "synthesize", "needs corpus.table (the table to"
                    + " imitate)", Optional.empty());
        }
        List<String> methods = stringList(s, "methods", SYNTH_DEFAULT_METHODS, SYNTH_METHODS, true);
        Optional<Integer> rows = optionalInteger(s, "rows", 1, 100_000_000);
        int epochs = integer(s, "epochs", 300, 0, 1_000_000);
        int steps = integer(s, "steps", 0, 0, Integer.MAX_VALUE);
        // the neural synthesizers train max(epochs x steps per epoch, steps) steps: zero would leave them untrained
        for (String neural : List.of("ctgan", "tvae")) {
            if (methods.contains(neural) && epochs == 0 && steps == 0) {
                problem(s.has("epochs") ? s.value("epochs") : s.value("steps"), "synthesize.epochs", neural
                        + " needs epochs or steps above 0", Optional.empty());
                break;
            }
        }
        int batchSize = integer(s, "batch_size", 500, 1, 1 << 20);
        int pac = integer(s, "pac", 10, 1, 1024);
        if (batchSize % pac != 0) {
            problem(s.has("batch_size") ? s.value("batch_size") : s.value("pac"), "synthesize.batch_size",
                    "must be a multiple of pac (" + pac + "), got " + batchSize,
                    Optional.of("the critic scores pac rows at a time"));
        }
        int noiseDim = integer(s, "noise_dim", 128, 1, 1 << 16);
        List<Integer> generatorDims = intList(s, "generator_dims", List.of(256, 256), 1, 1 << 16);
        List<Integer> criticDims = intList(s, "critic_dims", List.of(256, 256), 1, 1 << 16);
        double generatorLr = number(s, "generator_learning_rate", 2e-4, 0, false, 10, true);
        double criticLr = number(s, "critic_learning_rate", 2e-4, 0, false, 10, true);
        boolean logFrequency = bool(s, "log_frequency", true);
        boolean augment = bool(s, "augment", false);
        if (augment && corpus.table().isPresent() && corpus.table().get().target().isEmpty()) {
            problem(s.value("augment"), "synthesize.augment", "augment needs corpus.table.target (the column the"
                    + " downstream model predicts)", Optional.empty());
        }
        double augmentRatio = number(s, "augment_ratio", 1.0, 0, false, 100, true);
        boolean clip = bool(s, "clip_to_range", true);
        return new Synthesize(methods, rows, epochs, steps, batchSize, pac, noiseDim, generatorDims, criticDims,
                generatorLr, criticLr, logFrequency, augment, augmentRatio, clip);
    }

    private Evaluate bindEvaluate(Section s, Corpus corpus) {
        boolean languageModel = bool(s, "language_model", true);
        boolean classifier = bool(s, "classifier", true);
        boolean synthetic = bool(s, "synthetic", true);
        int bootstrap = integer(s, "bootstrap_samples", 1000, 1, 1_000_000);
        double confidence = number(s, "confidence", 0.95, 0, false, 1, false);
        List<String> prompts = stringList(s, "prompts", List.of(), null, false);
        if (!prompts.isEmpty() && corpus.text().isEmpty()) {
            problem(s.value("prompts"), "evaluate.prompts", "prompts need corpus.text (generations come from the"
                    + " language model)", Optional.empty());
        }
        int maxNewTokens = integer(s, "max_new_tokens", 64, 1, 1 << 16);
        double temperature = number(s, "temperature", 0.8, 0, true, 100, true);
        List<String> baselines = stringList(s, "baselines", BASELINES, BASELINES, false);
        return new Evaluate(languageModel, classifier, synthetic, bootstrap, confidence, prompts, maxNewTokens,
                temperature, baselines);
    }

    private Report bindReport(Section s, String name) {
        List<String> formats = stringList(s, "formats", REPORT_FORMATS, REPORT_FORMATS, true);
        String title = string(s, "title", name);
        return new Report(formats, title);
    }

    // ------------------------------------------------------------------------------------------- typed accessors

    /** A mapping of the recipe at a dotted path; {@code node} is null when absent or not a mapping. */
    private final class Section {
        final String path;
        final Node keyNode;
        final MappingNode node;
        final boolean present;
        final Map<String, NodeTuple> entries = new LinkedHashMap<>();

        Section(String path, Node keyNode, MappingNode node, boolean present) {
            this.path = path;
            this.keyNode = keyNode;
            this.node = node;
            this.present = present;
            if (node == null) {
                return;
            }
            List<String> allowed = RecipeFields.children(path);
            for (NodeTuple tuple : node.getValue()) {
                Node key = tuple.getKeyNode();
                if (!(key instanceof ScalarNode scalar) || !isStandard(key) || key.getTag().equals(Tag.NULL)) {
                    problem(key, path, key.getTag().equals(Tag.MERGE) ? "merge keys (<<) are not supported"
                            : "keys must be plain names, got " + describe(key), Optional.empty());
                    continue;
                }
                String name = scalar.getValue();
                String dotted = dotted(name);
                NodeTuple first = entries.get(name);
                if (first != null) {
                    problem(key, dotted, "duplicate key (first at line " + line(first.getKeyNode()) + ")",
                            Optional.empty());
                } else if (!allowed.contains(name)) {
                    problem(key, dotted, "unknown key", suggestKey(name, path, allowed));
                } else {
                    entries.put(name, tuple);
                    located(dotted, tuple.getValueNode());
                }
            }
        }

        boolean valid() {
            return node != null;
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        Node value(String key) {
            NodeTuple tuple = entries.get(key);
            return tuple == null ? null : tuple.getValueNode();
        }

        Node keyNode(String key) {
            NodeTuple tuple = entries.get(key);
            return tuple == null ? null : tuple.getKeyNode();
        }

        /** Item {@code index} of a list value that has {@code size} items, or the value itself. */
        Node item(String key, int index, int size) {
            Node value = value(key);
            if (value instanceof SequenceNode seq && seq.getValue().size() == size) {
                return seq.getValue().get(index);
            }
            return value;
        }

        /** The first item of a list value that reads {@code text}, or the value itself. */
        Node item(String key, String text) {
            Node value = value(key);
            if (value instanceof SequenceNode seq) {
                for (Node item : seq.getValue()) {
                    if (item instanceof ScalarNode scalar && scalar.getValue().equals(text)) {
                        return item;
                    }
                }
            }
            return value;
        }

        /** Where to point for a problem about the section as a whole (e.g. a missing key). */
        Node anchor() {
            return keyNode != null ? keyNode : node;
        }

        String dotted(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }
    }

    private Section section(Section parent, String key) {
        String path = parent.dotted(key);
        if (!parent.has(key)) {
            return new Section(path, null, null, false);
        }
        Node value = parent.value(key);
        if (value instanceof MappingNode map && isStandard(value)) {
            return new Section(path, parent.keyNode(key), map, true);
        }
        typeProblem(value, path, "a mapping");
        return new Section(path, parent.keyNode(key), null, true);
    }

    private void missing(Section s, String key) {
        problem(s.anchor(), s.dotted(key), "required field is missing", Optional.empty());
    }

    /** Records where {@code dotted} was written, for problems found after binding ({@link RecipeLocations}). */
    private void located(String dotted, Node node) {
        if (node != null && (overrideOrigin.containsKey(node) || node.getStartMark() != null)) {
            locations.put(dotted, overrideOrigin.get(node), line(node),
                    node.getStartMark() == null ? 0 : node.getStartMark().getColumn() + 1);
        }
    }

    private void source(String dotted, Node node) {
        String origin = overrideOrigin.get(node);
        sources.put(dotted, origin != null ? "--set" : file + ":" + line(node));
    }

    /** A scalar value, or empty after reporting what else was there. */
    private Optional<ScalarNode> scalar(Node node, String dotted, String expected) {
        if (node instanceof ScalarNode scalar && isStandard(node) && !node.getTag().equals(Tag.NULL)) {
            return Optional.of(scalar);
        }
        typeProblem(node, dotted, expected);
        return Optional.empty();
    }

    private void typeProblem(Node node, String dotted, String expected) {
        if (!isStandard(node)) {
            problem(node, dotted, "custom YAML tags are not allowed, got " + node.getTag().getValue(),
                    Optional.empty());
        } else {
            problem(node, dotted, "must be " + expected + ", got " + describe(node), Optional.empty());
        }
    }

    private String requiredString(Section s, String key, String fallback) {
        if (!s.has(key)) {
            missing(s, key);
            return fallback;
        }
        return string(s, key, fallback);
    }

    private String string(Section s, String key, String dflt) {
        return optionalString(s, key).orElseGet(() -> {
            if (!s.has(key)) {
                sources.put(s.dotted(key), "default");
            }
            return dflt;
        });
    }

    private Optional<String> optionalString(Section s, String key) {
        Node node = s.value(key);
        if (node == null) {
            return Optional.empty();
        }
        source(s.dotted(key), node);
        return scalar(node, s.dotted(key), "a string").map(ScalarNode::getValue);
    }

    private Optional<String> optionalEnumString(Section s, String key, List<String> allowed) {
        Optional<String> value = optionalString(s, key);
        if (value.isPresent() && !allowed.contains(value.get())) {
            problem(s.value(key), s.dotted(key), "unknown value " + quote(value.get()),
                    Optional.of("allowed values: " + String.join(", ", allowed)));
            return Optional.empty();
        }
        return value;
    }

    private <E extends Enum<E>> E enumValue(Section s, String key, Class<E> type, E dflt) {
        Node node = s.value(key);
        if (node == null) {
            sources.put(s.dotted(key), "default");
            return dflt;
        }
        source(s.dotted(key), node);
        List<String> allowed = lowerNames(type.getEnumConstants());
        Optional<ScalarNode> scalar = scalar(node, s.dotted(key), "one of " + String.join(", ", allowed));
        if (scalar.isEmpty()) {
            return dflt;
        }
        String text = scalar.get().getValue();
        int index = allowed.indexOf(text);
        if (index < 0) {
            problem(node, s.dotted(key), "unknown value " + quote(text),
                    Optional.of("allowed values: " + String.join(", ", allowed)));
            return dflt;
        }
        return type.getEnumConstants()[index];
    }

    private boolean bool(Section s, String key, boolean dflt) {
        Node node = s.value(key);
        if (node == null) {
            sources.put(s.dotted(key), "default");
            return dflt;
        }
        source(s.dotted(key), node);
        Optional<ScalarNode> scalar = scalar(node, s.dotted(key), "true or false");
        if (scalar.isPresent()) {
            String text = scalar.get().getValue();
            if (scalar.get().isPlain() && text.equals("true")) {
                return true;
            }
            if (scalar.get().isPlain() && text.equals("false")) {
                return false;
            }
            problem(node, s.dotted(key), "must be true or false, got " + describe(node),
                    Optional.of("write true or false (yes/no/on/off are not booleans here)"));
        }
        return dflt;
    }

    private Optional<Long> parseInteger(Node node, String dotted) {
        Optional<ScalarNode> scalar = scalar(node, dotted, "an integer");
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        String text = scalar.get().getValue();
        if (!scalar.get().isPlain() || !INTEGER.matcher(text).matches()) {
            problem(node, dotted, "must be an integer, got " + describe(node), Optional.empty());
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text.startsWith("+") ? text.substring(1) : text));
        } catch (NumberFormatException e) {
            problem(node, dotted, "must be an integer that fits in 64 bits, got " + text, Optional.empty());
            return Optional.empty();
        }
    }

    private long longValue(Section s, String key, long dflt, long min, long max) {
        Node node = s.value(key);
        if (node == null) {
            sources.put(s.dotted(key), "default");
            return dflt;
        }
        source(s.dotted(key), node);
        Optional<Long> value = parseInteger(node, s.dotted(key));
        if (value.isEmpty()) {
            return dflt;
        }
        if (value.get() < min) {
            problem(node, s.dotted(key), "must be at least " + min + ", got " + value.get(), Optional.empty());
            return dflt;
        }
        if (value.get() > max) {
            problem(node, s.dotted(key), "must be at most " + max + ", got " + value.get(), Optional.empty());
            return dflt;
        }
        return value.get();
    }

    private int integer(Section s, String key, int dflt, int min, int max) {
        return (int) longValue(s, key, dflt, min, max);
    }

    private Optional<Integer> optionalInteger(Section s, String key, int min, int max) {
        if (!s.has(key)) {
            return Optional.empty();
        }
        return Optional.of(integer(s, key, min, min, max));
    }

    private double number(Section s, String key, double dflt, double min, boolean minInclusive, double max,
                          boolean maxInclusive) {
        Node node = s.value(key);
        String dotted = s.dotted(key);
        if (node == null) {
            sources.put(dotted, "default");
            return dflt;
        }
        source(dotted, node);
        Optional<ScalarNode> scalar = scalar(node, dotted, "a number");
        if (scalar.isEmpty()) {
            return dflt;
        }
        String text = scalar.get().getValue();
        if (!scalar.get().isPlain() || !NUMBER.matcher(text).matches()) {
            problem(node, dotted, "must be a number, got " + describe(node), Optional.empty());
            return dflt;
        }
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value)) {
            problem(node, dotted, "must be a finite number, got " + text, Optional.empty());
            return dflt;
        }
        if (value < min || (!minInclusive && value == min)) {
            problem(node, dotted, (minInclusive ? "must be at least " : "must be greater than ") + plain(min)
                    + ", got " + text, Optional.empty());
            return dflt;
        }
        if (value > max || (!maxInclusive && value == max)) {
            problem(node, dotted, (maxInclusive ? "must be at most " : "must be less than ") + plain(max)
                    + ", got " + text, Optional.empty());
            return dflt;
        }
        return value;
    }

    /** Scalar items of a list (a single scalar is accepted as a one-item list for {@code training.devices}). */
    private List<String> stringList(Section s, String key, List<String> dflt, List<String> allowed,
                                    boolean nonEmpty) {
        Node node = s.value(key);
        String dotted = s.dotted(key);
        if (node == null) {
            sources.put(dotted, "default");
            return dflt;
        }
        source(dotted, node);
        List<Node> items;
        if (node instanceof SequenceNode seq && isStandard(node)) {
            items = seq.getValue();
        } else if (dotted.equals("training.devices") && node instanceof ScalarNode && isStandard(node)
                && !node.getTag().equals(Tag.NULL)) {
            items = List.of(node);
        } else {
            if (node instanceof ScalarNode scalar && isStandard(node) && !node.getTag().equals(Tag.NULL)) {
                problem(node, dotted, "must be a list, got " + describe(node),
                        Optional.of("write a list: [" + scalar.getValue() + "]"));
            } else {
                typeProblem(node, dotted, "a list");
            }
            return dflt;
        }
        if (nonEmpty && items.isEmpty()) {
            problem(node, dotted, "must not be empty", allowed == null ? Optional.empty()
                    : Optional.of("allowed values: " + String.join(", ", allowed)));
            return dflt;
        }
        // Bad items are reported and left out, so that later checks still see the good ones.
        List<String> values = new ArrayList<>();
        for (Node item : items) {
            Optional<ScalarNode> scalar = scalar(item, dotted, "a string");
            if (scalar.isEmpty()) {
                continue;
            }
            String text = scalar.get().getValue();
            if (allowed != null && !allowed.contains(text)) {
                problem(item, dotted, "unknown value " + quote(text),
                        Optional.of("allowed values: " + String.join(", ", allowed)));
            } else if (allowed != null && values.contains(text)) {
                problem(item, dotted, "lists " + quote(text) + " twice", Optional.empty());
            } else {
                values.add(text);
            }
        }
        return values.isEmpty() && nonEmpty ? dflt : List.copyOf(values);
    }

    private List<Integer> intList(Section s, String key, List<Integer> dflt, int min, int max) {
        Node node = s.value(key);
        String dotted = s.dotted(key);
        if (node == null) {
            sources.put(dotted, "default");
            return dflt;
        }
        source(dotted, node);
        if (!(node instanceof SequenceNode seq) || !isStandard(node)) {
            typeProblem(node, dotted, "a list of integers");
            return dflt;
        }
        if (seq.getValue().isEmpty()) {
            problem(node, dotted, "must not be empty", Optional.empty());
            return dflt;
        }
        List<Integer> values = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Optional<Long> value = parseInteger(item, dotted);
            if (value.isEmpty()) {
                return dflt;
            }
            if (value.get() < min || value.get() > max) {
                problem(item, dotted, "items must be between " + min + " and " + max + ", got " + value.get(),
                        Optional.empty());
                return dflt;
            }
            values.add(value.get().intValue());
        }
        return List.copyOf(values);
    }

    /** A mapping of free keys to one of {@code allowed} values (corpus.table.column_types). */
    private Map<String, String> stringMap(Section s, String key, List<String> allowed) {
        Node node = s.value(key);
        String dotted = s.dotted(key);
        if (node == null) {
            sources.put(dotted, "default");
            return Map.of();
        }
        source(dotted, node);
        if (!(node instanceof MappingNode map) || !isStandard(node)) {
            typeProblem(node, dotted, "a mapping of column name to type");
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Node> firstKeys = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Optional<ScalarNode> name = scalar(tuple.getKeyNode(), dotted, "a column name");
            Optional<ScalarNode> type = scalar(tuple.getValueNode(), dotted, "a column type");
            if (name.isEmpty() || type.isEmpty()) {
                continue;
            }
            String column = name.get().getValue();
            if (firstKeys.containsKey(column)) {
                problem(tuple.getKeyNode(), dotted + "." + column, "duplicate key (first at line "
                        + line(firstKeys.get(column)) + ")", Optional.empty());
                continue;
            }
            firstKeys.put(column, tuple.getKeyNode());
            if (!allowed.contains(type.get().getValue())) {
                problem(tuple.getValueNode(), dotted + "." + column, "unknown value " + quote(type.get().getValue()),
                        Optional.of("allowed values: " + String.join(", ", allowed)));
                continue;
            }
            values.put(column, type.get().getValue());
        }
        return Collections.unmodifiableMap(values);
    }

    private Path requiredPath(Section s, String key) {
        if (!s.has(key)) {
            missing(s, key);
            return null;
        }
        return optionalString(s, key).map(text -> resolvePath(s.value(key), s.dotted(key), text)).orElse(null);
    }

    /** Relative paths are relative to the recipe file, or to the working directory when given by --set. */
    private Path resolvePath(Node node, String dotted, String text) {
        if (text.isBlank()) {
            problem(node, dotted, "must not be empty", Optional.empty());
            return recipeFolder;
        }
        try {
            Path path = Path.of(text);
            Path base = overrideOrigin.containsKey(node) ? Path.of("").toAbsolutePath() : recipeFolder;
            return path.isAbsolute() ? path.normalize() : base.resolve(path).normalize();
        } catch (InvalidPathException e) {
            problem(node, dotted, "is not a valid path: " + e.getReason(), Optional.empty());
            return recipeFolder;
        }
    }

    // ------------------------------------------------------------------------------------------------- problems

    private void problem(Node at, String key, String message, Optional<String> hint) {
        String origin = at == null ? null : overrideOrigin.get(at);
        if (origin != null) {
            problems.add(new Problem("--set " + origin, 0, 0, key, message, hint));
        } else if (at == null || at.getStartMark() == null) {
            problems.add(new Problem(file, 0, 0, key, message, hint));
        } else {
            problems.add(new Problem(file, at.getStartMark().getLine() + 1, at.getStartMark().getColumn() + 1, key,
                    message, hint));
        }
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static boolean isStandard(Node node) {
        return node.getTag().getValue().startsWith(STANDARD_TAG);
    }

    /** What the user wrote, for "got ..." in messages. */
    static String describe(Node node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.isPlain() && scalar.getTag().equals(Tag.NULL)) {
            return "nothing (null)";
        }
        String text = scalar.getValue();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return scalar.isPlain() ? quote(text) : "the quoted string " + quote(text);
    }

    static String quote(String text) {
        return "'" + text + "'";
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> lowerNames(Enum<?>[] values) {
        return Arrays.stream(values).map(RecipeBinder::lower).toList();
    }

    private static String names(List<Format> formats) {
        return String.join(", ", formats.stream().map(RecipeBinder::lower).toList());
    }

    // ------------------------------------------------------------------------------------------------ did you mean

    /** A close key at the same level, else the same key elsewhere in the recipe, else the keys allowed here. */
    static Optional<String> suggestKey(String name, String section, List<String> allowed) {
        List<String> close = similar(name, allowed);
        if (!close.isEmpty()) {
            return Optional.of(didYouMean(close));
        }
        for (String key : RecipeFields.ALL) {
            if (key.equals(name) || key.endsWith("." + name)) {
                return Optional.of("did you mean " + quote(key) + "? (" + quote(name) + " belongs "
                        + (key.equals(name) ? "at the top level"
                        : "under " + key.substring(0, key.length() - name.length() - 1)) + ")");
            }
        }
        return allowed.isEmpty() ? Optional.empty()
                : Optional.of("allowed keys " + (section.isEmpty() ? "at the top level" : "in " + section) + ": "
                + String.join(", ", allowed));
    }

    /** For a --set key: a similar key in the same section, else a key with the same or a similar last part. */
    static Optional<String> suggestDotted(String key) {
        int dot = key.lastIndexOf('.');
        String section = dot < 0 ? "" : key.substring(0, dot);
        String last = key.substring(dot + 1);
        if (section.isEmpty() || (RecipeFields.contains(section)
                && RecipeFields.kind(section) == RecipeFields.Kind.SECTION)) {
            List<String> close = similar(last, RecipeFields.children(section));
            if (!close.isEmpty()) {
                return Optional.of(didYouMean(close.stream()
                        .map(c -> section.isEmpty() ? c : section + "." + c).toList()));
            }
        }
        List<String> sameLast = new ArrayList<>();
        for (String candidate : RecipeFields.ALL) {
            if (candidate.substring(candidate.lastIndexOf('.') + 1).equals(last)) {
                sameLast.add(candidate);
            }
        }
        List<String> close = sameLast.isEmpty() ? similar(key, RecipeFields.ALL) : sameLast;
        return Optional.of(close.isEmpty() || close.size() > 3
                ? "see `workbench schema` or docs/recipe-reference.md for every key" : didYouMean(close));
    }

    private static String didYouMean(List<String> candidates) {
        return "did you mean " + String.join(" or ", candidates.stream().map(RecipeBinder::quote).toList()) + "?";
    }

    /**
     * Candidates a typo most likely meant: the nearest by edit distance when near enough; otherwise those the name
     * abbreviates ({@code lr} -> {@code learning_rate}, {@code lr_schedule}) or starts
     * ({@code gradient_accumulation} -> {@code gradient_accumulation_steps}). At most three.
     */
    static List<String> similar(String name, List<String> candidates) {
        int limit = name.length() <= 4 ? 1 : name.length() <= 8 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        if (best != null && bestDistance <= limit) {
            return List.of(best);
        }
        List<String> found = new ArrayList<>();
        for (String candidate : candidates) {
            boolean prefix = name.length() >= 2 && candidate.startsWith(name);
            if (prefix || initials(candidate).equals(name)) {
                found.add(candidate);
            }
        }
        return found.size() <= 3 ? found : List.of();
    }

    private static String initials(String key) {
        StringBuilder initials = new StringBuilder();
        for (String part : key.split("_")) {
            if (!part.isEmpty()) {
                initials.append(part.charAt(0));
            }
        }
        return initials.toString();
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
