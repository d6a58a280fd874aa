package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.Splits;
import dev.workbench.data.TextDocument;
import dev.workbench.eval.RunFiles;
import dev.workbench.eval.Samples;
import dev.workbench.model.Checkpoint;
import dev.workbench.model.CheckpointManifest;
import dev.workbench.model.CheckpointConfig;
import dev.workbench.model.CheckpointIO;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.Freezing;
import dev.workbench.model.GptConfig;
import dev.workbench.model.Generator;
import dev.workbench.model.GptModel;
import dev.workbench.model.Lora;
import dev.workbench.model.NamedParameters;
import dev.workbench.model.SamplingConfig;
import dev.workbench.model.Safetensors;
import dev.workbench.model.Tokenizer;
import dev.workbench.model.Tokenizers;
import dev.workbench.model.hf.HfGpt2Importer;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunStore;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Stage {@code finetune}: for each task of {@code recipe.finetune.tasks}, build the base model, apply the method
 * (full, freeze, lora), measure the base, train with {@link TrainingLoop}, measure the fine-tuned model, and write:
 * <pre>
 *   finetune/&lt;task&gt;/metrics.csv              per-step curve
 *   checkpoints/&lt;task&gt;/step-NNNNNN/, best/     loadable checkpoints (best = lowest validation loss)
 *   predictions/lm_test.csv                    id, bytes, base_bits, finetuned_bits, words, tokens, text_sha256
 *   predictions/classifier_test.csv            id, label, predicted, confidence
 *   predictions/generations.jsonl              evaluate.prompts, base vs fine-tuned, same seed
 *   metrics.jsonl rows                         stage finetune, subject base / finetuned
 * </pre>
 * The base of a task: a {@code preset} (random init, GPT-2 scheme, tokenizer trained on the task's training texts),
 * or a {@code checkpoint} given as a checkpoint folder, a run folder or a run id (then
 * {@code <runs>/<recipe>/<id>/checkpoints/language_model/best}). With {@code RunContext.resumeFrom}, each task
 * continues from the newest complete checkpoint of that earlier run.
 */
public final class FinetuneStage implements Stage {
    public static final String NAME = "finetune";
    public static final String LM_PREDICTIONS = "predictions/lm_test.csv";
    public static final String CLASSIFIER_PREDICTIONS = "predictions/classifier_test.csv";
    /** The "base model with a trained head" baseline's predictions (only when the recipe starts from a base). */
    public static final String CLASSIFIER_PROBE_PREDICTIONS = "predictions/classifier_probe_test.csv";
    static final String PROBE_TASK = "classifier_probe";
    private static final String HEAD_PREFIX = "head.";
    public static final String GENERATIONS = "predictions/generations.jsonl";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled(Recipe recipe) {
        return recipe.finetune().isPresent();
    }

    @Override
    public void run(RunContext context) throws Exception {
        Recipe recipe = context.recipe();
        Finetune finetune = recipe.finetune().orElseThrow();
        List<Device> devices = TrainingDevices.all(recipe.training());
        context.log().printf("finetune: device%s %s, precision fp32%s%n", devices.size() > 1 ? "s" : "", devices,
                devices.size() > 1 ? "; data parallel: each micro-batch split across them" : "");
        for (Finetune.Task task : finetune.tasks()) {
            switch (task) {
                case LANGUAGE_MODEL -> languageModel(context, finetune, devices);
                case CLASSIFIER -> classifier(context, finetune, devices);
                default -> throw new IllegalStateException("unknown task " + task);
            }
        }
    }

    /**
     * Window length for training and scoring: the recipe's {@code context_length} when it asks for less than the base
     * model holds (a 1024-position GPT-2 trained on 128-token windows), else all of the base's positions.
     */
    static int trainingContext(BaseModel base, GptConfig model) {
        return base.contextLength() > 0 ? Math.min(base.contextLength(), model.contextLength())
                : model.contextLength();
    }

    static String folderName(Finetune.Task task) {
        return task.name().toLowerCase(Locale.ROOT);
    }

    // ---- language model ---------------------------------------------------------------------------------------

    private void languageModel(RunContext context, Finetune finetune, List<Device> devices) throws IOException {
        Device device = devices.get(0);
        Recipe recipe = context.recipe();
        Training training = recipe.training();
        Splits<TextDocument> text = context.data().text().orElseThrow(() -> WorkbenchException.invalid(
                recipe.source() + ": finetune task language_model needs corpus.text"));
        String taskName = folderName(Finetune.Task.LANGUAGE_MODEL);
        String dataset = recipe.domain() + "/text";
        Engine.getInstance().setRandomSeed((int) recipe.seed());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            // ---- base: model + tokenizer --------------------------------------------------------------------
            Tokenizer tokenizer;
            GptModel model;
            BaseModel.TokenizerKind tokenizerKind;
            Optional<Path> baseCheckpoint = baseCheckpoint(context);
            if (baseCheckpoint.isPresent()) {
                Checkpoint checkpoint = openBase(recipe, baseCheckpoint.get(), Finetune.Task.LANGUAGE_MODEL);
                tokenizer = baseTokenizer(recipe, checkpoint);
                model = checkpoint.loadLanguageModel(manager);
                Lora.merge(model);
                Freezing.apply(model, name -> true);
                tokenizerKind = checkpoint.config().tokenizer();
                context.log().printf("finetune: language model base %s%n", baseCheckpoint.get());
            } else if (recipe.baseModel().hf().isPresent()) {
                HfGpt2Importer.Imported imported = HfGpt2Importer.load(recipe.baseModel().hf().get(), manager);
                tokenizer = imported.tokenizer();
                model = imported.model();
                tokenizerKind = BaseModel.TokenizerKind.FILE;
                context.log().printf("finetune: language model base %s (Hugging Face GPT-2)%n",
                        recipe.baseModel().hf().get());
            } else {
                tokenizer = Tokenizers.train(recipe.baseModel().tokenizer(), texts(text.train()));
                model = GptModel.create(GptConfig.from(recipe.baseModel(), tokenizer.vocabSize()), recipe.seed(),
                        manager);
                tokenizerKind = recipe.baseModel().tokenizer().kind();
            }
            int context0 = trainingContext(recipe.baseModel(), model.config());

            // ---- the base, measured before anything trains ----------------------------------------------------
            int evalBatch = Math.max(1, training.batchSize());
            List<LanguageModelEvaluation.DocumentScore> baseTest = LanguageModelEvaluation.score(model, tokenizer,
                    text.test(), context0, evalBatch, device);
            List<LanguageModelEvaluation.DocumentScore> baseValidation = LanguageModelEvaluation.score(model,
                    tokenizer, text.validation(), context0, evalBatch, device);
            appendLmRows(context, "base", dataset, "validation", baseValidation);
            appendLmRows(context, "base", dataset, "test", baseTest);
            SamplingConfig sampling = new SamplingConfig(recipe.evaluate().maxNewTokens(),
                    recipe.evaluate().temperature(), 0, 1.0, recipe.seed());
            List<String> baseGenerations = generate(model, tokenizer, recipe.evaluate().prompts(), sampling);

            // ---- method ---------------------------------------------------------------------------------------
            GptModel lm = model;
            CheckpointConfig checkpointConfig = applyMethod(recipe, finetune, model, model.config(),
                    CheckpointConfig.languageModel(model.config(), tokenizerKind),
                    spec -> Lora.apply(lm, spec, recipe.seed()));
            ModelParameters parameters = ModelParameters.of(model);
            context.log().printf(Locale.ROOT, "finetune: language model %,d parameters, %,d trainable (%s)%n",
                    parameters.count(), parameters.trainableCount(), finetune.method().name().toLowerCase(Locale.ROOT));

            // ---- train ------------------------------------------------------------------------------------------
            TokenWindows trainWindows = TokenWindows.pack(encode(tokenizer, text.train()), tokenizer.endOfTextId(),
                    context0);
            TokenWindows validationWindows = TokenWindows.pack(encode(tokenizer, text.validation()),
                    tokenizer.endOfTextId(), context0);
            long steps = training.maxSteps().map(Integer::longValue).orElseGet(() -> LanguageModelTask.stepsFor(
                    training.epochs().orElse(1), trainWindows.count(), training.batchSize(),
                    training.gradientAccumulationSteps()));
            CheckpointConfig savedConfig = checkpointConfig;
            Tokenizer savedTokenizer = tokenizer;
            GptModel savedModel = model;
            LanguageModelTask task = new LanguageModelTask(model, parameters, trainWindows, validationWindows,
                    training.batchSize(), training.gradientAccumulationSteps(), recipe.seed(),
                    (target, trainingFiles) -> CheckpointIO.save(target, savedConfig, savedModel,
                            savedTokenizer::save, Safetensors.DType.F32, trainingFiles::write));
            TrainingLoop.Result result = train(context, taskName, task, steps, devices);
            appendTrainingRows(context, dataset, result);

            // ---- the fine-tuned model (best checkpoint's weights), measured ---------------------------------------
            List<LanguageModelEvaluation.DocumentScore> tunedTest = LanguageModelEvaluation.score(model, tokenizer,
                    text.test(), context0, evalBatch, device);
            List<LanguageModelEvaluation.DocumentScore> tunedValidation = LanguageModelEvaluation.score(model,
                    tokenizer, text.validation(), context0, evalBatch, device);
            appendLmRows(context, "finetuned", dataset, "validation", tunedValidation);
            appendLmRows(context, "finetuned", dataset, "test", tunedTest);
            writeLmPredictions(context.runFolder().resolve(LM_PREDICTIONS), text.test(), baseTest, tunedTest);
            writeGenerations(context.runFolder().resolve(GENERATIONS), recipe.evaluate().prompts(), baseGenerations,
                    generate(model, tokenizer, recipe.evaluate().prompts(), sampling), sampling);
        }
    }

    // ---- classifier ---------------------------------------------------------------------------------------------

    private void classifier(RunContext context, Finetune finetune, List<Device> devices) throws IOException {
        Device device = devices.get(0);
        Recipe recipe = context.recipe();
        Training training = recipe.training();
        Splits<LabelledExample> data = context.data().labelled().orElseThrow(() -> WorkbenchException.invalid(
                recipe.source() + ": finetune task classifier needs corpus.labelled"));
        String taskName = folderName(Finetune.Task.CLASSIFIER);
        String dataset = recipe.domain() + "/labelled";
        List<String> labels = new ArrayList<>(new TreeSet<>(data.train().stream().map(LabelledExample::label)
                .toList()));
        if (labels.size() < 2) {
            throw WorkbenchException.invalid(recipe.source() + ": the labelled training split has "
                    + labels.size() + " distinct label(s); a classifier needs at least 2");
        }
        Engine.getInstance().setRandomSeed((int) recipe.seed());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Tokenizer tokenizer;
            ClassifierModel model;
            BaseModel.TokenizerKind tokenizerKind;
            Optional<Path> baseCheckpoint = baseCheckpoint(context);
            if (baseCheckpoint.isPresent()) {
                Checkpoint checkpoint = openBase(recipe, baseCheckpoint.get(), Finetune.Task.CLASSIFIER);
                tokenizer = baseTokenizer(recipe, checkpoint);
                model = checkpoint.loadClassifierBase(labels.size(), finetune.classifierPooling(), recipe.seed(),
                        manager);
                Freezing.apply(model, name -> true);
                tokenizerKind = checkpoint.config().tokenizer();
            } else if (recipe.baseModel().hf().isPresent()) {
                Path hf = recipe.baseModel().hf().get();
                tokenizer = HfGpt2Importer.loadTokenizer(hf);
                model = HfGpt2Importer.loadClassifierBase(hf, labels.size(), finetune.classifierPooling(),
                        recipe.seed(), manager);
                tokenizerKind = BaseModel.TokenizerKind.FILE;
            } else {
                List<String> corpus = new ArrayList<>(data.train().stream().map(LabelledExample::text).toList());
                context.data().text().ifPresent(t -> corpus.addAll(texts(t.train())));
                tokenizer = Tokenizers.train(recipe.baseModel().tokenizer(), corpus);
                model = ClassifierModel.create(GptConfig.from(recipe.baseModel(), tokenizer.vocabSize()),
                        labels.size(), finetune.classifierPooling(), recipe.seed(), manager);
                tokenizerKind = recipe.baseModel().tokenizer().kind();
            }
            // The untrained head makes the base classifier's scores meaningless: no base rows for this task.
            ClassifierModel classifier = model;
            CheckpointConfig checkpointConfig = applyMethod(recipe, finetune, model, model.config(),
                    CheckpointConfig.classifier(model.config(), tokenizerKind, labels, finetune.classifierPooling()),
                    spec -> Lora.apply(classifier, spec, recipe.seed()));
            ModelParameters parameters = ModelParameters.of(model);
            context.log().printf(Locale.ROOT, "finetune: classifier %d classes, %,d parameters, %,d trainable%n",
                    labels.size(), parameters.count(), parameters.trainableCount());

            int contextLength = trainingContext(recipe.baseModel(), model.config());
            ClassifierTask.Encoded train = ClassifierTask.Encoded.of(data.train(), labels, tokenizer, contextLength);
            ClassifierTask.Encoded validation = ClassifierTask.Encoded.of(data.validation(), labels, tokenizer,
                    contextLength);
            long steps = training.maxSteps().map(Integer::longValue).orElseGet(() -> ClassifierTask.stepsFor(
                    training.epochs().orElse(1), train.size(), training.batchSize(),
                    training.gradientAccumulationSteps()));
            CheckpointConfig savedConfig = checkpointConfig;
            Tokenizer savedTokenizer = tokenizer;
            ClassifierModel savedModel = model;
            ClassifierTask task = new ClassifierTask(model, parameters, train, validation, training.batchSize(),
                    training.gradientAccumulationSteps(), recipe.seed(),
                    (target, trainingFiles) -> CheckpointIO.save(target, savedConfig, savedModel,
                            savedTokenizer::save, Safetensors.DType.F32, trainingFiles::write));
            TrainingLoop.Result result = train(context, taskName, task, steps, devices);
            appendTrainingRows(context, dataset, result);

            ClassifierTask.Encoded test = ClassifierTask.Encoded.of(data.test(), labels, tokenizer, contextLength);
            List<ClassifierTask.Prediction> predictions = ClassifierTask.predict(model, test,
                    Math.max(1, training.batchSize()), manager);
            List<String> truth = data.test().stream().map(LabelledExample::label).toList();
            List<String> predicted = predictions.stream().map(p -> labels.get(p.predicted())).toList();
            long n = truth.size();
            if (n > 0) {
                double loss = predictions.stream().mapToDouble(ClassifierTask.Prediction::loss)
                        .filter(Double::isFinite).average().orElse(Double.NaN);
                context.metrics().appendAll(List.of(
                        MetricRow.of(NAME, "finetuned", dataset, "test", "accuracy",
                                ClassifierMetrics.accuracy(truth, predicted), n, true),
                        MetricRow.of(NAME, "finetuned", dataset, "test", "macro_f1",
                                ClassifierMetrics.macroF1(truth, predicted), n, true),
                        MetricRow.of(NAME, "finetuned", dataset, "test", "loss", loss, n, false)));
            }
            writeClassifierPredictions(context.runFolder().resolve(CLASSIFIER_PREDICTIONS), data.test(), predicted,
                    predictions);

            // ---- baseline: the base model with only a new head trained (trunk frozen), same data and steps ----
            if (baseCheckpoint.isPresent() || recipe.baseModel().hf().isPresent()) {
                ClassifierModel probe = baseCheckpoint.isPresent()
                        ? openBase(recipe, baseCheckpoint.get(), Finetune.Task.CLASSIFIER).loadClassifierBase(
                                labels.size(), finetune.classifierPooling(), recipe.seed(), manager)
                        : HfGpt2Importer.loadClassifierBase(recipe.baseModel().hf().get(), labels.size(),
                                finetune.classifierPooling(), recipe.seed(), manager);
                Freezing.apply(probe, name -> name.startsWith(HEAD_PREFIX));
                ModelParameters probeParameters = ModelParameters.of(probe);
                context.log().printf(Locale.ROOT, "finetune: baseline: the base with a trained head, %,d trainable "
                        + "parameters%n", probeParameters.trainableCount());
                CheckpointConfig probeConfig = CheckpointConfig.classifier(probe.config(), tokenizerKind, labels,
                        finetune.classifierPooling());
                ClassifierTask probeTask = new ClassifierTask(probe, probeParameters, train, validation,
                        training.batchSize(), training.gradientAccumulationSteps(), recipe.seed(),
                        (target, trainingFiles) -> CheckpointIO.save(target, probeConfig, probe, savedTokenizer::save,
                                Safetensors.DType.F32, trainingFiles::write));
                train(context, PROBE_TASK, probeTask, steps, devices);
                List<ClassifierTask.Prediction> probePredictions = ClassifierTask.predict(probe, test,
                        Math.max(1, training.batchSize()), manager);
                writeClassifierPredictions(context.runFolder().resolve(CLASSIFIER_PROBE_PREDICTIONS), data.test(),
                        probePredictions.stream().map(p -> labels.get(p.predicted())).toList(), probePredictions);
            }
        }
    }

    // ---- shared -------------------------------------------------------------------------------------------------

    /**
     * Applies {@code finetune.method} to a model built from the base: LoRA adds adapters (through
     * {@code addAdapters}, since the two model kinds have their own {@code Lora.apply}) and is recorded in the
     * checkpoint config; freeze fixes the embeddings and/or first blocks; full leaves everything trainable.
     */
    private static CheckpointConfig applyMethod(Recipe recipe, Finetune finetune, NamedParameters model,
                                                GptConfig architecture, CheckpointConfig config,
                                                java.util.function.Consumer<Finetune.Lora> addAdapters) {
        switch (finetune.method()) {
            case LORA -> {
                Finetune.Lora spec = finetune.lora().orElseThrow(() -> WorkbenchException.invalid(
                        recipe.source() + ": finetune.method lora needs a finetune.lora section"));
                addAdapters.accept(spec);
                return config.withLora(spec);
            }
            case FREEZE -> Freezing.apply(model, architecture, finetune.freeze().orElseThrow(() ->
                    WorkbenchException.invalid(recipe.source() + ": finetune.method freeze needs a finetune.freeze "
                            + "section")));
            case FULL -> { }
        }
        return config;
    }

    /** Runs the loop for one task, resuming from the earlier run's newest checkpoint when the context asks for it. */
    private TrainingLoop.Result train(RunContext context, String taskName, TrainingTask task, long steps,
                                      List<Device> devices) throws IOException {
        Recipe recipe = context.recipe();
        Path checkpointDir = context.runFolder().resolve(RunStore.CHECKPOINTS).resolve(taskName);
        Path metricsCsv = context.runFolder().resolve("finetune").resolve(taskName).resolve(MetricsCsv.FILE);
        Optional<Path> resume = Optional.empty();
        if (context.resumeFrom().isPresent()) {
            Path earlier = context.resumeFrom().get().resolve(RunStore.CHECKPOINTS).resolve(taskName);
            Optional<Path> latest = Checkpoints.latest(earlier);
            if (latest.isPresent()) {
                resume = Optional.of(adopt(earlier, checkpointDir, latest.get(), context, taskName));
            } else {
                context.log().printf("finetune: %s: no complete checkpoint in %s, starting afresh%n", taskName,
                        earlier);
            }
        }
        TrainingLoop.Settings settings = TrainingLoop.Settings.of(taskName, recipe.training(), recipe.seed(), steps);
        return new TrainingLoop(settings, context.log(), context.progress()).run(task, devices, checkpointDir,
                metricsCsv, resume);
    }

    /**
     * Brings an earlier run's checkpoint (and its {@code best/} and metrics.csv) into this run's folder when the two
     * differ, so this run folder is complete on its own; returns the checkpoint to resume from.
     */
    private static Path adopt(Path earlierDir, Path checkpointDir, Path latest, RunContext context, String taskName)
            throws IOException {
        if (earlierDir.toAbsolutePath().normalize().equals(checkpointDir.toAbsolutePath().normalize())) {
            return latest;
        }
        for (Path source : new Path[] {latest, earlierDir.resolve(Checkpoints.BEST)}) {
            if (Checkpoints.isComplete(source) && !Files.exists(checkpointDir.resolve(source.getFileName()))) {
                Checkpoints.write(checkpointDir, source.getFileName().toString(), target -> copyTree(source, target));
            }
        }
        Path earlierCsv = context.resumeFrom().get().resolve("finetune").resolve(taskName).resolve(MetricsCsv.FILE);
        Path csv = context.runFolder().resolve("finetune").resolve(taskName).resolve(MetricsCsv.FILE);
        if (Files.isRegularFile(earlierCsv) && !Files.exists(csv)) {
            Files.createDirectories(csv.getParent());
            Files.copy(earlierCsv, csv);
        }
        return checkpointDir.resolve(latest.getFileName());
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Path staging = target.resolveSibling(target.getFileName() + ".tmp");
        AtomicDirectory.deleteRecursively(staging);
        Files.createDirectories(staging);
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, staging.resolve(f.getFileName()));
            }
        }
        Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * {@code base_model.checkpoint}: a checkpoint folder, a run folder (its language model's {@code best}), or a run
     * id looked up under the runs root. Relative paths are relative to the recipe file.
     */
    static Optional<Path> baseCheckpoint(RunContext context) throws IOException {
        return baseCheckpoint(context.recipe(), context.runsRoot());
    }

    /** {@link #baseCheckpoint(RunContext)} before a run exists ({@code workbench plan}). */
    public static Optional<Path> baseCheckpoint(Recipe recipe, Path runsRoot) throws IOException {
        BaseModel base = recipe.baseModel();
        if (base.checkpoint().isEmpty()) {
            return Optional.empty();
        }
        String spec = base.checkpoint().get();
        Path asPath = Path.of(spec);
        if (!asPath.isAbsolute() && recipe.source() != null
                && recipe.source().getParent() != null) {
            asPath = recipe.source().getParent().resolve(asPath).normalize();
        }
        String lm = folderName(Finetune.Task.LANGUAGE_MODEL);
        if (Files.isDirectory(asPath)) {
            if (Files.isRegularFile(asPath.resolve(CheckpointIO.CONFIG))) {
                return Optional.of(asPath);
            }
            Path best = asPath.resolve(RunStore.CHECKPOINTS).resolve(lm).resolve(Checkpoints.BEST);
            if (Files.isDirectory(best)) {
                return Optional.of(best);
            }
            throw WorkbenchException.invalid(recipe.source() + ": base_model.checkpoint " + asPath
                    + " is neither a checkpoint folder (no config.json) nor a run folder with "
                    + "checkpoints/language_model/best");
        }
        Optional<RunStore.RunEntry> run = new RunStore(runsRoot).find(spec);
        if (run.isPresent()) {
            return Optional.of(run.get().folder().resolve(RunStore.CHECKPOINTS).resolve(lm).resolve(Checkpoints.BEST));
        }
        throw WorkbenchException.invalid(recipe.source() + ": base_model.checkpoint '" + spec
                + "' is neither a folder nor a run id under " + runsRoot);
    }

    /**
     * Opens (and verifies) a base checkpoint for {@code task}. A language model needs a language-model checkpoint: a
     * classifier's pooled head cannot predict tokens. A classifier may start from either (the head is new).
     */
    static Checkpoint openBase(Recipe recipe, Path folder, Finetune.Task task) {
        Checkpoint checkpoint = Checkpoint.open(folder);
        if (task == Finetune.Task.LANGUAGE_MODEL && checkpoint.config().task() != Finetune.Task.LANGUAGE_MODEL) {
            throw WorkbenchException.invalid(recipe.source() + ": base_model.checkpoint " + folder + " is a classifier "
                    + "checkpoint (" + CheckpointManifest.describe(checkpoint.config())
                    + "); a language_model task needs a "
                    + "language-model checkpoint as its base (a classifier has no token head); point it at a run's "
                    + "checkpoints/language_model/best");
        }
        return checkpoint;
    }

    /** The base checkpoint's tokenizer, refused when it produces ids the checkpoint's embedding does not have. */
    private static Tokenizer baseTokenizer(Recipe recipe, Checkpoint checkpoint) {
        Tokenizer tokenizer = checkpoint.loadTokenizer(Tokenizers::load);
        int modelVocab = checkpoint.config().model().vocabSize();
        if (tokenizer.vocabSize() > modelVocab) {
            throw WorkbenchException.invalid(recipe.source() + ": base_model.checkpoint " + checkpoint.folder()
                    + ": its tokenizer.json has " + tokenizer.vocabSize() + " tokens but the weights embed only "
                    + modelVocab + " (config.json vocab_size); the tokenizer does not belong to these weights");
        }
        return tokenizer;
    }

    private static List<String> texts(List<TextDocument> documents) {
        return documents.stream().map(TextDocument::text).toList();
    }

    private static List<int[]> encode(Tokenizer tokenizer, List<TextDocument> documents) {
        List<int[]> ids = new ArrayList<>(documents.size());
        for (TextDocument d : documents) {
            ids.add(tokenizer.encode(d.text()));
        }
        return ids;
    }

    private static void appendLmRows(RunContext context, String subject, String dataset, String split,
                                     List<LanguageModelEvaluation.DocumentScore> scores) {
        if (scores.isEmpty()) {
            return;
        }
        LanguageModelEvaluation.Summary s = LanguageModelEvaluation.Summary.of(scores);
        long n = s.documents();
        context.metrics().appendAll(List.of(
                MetricRow.of(NAME, subject, dataset, split, "loss", s.loss(), n, false),
                MetricRow.of(NAME, subject, dataset, split, "bits_per_byte", s.bitsPerByte(), n, false),
                MetricRow.of(NAME, subject, dataset, split, "perplexity", s.perplexity(), n, false)));
    }

    private static void appendTrainingRows(RunContext context, String dataset, TrainingLoop.Result result) {
        List<MetricRow> rows = new ArrayList<>();
        if (Double.isFinite(result.lastTrainLoss())) {
            rows.add(MetricRow.of(NAME, "finetuned", dataset, "train", "loss", result.lastTrainLoss(),
                    result.steps(), false));
        }
        if (Double.isFinite(result.tokensPerSecond()) && result.tokensPerSecond() > 0) {
            rows.add(MetricRow.of(NAME, "finetuned", dataset, "train", "tokens_per_s", result.tokensPerSecond(),
                    result.steps(), true));
        }
        context.metrics().appendAll(rows);
    }

    /**
     * Per test document: bits under both models, plus whitespace-separated words and tokens so the evaluate stage
     * can report word and token perplexity (lm-eval {@code word_perplexity}; token perplexity needs the tokenizer).
     */
    private static void writeLmPredictions(Path file, List<TextDocument> documents,
                                           List<LanguageModelEvaluation.DocumentScore> base,
                                           List<LanguageModelEvaluation.DocumentScore> tuned) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                     .setHeader("id", "bytes", "base_bits", "finetuned_bits", "words", "tokens",
                             RunFiles.LM_TEXT_SHA256).build())) {
            for (int i = 0; i < base.size(); i++) {
                String text = documents.get(i).text().strip();
                csv.printRecord(base.get(i).id(), base.get(i).bytes(),
                        String.format(Locale.ROOT, "%.4f", base.get(i).bits()),
                        String.format(Locale.ROOT, "%.4f", tuned.get(i).bits()),
                        text.isEmpty() ? 0 : text.split("\\s+").length, base.get(i).tokens(),
                        Samples.sha256(documents.get(i).text())); // compare pairs documents by this hash
            }
        }
    }

    /** Same prompts, same seed, same sampling for base and fine-tuned: the texts differ only by the weights. */
    private static List<String> generate(GptModel model, Tokenizer tokenizer, List<String> prompts,
                                         SamplingConfig sampling) {
        Generator generator = new Generator(model);
        List<String> out = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            out.add(generator.generate(tokenizer, prompt, sampling));
        }
        return out;
    }

    private static void writeGenerations(Path file, List<String> prompts, List<String> base, List<String> tuned,
                                         SamplingConfig sampling) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < prompts.size(); i++) {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("prompt", prompts.get(i));
            row.put("base", base.get(i));
            row.put("finetuned", tuned.get(i));
            row.put("seed", sampling.seed());
            row.put("max_new_tokens", sampling.maxNewTokens());
            row.put("temperature", sampling.temperature());
            lines.append(JSON.writeValueAsString(row)).append('\n');
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
    }

    private static void writeClassifierPredictions(Path file, List<LabelledExample> examples, List<String> predicted,
                                                   List<ClassifierTask.Prediction> predictions) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                     .setHeader("id", "label", "predicted", "confidence").build())) {
            for (int i = 0; i < examples.size(); i++) {
                csv.printRecord(examples.get(i).id(), examples.get(i).label(), predicted.get(i),
                        String.format(Locale.ROOT, "%.4f", predictions.get(i).confidence()));
            }
        }
    }
}
