package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.workbench.data.ClassificationMetrics;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.Splits;
import dev.workbench.model.ClassifierModel;
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
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The finetune stage's {@code classifier} task: a classifier on the base's trunk with a new head, the method applied,
 * trained on the labelled training split and measured on its test split; then, when the base is pretrained, the
 * baseline of the same base with only a new head trained on the same data and steps ({@link HeadProbeTask}: on the
 * frozen trunk's features, computed once).
 */
final class ClassifierFinetune {
    private ClassifierFinetune() {
    }

    static void run(RunContext context, Finetune finetune, List<Device> devices) throws IOException {
        Device device = devices.get(0);
        Recipe recipe = context.recipe();
        Training training = recipe.training();
        Splits<LabelledExample> data = context.data().labelled().orElseThrow(() -> WorkbenchException.invalid(
                recipe.source() + ": finetune task classifier needs corpus.labelled"));
        String dataset = recipe.domain() + "/labelled";
        List<String> labels = new ArrayList<>(new TreeSet<>(data.train().stream().map(LabelledExample::label)
                .toList()));
        if (labels.size() < 2) {
            throw WorkbenchException.invalid(recipe.source() + ": the labelled training split has "
                    + labels.size() + " distinct label(s); a classifier needs at least 2");
        }
        TaskTraining trainer = new TaskTraining(context, devices);
        Engine.getInstance().setRandomSeed((int) recipe.seed());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            TaskPlan plan = TaskPlanner.plan(recipe, context.data(), Finetune.Task.CLASSIFIER,
                    FinetuneStage.baseCheckpoint(context));
            Finetune.Pooling pooling = plan.pooling().orElseThrow(); // the recipe's, else the base family's default
            Tokenizer tokenizer = plan.tokenizer();
            BaseModels.Base base = BaseModels.open(plan, recipe.seed());
            ClassifierModel model = base.classifier(labels.size(), pooling, manager);
            // The untrained head makes the base classifier's scores meaningless: no base rows for this task.
            CheckpointConfig checkpointConfig = trainer.applyMethod(finetune, model,
                    CheckpointConfig.classifier(model.architecture(), plan.tokenizerKind(), labels, pooling));
            ModelParameters parameters = ModelParameters.of(model);
            context.log().printf(Locale.ROOT, "finetune: classifier %d classes, %,d parameters, %,d trainable%n",
                    labels.size(), parameters.count(), parameters.trainableCount());

            int window = plan.contextLength();
            ClassifierTask.Encoded train = ClassifierTask.Encoded.of(data.train(), labels, tokenizer, window);
            ClassifierTask.Encoded validation = ClassifierTask.Encoded.of(data.validation(), labels, tokenizer,
                    window);
            ClassifierLoss trainingLoss = ClassifierLoss.of(finetune, train, labels.size());
            if (!trainingLoss.isPlain()) {
                context.log().println("finetune: classifier loss: " + trainingLoss.describe());
            }
            ClassifierTask task = new ClassifierTask(model, parameters, train, validation, training.batchSize(),
                    training.gradientAccumulationSteps(), recipe.seed(), trainingLoss,
                    TaskTraining.saver(checkpointConfig, model, tokenizer));
            TrainingLoop.Result result = trainer.train(FinetuneStage.folderName(Finetune.Task.CLASSIFIER), task,
                    plan.schedule());
            trainer.appendTrainingRows(dataset, result);

            ClassifierTask.Encoded test = ClassifierTask.Encoded.of(data.test(), labels, tokenizer, window);
            List<ClassifierTask.Prediction> predictions = ClassifierTask.predict(model, test,
                    Math.max(1, training.batchSize()), manager);
            List<String> truth = data.test().stream().map(LabelledExample::label).toList();
            List<String> predicted = predictions.stream().map(p -> labels.get(p.predicted())).toList();
            long n = truth.size();
            if (n > 0) {
                double loss = predictions.stream().mapToDouble(ClassifierTask.Prediction::loss)
                        .filter(Double::isFinite).average().orElse(Double.NaN);
                String stage = FinetuneStage.NAME;
                context.metrics().appendAll(List.of(
                        MetricRow.of(stage, "finetuned", dataset, "test", Metric.ACCURACY,
                                ClassificationMetrics.accuracy(truth, predicted), n),
                        MetricRow.of(stage, "finetuned", dataset, "test", Metric.MACRO_F1,
                                ClassificationMetrics.macroF1(truth, predicted), n),
                        MetricRow.of(stage, "finetuned", dataset, "test", Metric.LOSS, loss, n)));
            }
            writePredictions(context.runFolder().resolve(RunFolder.CLASSIFIER_PREDICTIONS), data.test(),
                    predicted, predictions);

            // ---- baseline: the base model with only a new head trained (trunk frozen), same data and steps ----
            // A linear probe: the frozen trunk's pooled features are computed once per example, then the head
            // trains on them; a trunk forward per step would cost as much as the fine-tune itself.
            if (base.pretrained()) {
                ClassifierModel probe = base.probe(labels.size(), pooling, manager);
                ModelParameters probeParameters = ModelParameters.of(probe);
                context.log().printf(Locale.ROOT, "finetune: baseline: the base with a trained head, %,d trainable "
                        + "parameters%n", probeParameters.trainableCount());
                CheckpointConfig probeConfig = CheckpointConfig.classifier(probe.architecture(), plan.tokenizerKind(),
                        labels, pooling);
                long featuresStart = System.nanoTime();
                int inferenceBatch = Math.max(1, training.batchSize());
                PooledFeatures probeTrain = PooledFeatures.of(probe, train, inferenceBatch, manager);
                PooledFeatures probeValidation = PooledFeatures.of(probe, validation, inferenceBatch, manager);
                context.log().printf(Locale.ROOT, "finetune: baseline: pooled features of %,d training and %,d "
                                + "validation examples in %.1f s%n", probeTrain.size(), probeValidation.size(),
                        (System.nanoTime() - featuresStart) / 1e9);
                HeadProbeTask probeTask = new HeadProbeTask(probe, probeParameters, probeTrain, probeValidation,
                        training.batchSize(), training.gradientAccumulationSteps(), recipe.seed(), trainingLoss,
                        TaskTraining.saver(probeConfig, probe, tokenizer));
                trainer.train(FinetuneStage.PROBE_TASK, probeTask, plan.schedule());
                List<ClassifierTask.Prediction> probePredictions = ClassifierTask.predict(probe, test,
                        Math.max(1, training.batchSize()), manager);
                writePredictions(context.runFolder().resolve(RunFolder.CLASSIFIER_PROBE_PREDICTIONS),
                        data.test(), probePredictions.stream().map(p -> labels.get(p.predicted())).toList(),
                        probePredictions);
            }
        }
    }

    private static void writePredictions(Path file, List<LabelledExample> examples, List<String> predicted,
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
