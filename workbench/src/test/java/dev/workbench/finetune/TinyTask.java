package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.workbench.optim.ModelParameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * A 3-class MLP on 40 fixed random rows: small enough for many loop tests in a second. Micro-batch layout per step is
 * given as row counts, and the last row of the first micro-batch can be masked, so units differ across micro-batches.
 */
class TinyTask implements TrainingTask {
    static final int FEATURES = 4;
    static final int CLASSES = 3;
    static final int ROWS = 40;

    final NDManager manager;
    final SequentialBlock block;
    final ModelParameters parameters;
    private final float[][] features = new float[ROWS][FEATURES];
    private final int[] labels = new int[ROWS];
    private final int[] layout;
    private final boolean maskOne;
    LongFunction<Double> validation = step -> Double.NaN;
    private long evaluations;

    TinyTask(long initSeed, float dropout, int[] layout, boolean maskOne) {
        this.layout = layout;
        this.maskOne = maskOne;
        Random data = new Random(7);
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < FEATURES; c++) {
                features[r][c] = (float) data.nextGaussian();
            }
            labels[r] = data.nextInt(CLASSES);
        }
        manager = NDManager.newBaseManager(Device.cpu());
        block = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(dropout).build())
                .add(Linear.builder().setUnits(CLASSES).build());
        Engine.getInstance().setRandomSeed((int) initSeed);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, FEATURES));
        parameters = ModelParameters.ofBlock(block);
    }

    int rowsPerStep() {
        int total = 0;
        for (int n : layout) {
            total += n;
        }
        return total;
    }

    @Override
    public ModelParameters parameters() {
        return parameters;
    }

    @Override
    public List<MicroBatch> microBatches(long step, NDManager m) {
        List<MicroBatch> batches = new ArrayList<>();
        int offset = (int) ((step * rowsPerStep()) % ROWS);
        for (int i = 0; i < layout.length; i++) {
            int n = layout[i];
            float[] x = new float[n * FEATURES];
            float[] y = new float[n];
            float[] w = new float[n];
            for (int j = 0; j < n; j++) {
                int row = (offset + j) % ROWS;
                System.arraycopy(features[row], 0, x, j * FEATURES, FEATURES);
                y[j] = labels[row];
                w[j] = maskOne && i == 0 && j == 0 ? 0f : 1f;
            }
            offset += n;
            long units = 0;
            for (float v : w) {
                units += (long) v;
            }
            batches.add(new MicroBatch(new NDList(m.create(x, new Shape(n, FEATURES))), m.create(y), m.create(w),
                    units, n));
        }
        return batches;
    }

    @Override
    public NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training) {
        NDArray logits = block.forward(store, batch.inputs(), training).singletonOrThrow();
        return LossFunctions.nllPerRow(logits, batch.labels(), batch.weights()).sum();
    }

    @Override
    public double validationLoss(ParameterStore store, NDManager m) {
        return validation.apply(evaluations++);
    }

    @Override
    public double epochAt(long steps) {
        return steps * (double) rowsPerStep() / ROWS;
    }

    @Override
    public void saveCheckpoint(Path target, Checkpoints.Contents trainingFiles) throws IOException {
        Checkpoints.saveGeneric(target, parameters, folder -> {
            Files.writeString(folder.resolve("config.json"), "{\"model\": \"tiny\"}\n");
            trainingFiles.write(folder);
        });
    }

    float[] weights(String name) {
        return parameters.all().get(name).getArray().toFloatArray();
    }

    List<float[]> allWeights() {
        List<float[]> all = new ArrayList<>();
        parameters.all().values().forEach(p -> all.add(p.getArray().toFloatArray()));
        return all;
    }
}
