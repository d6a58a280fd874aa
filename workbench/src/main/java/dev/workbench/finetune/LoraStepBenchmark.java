package dev.workbench.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.workbench.model.Freezing;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.optim.Adam;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Load time, memory and LoRA training speed of a Hugging Face model folder on this machine, for {@code workbench bench
 * llama}: the folder is imported (each tensor read, widened to FP32 and copied into its parameter, one at a time),
 * LoRA adapters are added, then training steps on random tokens: forward, language-model cross-entropy, backward,
 * AdamW on the adapters, gradients zeroed, as the finetune stage does (without clipping, accumulation or logging).
 * Memory is the process's resident set ({@code VmRSS}, high-water mark {@code VmHWM}), native libtorch memory
 * included; run it in a process of its own so that the high-water mark is this measurement's.
 */
public final class LoraStepBenchmark {
    private LoraStepBenchmark() {
    }

    /**
     * @param weightBytes FP32 bytes of the model's parameters (what one copy of the weights takes)
     * @param rssAfterLoadBytes resident set right after loading; {@code rssPeakAfterLoadBytes} its high-water mark
     *     then: close to {@code weightBytes} plus the runtime when the load holds one copy of the weights
     * @param stepMs mean wall time of a measured training step
     * @param stepCpuMs mean process CPU time of a step (all threads): on a shared machine, the work done
     */
    public record Measurement(long parameters, long trainable, long weightBytes, int batchSize, int sequenceLength,
                              int steps, double loadSeconds, long rssAfterLoadBytes, long rssPeakAfterLoadBytes,
                              double stepMs, double stepCpuMs, long rssPeakBytes, double firstLoss,
                              double lastLoss) {
        public double tokensPerSecond() {
            return batchSize * (double) sequenceLength / stepMs * 1000;
        }
    }

    public static Measurement run(Path folder, int batchSize, int sequenceLength, int steps, Finetune.Lora lora,
                                  long seed) {
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            LanguageModel model = HfImporter.loadModel(folder, manager);
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            long rssAfterLoad = status("VmRSS");
            long peakAfterLoad = status("VmHWM");
            int vocab = model.architecture().vocabSize();
            if (sequenceLength > model.architecture().contextLength()) {
                throw WorkbenchException.invalid("sequence length " + sequenceLength + " exceeds the model's "
                        + model.architecture().contextLength() + " positions");
            }
            long parameters = Freezing.totalCount(model);
            Lora.apply(model, lora, seed);
            ModelParameters trainable = ModelParameters.of(model);
            long trainableCount = Freezing.trainableCount(model);
            Random random = new Random(seed);
            double stepMs = 0;
            double stepCpuMs = 0;
            double firstLoss = Double.NaN;
            double lastLoss = Double.NaN;
            try (Adam adam = new Adam(Adam.Settings.adamW(0.0), manager.getDevice())) {
                for (int step = -1; step < steps; step++) { // step -1 warms up
                    double c0 = cpuMs();
                    long t0 = System.nanoTime();
                    try (NDManager sub = manager.newSubManager()) {
                        long[][] ids = new long[batchSize][sequenceLength + 1];
                        for (long[] row : ids) {
                            for (int t = 0; t < row.length; t++) {
                                row[t] = random.nextInt(vocab);
                            }
                        }
                        NDArray all = sub.create(ids);
                        NDArray input = all.get(":, :-1");
                        NDArray labels = all.get(":, 1:");
                        double loss;
                        long tokens = (long) batchSize * sequenceLength;
                        MicroBatch micro = new MicroBatch(new NDList(input), labels, labels.onesLike(), tokens,
                                tokens);
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            // the finetune stage's loss: summed NLL over the step's tokens, divided by their count
                            NDArray mean = LossFunctions.lossSum(model, new ParameterStore(sub, false), micro, true)
                                    .div(sub.create((float) tokens));
                            collector.backward(mean);
                            loss = mean.getFloat();
                        }
                        adam.update(trainable, 1e-3);
                        trainable.zeroGradients();
                        if (step >= 0) {
                            firstLoss = Double.isNaN(firstLoss) ? loss : firstLoss;
                            lastLoss = loss;
                        }
                    }
                    if (step >= 0) {
                        stepMs += (System.nanoTime() - t0) / 1e6;
                        stepCpuMs += cpuMs() - c0;
                    }
                }
            }
            return new Measurement(parameters, trainableCount, parameters * 4, batchSize, sequenceLength, steps,
                    loadSeconds, rssAfterLoad, peakAfterLoad, stepMs / steps, stepCpuMs / steps, status("VmHWM"),
                    firstLoss, lastLoss);
        }
    }

    /** User + system CPU time of the whole process (fields 14 and 15 of /proc/self/stat, in 10 ms clock ticks). */
    private static double cpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** A line of /proc/self/status in bytes, or -1. */
    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
