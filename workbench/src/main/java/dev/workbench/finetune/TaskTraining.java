package dev.workbench.finetune;

import ai.djl.Device;
import dev.workbench.model.Freezing;
import dev.workbench.model.Lora;
import dev.workbench.model.TunableModel;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.StepSchedule;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the finetune stage's tasks share: the fine-tuning method applied to a model, a checkpoint writer for it, one
 * run of {@link TrainingLoop} (continuing an earlier run's checkpoints when resuming) and the training rows of
 * {@code metrics.jsonl}.
 */
final class TaskTraining {
    private final RunContext context;
    private final List<Device> devices;

    TaskTraining(RunContext context, List<Device> devices) {
        this.context = context;
        this.devices = devices;
    }

    /**
     * Applies {@code finetune.method} to a model built from the base: LoRA adds adapters and is recorded in the
     * checkpoint config; freeze fixes the embeddings and/or first layers; full leaves everything trainable.
     */
    CheckpointConfig applyMethod(Finetune finetune, TunableModel model, CheckpointConfig config) {
        Recipe recipe = context.recipe();
        switch (finetune.method()) {
            case LORA -> {
                Finetune.Lora spec = finetune.lora().orElseThrow(() -> WorkbenchException.invalid(
                        recipe.source() + ": finetune.method lora needs a finetune.lora section"));
                Lora.apply(model, spec, recipe.seed());
                return config.withLora(spec);
            }
            case FREEZE -> Freezing.apply(model, finetune.freeze().orElseThrow(() ->
                    WorkbenchException.invalid(recipe.source() + ": finetune.method freeze needs a finetune.freeze "
                            + "section")));
            case FULL -> { }
        }
        return config;
    }

    /** Writes {@code model} as a checkpoint of {@code config} with {@code tokenizer} (FP32) and the loop's files. */
    static CheckpointSaver saver(CheckpointConfig config, TunableModel model, Tokenizer tokenizer) {
        return (target, trainingFiles) -> CheckpointIO.save(target, config, model, tokenizer::save,
                Safetensors.DType.F32, trainingFiles::write);
    }

    /**
     * Runs the loop for one task over the steps of {@code schedule} (a {@link dev.workbench.plan.TaskPlan}'s), resuming
     * from the earlier run's newest checkpoint when the context asks for it.
     */
    TrainingLoop.Result train(String taskName, TrainingTask task, StepSchedule schedule) throws IOException {
        Recipe recipe = context.recipe();
        Path checkpointDir = RunFolder.checkpoints(context.runFolder(), taskName);
        Path metricsCsv = RunFolder.trainingMetrics(context.runFolder(), taskName);
        Optional<Path> resume = Optional.empty();
        if (context.resumeFrom().isPresent()) {
            Path earlier = RunFolder.checkpoints(context.resumeFrom().get(), taskName);
            Optional<Path> latest = Checkpoints.latest(earlier);
            if (latest.isPresent()) {
                resume = Optional.of(adopt(earlier, checkpointDir, latest.get(), taskName));
            } else {
                context.log().printf("finetune: %s: no complete checkpoint in %s, starting afresh%n", taskName,
                        earlier);
            }
        }
        TrainingLoop.Settings settings = TrainingLoop.Settings.of(taskName, recipe.training(), recipe.seed(),
                schedule);
        return new TrainingLoop(settings, context.log(), context.progress()).run(task, devices, checkpointDir,
                metricsCsv, resume);
    }

    /**
     * Brings an earlier run's checkpoint (and its {@code best/} and metrics.csv) into this run's folder when the two
     * differ, so this run folder is complete on its own; returns the checkpoint to resume from.
     */
    private Path adopt(Path earlierDir, Path checkpointDir, Path latest, String taskName) throws IOException {
        if (earlierDir.toAbsolutePath().normalize().equals(checkpointDir.toAbsolutePath().normalize())) {
            return latest;
        }
        for (Path source : new Path[] {latest, earlierDir.resolve(Checkpoints.BEST)}) {
            if (Checkpoints.isComplete(source) && !Files.exists(checkpointDir.resolve(source.getFileName()))) {
                Checkpoints.write(checkpointDir, source.getFileName().toString(),
                        target -> Checkpoints.copy(source, target));
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

    /** The fine-tuned model's last training loss and throughput. */
    void appendTrainingRows(String dataset, TrainingLoop.Result result) {
        List<MetricRow> rows = new ArrayList<>();
        if (Double.isFinite(result.lastTrainLoss())) {
            rows.add(MetricRow.of(FinetuneStage.NAME, "finetuned", dataset, "train", Metric.LOSS, result.lastTrainLoss(),
                    result.steps()));
        }
        if (Double.isFinite(result.tokensPerSecond()) && result.tokensPerSecond() > 0) {
            rows.add(MetricRow.of(FinetuneStage.NAME, "finetuned", dataset, "train", Metric.TOKENS_PER_S,
                    result.tokensPerSecond(), result.steps()));
        }
        context.metrics().appendAll(rows);
    }
}
