package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.workbench.optim.ModelParameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link TrainingLoop} trains: a model, its data and its loss. The loop owns the order of things (accumulation,
 * clipping, learning rate, checkpoints); a task only answers questions about its data and model.
 */
public interface TrainingTask {

    /** The model's parameters under their stable names (frozen ones included; the loop updates only trainable ones). */
    ModelParameters parameters();

    /**
     * The micro-batches of optimizer step {@code step} (0-based), created in {@code manager}. Must depend only on the
     * seed and {@code step}: that is what makes a resumed run see the same data as an uninterrupted one.
     */
    List<MicroBatch> microBatches(long step, NDManager manager);

    /** The summed (not averaged) loss of one micro-batch, a scalar; dropout active when {@code training}. */
    NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training);

    /** Mean validation loss per unit (token or example), or NaN when there is no validation data. No gradients. */
    double validationLoss(ParameterStore store, NDManager manager);

    /** Builds the micro-batch of items {@code [from, to)} in {@code manager}. */
    interface BatchOf {
        MicroBatch of(int from, int to, NDManager manager);
    }

    /**
     * {@link #validationLoss} for any task: {@code items} in batches of {@code batchSize}, one sub-manager each, the
     * summed loss divided by the units it covers; NaN when there is nothing to measure.
     */
    static double meanLoss(TrainingTask task, ParameterStore store, NDManager manager, int items, int batchSize,
                           BatchOf batchOf) {
        double nll = 0;
        long units = 0;
        for (int from = 0; from < items; from += batchSize) {
            try (NDManager batchManager = manager.newSubManager()) {
                MicroBatch batch = batchOf.of(from, Math.min(items, from + batchSize), batchManager);
                nll += task.lossSum(store, batch, false).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .getDouble();
                units += batch.units();
            }
        }
        return units == 0 ? Double.NaN : nll / units;
    }

    /** Epochs of training data consumed after {@code steps} optimizer steps (fractional). */
    double epochAt(long steps);

    /**
     * Writes a complete checkpoint folder at {@code target} (which does not exist yet): the weights, whatever makes it
     * loadable on its own (config.json, tokenizer.json), and {@code trainingFiles} (optimizer and training state),
     * with the completion marker last. {@link Checkpoints#saveGeneric} does this for any model.
     */
    void saveCheckpoint(Path target, Checkpoints.Contents trainingFiles) throws IOException;
}
