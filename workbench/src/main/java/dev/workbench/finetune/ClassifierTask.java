package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.Permutation;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Text classification: each example is tokenized, truncated to the context (the first {@code contextLength} tokens
 * are kept), padded within its batch and masked; the loss is cross-entropy per EXAMPLE (units = examples). Training
 * order: a fresh permutation of the examples per epoch from {@code Random(seed, epoch)}, a function of the step.
 * Examples whose label the training split never saw get weight 0 in losses and always count as wrong in accuracy.
 */
public final class ClassifierTask implements TrainingTask {
    private final Block model;
    private final ModelParameters parameters;
    private final Encoded train;
    private final Encoded validation;
    private final int batchSize;
    private final int accumulationSteps;
    private final long seed;
    private final CheckpointSaver files;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    /** Examples as token ids and class indices (-1 = a label outside {@code labels}). */
    public record Encoded(List<int[]> ids, int[] classes) {
        /**
         * Each text as its tokenizer presents one text to the model ({@link Tokenizer#encodeWithSpecialTokens}:
         * BERT's {@code [CLS] .. [SEP]}), cut to {@code contextLength} ({@link #truncated}).
         */
        public static Encoded of(List<LabelledExample> examples, List<String> labels, Tokenizer tokenizer,
                                 int contextLength) {
            List<int[]> ids = new ArrayList<>(examples.size());
            int[] classes = new int[examples.size()];
            for (int i = 0; i < examples.size(); i++) {
                ids.add(truncated(tokenizer, examples.get(i).text(), contextLength));
                classes[i] = labels.indexOf(examples.get(i).label());
            }
            return new Encoded(ids, classes);
        }

        /**
         * The text's ids with special tokens, at most {@code contextLength}: a long text loses its last text tokens
         * but keeps the special tokens around it, as transformers truncates ({@code [CLS] t1 .. tn [SEP]}: the
         * classifier's [CLS] and the [SEP] the encoder was pretrained with stay). An empty encoding becomes the
         * end-of-text token alone.
         */
        static int[] truncated(Tokenizer tokenizer, String text, int contextLength) {
            int[] full = tokenizer.encodeWithSpecialTokens(text);
            if (full.length == 0) {
                return new int[] {tokenizer.endOfTextId()};
            }
            if (full.length <= contextLength) {
                return full;
            }
            int[] plain = tokenizer.encode(text);
            int prefix = indexOf(full, plain);
            int suffix = full.length - prefix - plain.length;
            int kept = contextLength - prefix - suffix;
            if (prefix < 0 || kept <= 0) { // no text tokens fit between the special ones (or no such split)
                return java.util.Arrays.copyOf(full, contextLength);
            }
            int[] out = new int[contextLength];
            System.arraycopy(full, 0, out, 0, prefix + kept);
            System.arraycopy(full, full.length - suffix, out, prefix + kept, suffix);
            return out;
        }

        /** Where {@code part} starts in {@code whole}, or -1. */
        private static int indexOf(int[] whole, int[] part) {
            for (int start = 0; start + part.length <= whole.length; start++) {
                if (java.util.Arrays.equals(whole, start, start + part.length, part, 0, part.length)) {
                    return start;
                }
            }
            return -1;
        }

        public int size() {
            return classes.length;
        }
    }

    public ClassifierTask(Block model, ModelParameters parameters, Encoded train, Encoded validation, int batchSize,
                          int accumulationSteps, long seed, CheckpointSaver files) {
        if (train.size() == 0) {
            throw WorkbenchException.invalid("the labelled training split is empty");
        }
        this.model = model;
        this.parameters = parameters;
        this.train = train;
        this.validation = validation;
        this.batchSize = batchSize;
        this.accumulationSteps = accumulationSteps;
        this.seed = seed;
        this.files = files;
    }

