package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.workbench.data.chat.ChatTokens;
import dev.workbench.data.chat.Packing;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The instruct task: next-token prediction on conversations rendered by a chat template, the loss on the trained
 * tokens only ({@link InstructBatches}). A training example is a row of the {@link Packing} (one or several
 * conversations); the order over rows is {@link EpochOrder}'s, a pure function of the seed and the step. Validation:
 * every validation conversation alone, the mean loss per trained token.
 */
public final class InstructTask implements TrainingTask {
    private final Block model;
    private final ModelParameters parameters;
    private final List<List<ChatTokens>> rows;
    private final List<ChatTokens> validation;
    private final int batchSize;
    private final CheckpointSaver files;
    private final EpochOrder order;

    public InstructTask(Block model, ModelParameters parameters, List<ChatTokens> train, Packing packing,
                        List<ChatTokens> validation, int batchSize, int accumulationSteps, long seed,
                        CheckpointSaver files) {
        if (packing.rows().isEmpty()) {
            throw WorkbenchException.invalid("the instruction data has no conversation to learn from");
        }
        this.model = model;
        this.parameters = parameters;
        this.rows = new ArrayList<>(packing.rows().size());
        for (int[] row : packing.rows()) {
            List<ChatTokens> conversations = new ArrayList<>(row.length);
            for (int i : row) {
                conversations.add(train.get(i));
            }
            rows.add(conversations);
        }
        this.validation = validation;
        this.batchSize = batchSize;
        this.order = new EpochOrder(rows.size(), seed, batchSize, accumulationSteps);
        this.files = files;
    }

    @Override
    public ModelParameters parameters() {
        return parameters;
    }

    @Override
    public List<MicroBatch> microBatches(long step, NDManager manager) {
        return order.microBatches(step, picked -> {
            List<List<ChatTokens>> conversations = new ArrayList<>(picked.length);
            for (int row : picked) {
                conversations.add(rows.get(row));
            }
            return InstructBatches.of(conversations, manager);
        });
    }

    @Override
    public NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training) {
        return LossFunctions.lossSum(model, store, batch, training);
    }

    @Override
    public double validationLoss(ParameterStore store, NDManager manager) {
        return meanTrainedLoss(this, store, manager, validation, batchSize);
    }

    /** Mean loss per trained token of {@code conversations}, each alone in its row; NaN when there are none. */
    static double meanTrainedLoss(TrainingTask task, ParameterStore store, NDManager manager,
                                  List<ChatTokens> conversations, int batchSize) {
        if (conversations.isEmpty()) {
            return Double.NaN;
        }
        return TrainingTask.meanLoss(task, store, manager, conversations.size(), batchSize,
                (from, to, m) -> InstructBatches.of(conversations.subList(from, to).stream().map(List::of).toList(),
                        m));
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
