package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.workbench.optim.ModelParameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Next-token prediction on packed windows ({@link TokenWindows}). Training order: every epoch is a fresh permutation of
 * all windows drawn from {@code Random(seed, epoch)}, and sample {@code g} of the run (over steps, micro-batches and
 * rows) is window {@code permutation(g / n)[g % n]}: the data position is a pure function of the step.
 */
public final class LanguageModelTask implements TrainingTask {
    private final Block model;
    private final ModelParameters parameters;
    private final TokenWindows train;
    private final TokenWindows validation;
    private final int batchSize;
    private final int accumulationSteps;
    private final CheckpointSaver files;
    private final EpochOrder order;

    public LanguageModelTask(Block model, ModelParameters parameters, TokenWindows train, TokenWindows validation,
                             int batchSize, int accumulationSteps, long seed, CheckpointSaver files) {
        if (train.count() == 0) {
            throw dev.workbench.recipe.WorkbenchException.invalid("the training text has no tokens to learn from");
        }
        this.model = model;
        this.parameters = parameters;
        this.train = train;
        this.validation = validation;
        this.batchSize = batchSize;
        this.accumulationSteps = accumulationSteps;
        this.order = new EpochOrder(train.count(), seed, batchSize, accumulationSteps);
        this.files = files;
    }

    @Override
    public ModelParameters parameters() {
        return parameters;
    }

    @Override
    public List<MicroBatch> microBatches(long step, NDManager manager) {
        return order.microBatches(step, examples -> {
            List<int[]> windows = new ArrayList<>(examples.length);
            for (int example : examples) {
                windows.add(train.window(example));
            }
            return LanguageModelBatches.of(windows, manager);
        });
    }

    @Override
    public NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training) {
        return LossFunctions.lossSum(model, store, batch, training);
    }

    @Override
    public double validationLoss(ParameterStore store, NDManager manager) {
        if (validation == null) {
            return Double.NaN;
        }
        List<int[]> all = validation.windows();
        return TrainingTask.meanLoss(this, store, manager, all.size(), batchSize,
                (from, to, m) -> LanguageModelBatches.of(all.subList(from, to), m));
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