    /** A padded batch of the given example indices: inputs (ids, mask), labels (B), weights (B). */
    public static MicroBatch batch(Encoded data, int[] rows, NDManager manager) {
        int time = 1;
        for (int r : rows) {
            time = Math.max(time, data.ids().get(r).length);
        }
        long[] ids = new long[rows.length * time];
        float[] mask = new float[rows.length * time];
        long[] labels = new long[rows.length];
        float[] weights = new float[rows.length];
        long units = 0;
        long tokens = 0;
        for (int i = 0; i < rows.length; i++) {
            int[] t = data.ids().get(rows[i]);
            for (int j = 0; j < t.length; j++) {
                ids[i * time + j] = t[j];
                mask[i * time + j] = 1f;
            }
            tokens += t.length;
            int c = data.classes()[rows[i]];
            labels[i] = Math.max(0, c);
            weights[i] = c < 0 ? 0f : 1f;
            units += c < 0 ? 0 : 1;
        }
        Shape shape = new Shape(rows.length, time);
        return new MicroBatch(new NDList(manager.create(ids, shape), manager.create(mask, shape)),
                manager.create(labels), manager.create(weights), units, tokens);
    }

    @Override
    public ModelParameters parameters() {
        return parameters;
    }

    @Override
    public List<MicroBatch> microBatches(long step, NDManager manager) {
        List<MicroBatch> batches = new ArrayList<>(accumulationSteps);
        int n = train.size();
        for (int micro = 0; micro < accumulationSteps; micro++) {
            int[] rows = new int[batchSize];
            for (int r = 0; r < batchSize; r++) {
                long sample = (step * accumulationSteps + micro) * (long) batchSize + r;
                int epoch = (int) (sample / n);
                if (epoch != cachedEpoch) {
                    cachedOrder = Permutation.of(n, new Random(seed * 1_000_003L + epoch));
                    cachedEpoch = epoch;
                }
                rows[r] = cachedOrder[(int) (sample % n)];
            }
            batches.add(batch(train, rows, manager));
        }
        return batches;
    }

    @Override
    public NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training) {
        return LossFunctions.lossSum(model, store, batch, training);
    }

    @Override
    public double validationLoss(ParameterStore store, NDManager manager) {
        return validation == null ? Double.NaN : TrainingTask.meanLoss(this, store, manager, validation.size(),
                batchSize, (from, to, m) -> batch(validation, java.util.stream.IntStream.range(from, to).toArray(), m));
    }

    @Override
    public double epochAt(long steps) {
        return steps * (double) batchSize * accumulationSteps / train.size();
    }

    @Override
    public void saveCheckpoint(java.nio.file.Path target, Checkpoints.Contents trainingFiles) throws IOException {
        files.save(target, trainingFiles);
    }

    /**
     * A predicted class with its softmax probability, the example's loss (NaN for an unseen label) and the
     * probabilities of all classes (by class index).
     */
    public record Prediction(int predicted, double confidence, double loss, double[] probabilities) {
    }

    /** Predictions for every example, in batches of {@code batchSize}, without gradients or dropout. */
    public static List<Prediction> predict(Block model, Encoded data, int batchSize, NDManager manager) {
        List<Prediction> out = new ArrayList<>(data.size());
        ParameterStore store = new ParameterStore(manager, false);
        for (int from = 0; from < data.size(); from += batchSize) {
            int[] rows = java.util.stream.IntStream.range(from, Math.min(data.size(), from + batchSize)).toArray();
            try (NDManager batchManager = manager.newSubManager()) {
                MicroBatch batch = batch(data, rows, batchManager);
                NDArray logits = model.forward(store, batch.inputs(), false).head();
                float[] probabilities = logits.softmax(-1).toFloatArray();
                float[] losses = LossFunctions.nllPerRow(logits, batch.labels(), batch.weights()).toFloatArray();
                int classes = (int) logits.getShape().get(1);
                for (int i = 0; i < rows.length; i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (probabilities[i * classes + c] > probabilities[i * classes + best]) {
                            best = c;
                        }
                    }
                    boolean known = data.classes()[rows[i]] >= 0;
                    double[] all = new double[classes];
                    for (int c = 0; c < classes; c++) {
                        all[c] = probabilities[i * classes + c];
                    }
                    out.add(new Prediction(best, all[best], known ? losses[i] : Double.NaN, all));
                }
            }
        }
        return out;
    }
}
