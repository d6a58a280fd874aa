package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.workbench.model.ClassifierModel;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The "base model with a trained head" baseline as a linear probe: the head of a classifier whose trunk is frozen,
 * trained on {@link PooledFeatures} computed once, instead of a trunk forward (with dropout) per step. Same loss as
 * {@link ClassifierTask} (the recipe's {@link ClassifierLoss}, summed per example), same example order
 * ({@link EpochOrder}), same steps, optimizer and schedule (the loop's); the one difference is that the features carry
 * no dropout noise, which makes the baseline a plain logistic regression on what the base model computes. Checkpoints
 * hold the whole classifier (trunk and head), so {@code predict} loads them like any other.
 */
final class HeadProbeTask implements TrainingTask {
    private final ClassifierModel model;
    private final ModelParameters parameters;
    private final PooledFeatures train;
    private final PooledFeatures validation;
    private final int batchSize;
    private final int accumulationSteps;
    private final ClassifierLoss loss;
    private final EpochOrder order;
    private final CheckpointSaver files;

    /** @param model a classifier whose trunk is frozen ({@link dev.workbench.model.Freezing#headOnly}) */
    HeadProbeTask(ClassifierModel model, ModelParameters parameters, PooledFeatures train, PooledFeatures validation,
                  int batchSize, int accumulationSteps, long seed, ClassifierLoss loss, CheckpointSaver files) {
        if (train.size() == 0) {
            throw WorkbenchException.invalid("the labelled training split is empty");
        }
        this.model = model;
        this.parameters = parameters;
        this.train = train;
        this.validation = validation;
        this.batchSize = batchSize;
        this.accumulationSteps = accumulationSteps;
        this.loss = loss;
        this.order = new EpochOrder(train.size(), seed, batchSize, accumulationSteps);
        this.files = files;
    }

    @Override
    public ModelParameters parameters() {
        return parameters;
    }

    @Override
    public List<MicroBatch> microBatches(long step, NDManager manager) {
        return order.microBatches(step, examples -> train.batch(examples, loss, manager));
    }

    @Override
    public NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training) {
        NDArray logits = model.head().forward(store, batch.inputs(), training).head();
        return loss.perRow(logits, batch).sum();
    }

    @Override
    public double validationLoss(ParameterStore store, NDManager manager) {
        return TrainingTask.meanLoss(this, store, manager, validation.size(), batchSize,
                (from, to, m) -> validation.batch(IntStream.range(from, to).toArray(), loss, m));
    }

    @Override
    public double epochAt(long steps) {
        return order.epochAt(steps);
    }

    @Override
    public void saveCheckpoint(Path target, Checkpoints.Contents trainingFiles) throws IOException {
        files.save(target, trainingFiles);
    }
}
