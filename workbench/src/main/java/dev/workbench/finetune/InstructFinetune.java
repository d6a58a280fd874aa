package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.workbench.data.chat.ChatTemplates;
import dev.workbench.data.chat.ChatTokens;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.optim.ModelParameters;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.TaskPlan;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Training;
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
import java.util.List;
import java.util.Locale;

/**
 * The finetune stage's {@code instruct} task: the base measured (loss per trained token of the validation
 * conversations, each alone), the method applied, trained on the packed rows of the training conversations with the
 * loss on assistant tokens, and the fine-tuned model (best checkpoint's weights) measured the same way. Its
 * checkpoints are ordinary causal-LM checkpoints (generate, score and export take them) that also record the chat
 * template ({@value ChatTemplates#FILE}), so that a later instruct run or {@code generate --chat} renders as this one
 * trained.
 */
final class InstructFinetune {
    private InstructFinetune() {
    }

    static void run(RunContext context, Finetune finetune, List<Device> devices) throws IOException {
        Device device = devices.get(0);
        Recipe recipe = context.recipe();
        Training training = recipe.training();
        String dataset = recipe.domain() + "/instructions";
        TaskTraining trainer = new TaskTraining(context, devices);
        Engine.getInstance().setRandomSeed((int) recipe.seed());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            TaskPlan plan = TaskPlanner.plan(recipe, context.data(), Finetune.Task.INSTRUCT,
                    FinetuneStage.baseCheckpoint(context));
            TaskPlan.InstructPlan instruct = plan.instruct().orElseThrow();
            Tokenizer tokenizer = plan.tokenizer();
            LanguageModel model = BaseModels.open(plan, recipe.seed()).languageModel(manager);
            context.log().printf(Locale.ROOT, "finetune: instruct: %d conversations, chat template %s, %d rows "
                            + "(packing %.1f%% full), %d truncated%n", instruct.train().size(),
                    instruct.template().name(), instruct.packing().rows().size(),
                    100 * instruct.packing().efficiency(), instruct.truncated());
            int batchSize = Math.max(1, training.batchSize());
            double[] baseNll = nllPerConversation(model, instruct.heldOut(), batchSize, device);

            CheckpointConfig checkpointConfig = trainer.applyMethod(finetune, model,
                    CheckpointConfig.languageModel(model.architecture(), plan.tokenizerKind()));
            ModelParameters parameters = ModelParameters.of(model);
            String template = instruct.template().source();
            CheckpointSaver saver = (target, trainingFiles) -> CheckpointIO.save(target, checkpointConfig, model,
                    tokenizer::save, Safetensors.DType.F32, folder -> {
                        trainingFiles.write(folder);
                        Files.writeString(folder.resolve(ChatTemplates.FILE), template, StandardCharsets.UTF_8);
                    });
            InstructTask task = new InstructTask(model, parameters, instruct.train(), instruct.packing(),
                    instruct.validation(), training.batchSize(), training.gradientAccumulationSteps(),
                    recipe.seed(), saver);
            TrainingLoop.Result result = trainer.train(FinetuneStage.folderName(Finetune.Task.INSTRUCT), task,
                    plan.schedule());
            trainer.appendTrainingRows(dataset, result);

            double[] tunedNll = nllPerConversation(model, instruct.heldOut(), batchSize, device);
            appendRows(context, dataset, instruct.heldOutSplit(), "base", baseNll, instruct.heldOut());
            appendRows(context, dataset, instruct.heldOutSplit(), "finetuned", tunedNll, instruct.heldOut());
            writePredictions(context.runFolder().resolve(RunFolder.INSTRUCT_PREDICTIONS), instruct.heldOutSplit(),
                    instruct.heldOut(), baseNll, tunedNll);
        }
    }

    /** Summed NLL (nats) of each conversation's trained tokens, each conversation alone in its row. No dropout. */
    static double[] nllPerConversation(LanguageModel model, List<ChatTokens> conversations, int batchSize,
                                       Device device) {
        double[] nll = new double[conversations.size()];
        try (NDManager manager = NDManager.newBaseManager(device)) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int from = 0; from < conversations.size(); from += batchSize) {
                int to = Math.min(conversations.size(), from + batchSize);
                try (NDManager batchManager = manager.newSubManager()) {
                    MicroBatch batch = InstructBatches.of(conversations.subList(from, to).stream()
                            .map(List::of).toList(), batchManager);
                    try (NDArray logits = model.forward(store, batch.inputs(), false).head()) {
                        float[] rows = LossFunctions.nllPerRow(logits, batch.labels(), batch.weights())
                                .toFloatArray();
                        for (int i = 0; i < rows.length; i++) {
                            nll[from + i] = rows[i];
                        }
                    }
                }
            }
        }
        return nll;
    }

    private static void appendRows(RunContext context, String dataset, String split, String subject, double[] nll,
                                   List<ChatTokens> conversations) {
        long tokens = conversations.stream().mapToLong(ChatTokens::trainedTargets).sum();
        if (tokens == 0) {
            return;
        }
        double loss = java.util.Arrays.stream(nll).sum() / tokens;
        long n = conversations.size();
        context.metrics().appendAll(List.of(
                MetricRow.of(FinetuneStage.NAME, subject, dataset, split, Metric.LOSS, loss, n),
                MetricRow.of(FinetuneStage.NAME, subject, dataset, split, Metric.PERPLEXITY, Math.exp(loss), n)));
    }

    private static void writePredictions(Path file, String split, List<ChatTokens> conversations, double[] base,
                                         double[] tuned) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                     .setHeader("index", "split", "trained_tokens", "base_nll", "finetuned_nll", RunFolder.TEXT_SHA256)
                     .build())) {
            for (int i = 0; i < conversations.size(); i++) {
                csv.printRecord(i, split, conversations.get(i).trainedTargets(),
                        String.format(Locale.ROOT, "%.6f", base[i]), String.format(Locale.ROOT, "%.6f", tuned[i]),
                        dev.workbench.data.TextHash.sha256(conversations.get(i).text()));
            }
        }
    }
}
