package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.Splits;
import dev.workbench.data.TextDocument;
import dev.workbench.data.TextHash;
import dev.workbench.model.Generator;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.SamplingConfig;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.optim.ModelParameters;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.TaskPlan;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The finetune stage's {@code language_model} task: the base language model measured (bits per byte on the validation
 * and test documents, generations for {@code evaluate.prompts}), the method applied, trained on packed windows of the
 * training texts, and the fine-tuned model (best checkpoint's weights) measured the same way.
 */
final class LanguageModelFinetune {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LanguageModelFinetune() {
    }

    static void run(RunContext context, Finetune finetune, List<Device> devices) throws IOException {
        Device device = devices.get(0);
        Recipe recipe = context.recipe();
        Training training = recipe.training();
        Splits<TextDocument> text = context.data().text().orElseThrow(() -> WorkbenchException.invalid(
                recipe.source() + ": finetune task language_model needs corpus.text"));
        String dataset = recipe.domain() + "/text";
        TaskTraining trainer = new TaskTraining(context, devices);
        Engine.getInstance().setRandomSeed((int) recipe.seed());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            // ---- base: model + tokenizer, as planned ----------------------------------------------------------------
            TaskPlan plan = TaskPlanner.plan(recipe, context.data(), Finetune.Task.LANGUAGE_MODEL,
                    FinetuneStage.baseCheckpoint(context));
            Tokenizer tokenizer = plan.tokenizer();
            LanguageModel model = BaseModels.open(plan, recipe.seed()).languageModel(manager);
            plan.checkpoint().ifPresent(base -> context.log().printf("finetune: language model base %s%n",
                    base.folder()));
            plan.hf().ifPresent(base -> context.log().printf("finetune: language model base %s (Hugging Face)%n",
                    base));
            int window = plan.contextLength();

            // ---- the base, measured before anything trains ----------------------------------------------------------
            Scoring scoring = new Scoring(context, dataset, tokenizer, text, window, Math.max(1, training.batchSize()),
                    device);
            List<LanguageModelEvaluation.DocumentScore> baseTest = scoring.measure("base", model);
            SamplingConfig sampling = new SamplingConfig(recipe.evaluate().maxNewTokens(),
                    recipe.evaluate().temperature(), 0, 1.0, recipe.seed());
            List<String> baseGenerations = generate(model, tokenizer, recipe.evaluate().prompts(), sampling);

            // ---- method ---------------------------------------------------------------------------------------------
            CheckpointConfig checkpointConfig = trainer.applyMethod(finetune, model,
                    CheckpointConfig.languageModel(model.architecture(), plan.tokenizerKind()));
            ModelParameters parameters = ModelParameters.of(model);
            context.log().printf(Locale.ROOT, "finetune: language model %,d parameters, %,d trainable (%s)%n",
                    parameters.count(), parameters.trainableCount(), finetune.method().name().toLowerCase(Locale.ROOT));

            // ---- train ----------------------------------------------------------------------------------------------
            TokenWindows trainWindows = TokenWindows.pack(encode(tokenizer, text.train()), tokenizer.endOfTextId(),
                    window);
            TokenWindows validationWindows = TokenWindows.pack(encode(tokenizer, text.validation()),
                    tokenizer.endOfTextId(), window);
            LanguageModelTask task = new LanguageModelTask(model, parameters, trainWindows, validationWindows,
                    training.batchSize(), training.gradientAccumulationSteps(), recipe.seed(),
                    TaskTraining.saver(checkpointConfig, model, tokenizer));
            TrainingLoop.Result result = trainer.train(FinetuneStage.folderName(Finetune.Task.LANGUAGE_MODEL), task,
                    plan.schedule());
            trainer.appendTrainingRows(dataset, result);

            // ---- the fine-tuned model (best checkpoint's weights), measured -----------------------------------------
            List<LanguageModelEvaluation.DocumentScore> tunedTest = scoring.measure("finetuned", model);
            writePredictions(context.runFolder().resolve(RunFolder.LM_PREDICTIONS), text.test(), baseTest,
                    tunedTest);
            writeGenerations(context.runFolder().resolve(RunFolder.GENERATIONS), recipe.evaluate().prompts(),
                    baseGenerations, generate(model, tokenizer, recipe.evaluate().prompts(), sampling), sampling);
        }
    }

    private static List<int[]> encode(Tokenizer tokenizer, List<TextDocument> documents) {
        List<int[]> ids = new ArrayList<>(documents.size());
        for (TextDocument d : documents) {
            ids.add(tokenizer.encode(d.text()));
        }
        return ids;
    }

    /** Scores a language model on the task's validation and test documents and writes its metrics.jsonl rows. */
    private record Scoring(RunContext context, String dataset, Tokenizer tokenizer, Splits<TextDocument> text,
                           int window, int batchSize, Device device) {

        /** Appends {@code subject}'s loss, bits per byte and perplexity rows; returns the per-document test scores. */
        List<LanguageModelEvaluation.DocumentScore> measure(String subject, LanguageModel model) {
            List<LanguageModelEvaluation.DocumentScore> test = LanguageModelEvaluation.score(model, tokenizer,
                    text.test(), window, batchSize, device);
            List<LanguageModelEvaluation.DocumentScore> validation = LanguageModelEvaluation.score(model, tokenizer,
                    text.validation(), window, batchSize, device);
            appendRows(subject, "validation", validation);
            appendRows(subject, "test", test);
            return test;
        }

        private void appendRows(String subject, String split, List<LanguageModelEvaluation.DocumentScore> scores) {
            if (scores.isEmpty()) {
                return;
            }
            LanguageModelEvaluation.Summary s = LanguageModelEvaluation.Summary.of(scores);
            long n = s.documents();
            String stage = FinetuneStage.NAME;
            context.metrics().appendAll(List.of(
                    MetricRow.of(stage, subject, dataset, split, Metric.LOSS, s.loss(), n),
                    MetricRow.of(stage, subject, dataset, split, Metric.BITS_PER_BYTE, s.bitsPerByte(), n),
                    MetricRow.of(stage, subject, dataset, split, Metric.PERPLEXITY, s.perplexity(), n)));
        }
    }

    /**
     * Per test document: bits under both models, plus whitespace-separated words and tokens so the evaluate stage
     * can report word and token perplexity (lm-eval {@code word_perplexity}; token perplexity needs the tokenizer).
     */
    private static void writePredictions(Path file, List<TextDocument> documents,
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
    private static List<String> generate(LanguageModel model, Tokenizer tokenizer, List<String> prompts,
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
            Map<String, Object> row = new LinkedHashMap<>();
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
}
