package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.workbench.data.ClassificationMetrics;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.Splits;
import dev.workbench.data.TextDocument;
import dev.workbench.data.TextHash;
import dev.workbench.model.Checkpoint;
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
import dev.workbench.model.hf.HfGpt2Importer;
import dev.workbench.optim.ModelParameters;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.TaskPlan;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;
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
    static final String PROBE_TASK = "classifier_probe";
    private static final String HEAD_PREFIX = "head.";
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

    static String folderName(Finetune.Task task) {
        return TaskPlanner.folderName(task);
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
            // ---- base: model + tokenizer, as planned --------------------------------------------------------
            TaskPlan plan = TaskPlanner.plan(recipe, context.data(), Finetune.Task.LANGUAGE_MODEL,
                    baseCheckpoint(context));
            Tokenizer tokenizer = plan.tokenizer();
            GptModel model;
            BaseModel.TokenizerKind tokenizerKind = plan.tokenizerKind();
            if (plan.checkpoint().isPresent()) {
                model = plan.checkpoint().get().loadLanguageModel(manager);
                Lora.merge(model);
                Freezing.apply(model, name -> true);
                context.log().printf("finetune: language model base %s%n", plan.checkpoint().get().folder());
            } else if (recipe.baseModel().hf().isPresent()) {
                model = HfGpt2Importer.loadModel(recipe.baseModel().hf().get(), manager);
                context.log().printf("finetune: language model base %s (Hugging Face GPT-2)%n",
                        recipe.baseModel().hf().get());
            } else {
                model = GptModel.create(plan.model(), recipe.seed(), manager);
            }
            int context0 = plan.contextLength();

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
            long steps = plan.totalSteps();
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
            writeLmPredictions(context.runFolder().resolve(RunFolder.LM_PREDICTIONS), text.test(), baseTest, tunedTest);
            writeGenerations(context.runFolder().resolve(RunFolder.GENERATIONS), recipe.evaluate().prompts(),
                    baseGenerations, generate(model, tokenizer, recipe.evaluate().prompts(), sampling), sampling);
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
            TaskPlan plan = TaskPlanner.plan(recipe, context.data(), Finetune.Task.CLASSIFIER,
                    baseCheckpoint(context));
            Optional<Checkpoint> baseCheckpoint = plan.checkpoint();
            Tokenizer tokenizer = plan.tokenizer();
            ClassifierModel model;
            BaseModel.TokenizerKind tokenizerKind = plan.tokenizerKind();
            if (baseCheckpoint.isPresent()) {
                model = baseCheckpoint.get().loadClassifierBase(labels.size(), finetune.classifierPooling(),
                        recipe.seed(), manager);
                Freezing.apply(model, name -> true);
            } else if (recipe.baseModel().hf().isPresent()) {
                model = HfGpt2Importer.loadClassifierBase(recipe.baseModel().hf().get(), labels.size(),
                        finetune.classifierPooling(), recipe.seed(), manager);
            } else {
                model = ClassifierModel.create(plan.model(), labels.size(), finetune.classifierPooling(),
                        recipe.seed(), manager);
            }
            // The untrained head makes the base classifier's scores meaningless: no base rows for this task.
            ClassifierModel classifier = model;
            CheckpointConfig checkpointConfig = applyMethod(recipe, finetune, model, model.config(),
                    CheckpointConfig.classifier(model.config(), tokenizerKind, labels, finetune.classifierPooling()),
                    spec -> Lora.apply(classifier, spec, recipe.seed()));
            ModelParameters parameters = ModelParameters.of(model);
            context.log().printf(Locale.ROOT, "finetune: classifier %d classes, %,d parameters, %,d trainable%n",
                    labels.size(), parameters.count(), parameters.trainableCount());

            int contextLength = plan.contextLength();
            ClassifierTask.Encoded train = ClassifierTask.Encoded.of(data.train(), labels, tokenizer, contextLength);
            ClassifierTask.Encoded validation = ClassifierTask.Encoded.of(data.validation(), labels, tokenizer,
                    contextLength);
            long steps = plan.totalSteps();
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
                        MetricRow.of(NAME, "finetuned", dataset, "test", Metric.ACCURACY,
                                ClassificationMetrics.accuracy(truth, predicted), n),
                        MetricRow.of(NAME, "finetuned", dataset, "test", Metric.MACRO_F1,
                                ClassificationMetrics.macroF1(truth, predicted), n),
                        MetricRow.of(NAME, "finetuned", dataset, "test", Metric.LOSS, loss, n)));
            }
            writeClassifierPredictions(context.runFolder().resolve(RunFolder.CLASSIFIER_PREDICTIONS), data.test(),
                    predicted, predictions);

            // ---- baseline: the base model with only a new head trained (trunk frozen), same data and steps ----
            if (baseCheckpoint.isPresent() || recipe.baseModel().hf().isPresent()) {
                ClassifierModel probe = baseCheckpoint.isPresent()
                        ? baseCheckpoint.get().loadClassifierBase(labels.size(), finetune.classifierPooling(),
                                recipe.seed(), manager)
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
                writeClassifierPredictions(context.runFolder().resolve(RunFolder.CLASSIFIER_PROBE_PREDICTIONS),
                        data.test(), probePredictions.stream().map(p -> labels.get(p.predicted())).toList(),
                        probePredictions);
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
        Path checkpointDir = RunFolder.checkpoints(context.runFolder(), taskName);
        Path metricsCsv = RunFolder.trainingMetrics(context.runFolder(), taskName);
        Optional<Path> resume = Optional.empty();
        if (context.resumeFrom().isPresent()) {
            Path earlier = RunFolder.checkpoints(context.resumeFrom().get(), taskName);
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
        Path earlierCsv = RunFolder.trainingMetrics(context.resumeFrom().get(), taskName);
        Path csv = RunFolder.trainingMetrics(context.runFolder(), taskName);
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
        return TaskPlanner.baseCheckpoint(context.recipe(), context.runsRoot());
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
                MetricRow.of(NAME, subject, dataset, split, Metric.LOSS, s.loss(), n),
                MetricRow.of(NAME, subject, dataset, split, Metric.BITS_PER_BYTE, s.bitsPerByte(), n),
                MetricRow.of(NAME, subject, dataset, split, Metric.PERPLEXITY, s.perplexity(), n)));
    }

    private static void appendTrainingRows(RunContext context, String dataset, TrainingLoop.Result result) {
        List<MetricRow> rows = new ArrayList<>();
        if (Double.isFinite(result.lastTrainLoss())) {
            rows.add(MetricRow.of(NAME, "finetuned", dataset, "train", Metric.LOSS, result.lastTrainLoss(),
                    result.steps()));
        }
        if (Double.isFinite(result.tokensPerSecond()) && result.tokensPerSecond() > 0) {
            rows.add(MetricRow.of(NAME, "finetuned", dataset, "train", Metric.TOKENS_PER_S, result.tokensPerSecond(),
                    result.steps()));
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
                             RunFolder.TEXT_SHA256).build())) {
            for (int i = 0; i < base.size(); i++) {
                String text = documents.get(i).text().strip();
                csv.printRecord(base.get(i).id(), base.get(i).bytes(),
                        String.format(Locale.ROOT, "%.4f", base.get(i).bits()),
                        String.format(Locale.ROOT, "%.4f", tuned.get(i).bits()),
                        text.isEmpty() ? 0 : text.split("\\s+").length, base.get(i).tokens(),
                        TextHash.sha256(documents.get(i).text())); // compare pairs documents by this hash
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
