package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.workbench.data.LabelledExample;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Text classification: each example is tokenized, truncated to the context (the first {@code contextLength} tokens
 * are kept), padded within its batch and masked; the loss is cross-entropy per EXAMPLE (units = examples). Training
 * order: a fresh permutation of the examples per epoch from {@code Random(seed, epoch)}, a function of the step.
 * Training and validation use the recipe's {@link ClassifierLoss} (label smoothing, class weights as per-example
 * weights). Examples whose label the training split never saw get weight 0 in losses and always count as wrong in
 * accuracy.
 */
public final class ClassifierTask implements TrainingTask {
    private final Block model;
    private final ModelParameters parameters;
    private final Encoded train;
    private final Encoded validation;
    private final int batchSize;
    private final int accumulationSteps;
    private final ClassifierLoss loss;
    private final CheckpointSaver files;
    private final EpochOrder order;

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

        /** Example indices, shortest first (a stable sort): batches of neighbours need little padding. */
        public int[] indicesByLength() {
            return java.util.stream.IntStream.range(0, size()).boxed()
                    .sorted(java.util.Comparator.comparingInt(i -> ids.get(i).length))
                    .mapToInt(Integer::intValue).toArray();
        }
    }

    public ClassifierTask(Block model, ModelParameters parameters, Encoded train, Encoded validation, int batchSize,
                          int accumulationSteps, long seed, ClassifierLoss loss, CheckpointSaver files) {
        if (train.size() == 0) {
            throw WorkbenchException.invalid("the labelled training split is empty");
        }
        this.model = model;
        this.parameters = parameters;
        this.train = train;
        this.validation = validation;
        this.batchSize = batchSize;
        this.accumulationSteps = accumulationSteps;
        this.order = new EpochOrder(train.size(), seed, batchSize, accumulationSteps);
        this.loss = loss;
        this.files = files;
    }

    /**
     * A padded batch of the given example indices: inputs (ids, mask), labels (B), weights (B): 1 per known label,
     * 0 for an unseen one.
     */
    public static MicroBatch batch(Encoded data, int[] rows, NDManager manager) {
        return batch(data, rows, c -> 1.0, manager);
    }

    /**
     * As {@link #batch(Encoded, int[], NDManager)} with each known example weighted by {@code weightOfClass} of its
     * class. Units stay the count of examples with a known label: a step's loss is the weighted sum over them.
     */
    static MicroBatch batch(Encoded data, int[] rows, IntToDoubleFunction weightOfClass, NDManager manager) {
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
            weights[i] = c < 0 ? 0f : (float) weightOfClass.applyAsDouble(c);
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
        return order.microBatches(step, examples -> batch(train, examples, loss::weightOf, manager));
    }

    @Override
    public NDArray lossSum(ParameterStore store, MicroBatch batch, boolean training) {
        NDArray logits = model.forward(store, batch.inputs(), training).head();
        return loss.perRow(logits, batch).sum();
    }

    @Override
    public double validationLoss(ParameterStore store, NDManager manager) {
        return validation == null ? Double.NaN : TrainingTask.meanLoss(this, store, manager, validation.size(),
                batchSize, (from, to, m) -> batch(validation, java.util.stream.IntStream.range(from, to).toArray(),
                        loss::weightOf, m));
    }

    @Override
    public double epochAt(long steps) {
        return order.epochAt(steps);
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

    /**
     * Predictions for every example (in the order of {@code data}), without gradients or dropout, in batches of
     * {@code batchSize} examples of similar length: sorted by token count, so a batch is padded to little more than
     * its own texts (on BANKING77's test split, 2.5x fewer positions than batches in file order). Padding is masked,
     * so an example's prediction does not depend on its batch (up to float rounding).
     */
    public static List<Prediction> predict(Block model, Encoded data, int batchSize, NDManager manager) {
        Prediction[] out = new Prediction[data.size()];
        ParameterStore store = new ParameterStore(manager, false);
        int[] byLength = data.indicesByLength();
        for (int from = 0; from < data.size(); from += batchSize) {
            int[] rows = java.util.Arrays.copyOfRange(byLength, from, Math.min(data.size(), from + batchSize));
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
                    out[rows[i]] = new Prediction(best, all[best], known ? losses[i] : Double.NaN, all);
                }
            }
        }
        return List.of(out);
    }
}
