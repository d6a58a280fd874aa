package dev.workbench.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.workbench.model.Architecture;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.model.hf.CheckpointRef;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * {@code workbench bench gpt2}: time and memory of GPT-2-family models on this machine: a random model of a
 * published GPT-2 shape (or a real {@code hf:} folder), random tokens, inference forward passes and training
 * forward + backward passes (language-model cross-entropy; no optimizer update, which adds about two parameter-sized
 * buffers for AdamW). Peak memory is the process's resident set high-water mark (VmHWM), native PyTorch memory
 * included.
 */
public final class Gpt2Benchmark {
    /** Flattened (B*T, V) logits against (B*T) ids: DJL's loss rejects (B, T, V) with (B, T). */
    private static final SoftmaxCrossEntropyLoss LOSS = new SoftmaxCrossEntropyLoss();

    private Gpt2Benchmark() {
    }

    /** The published GPT-2 family shapes (vocabulary 50257, 1024 positions, tanh GELU). */
    public static GptConfig shape(String name) {
        return switch (name) {
            case "distilgpt2" -> gpt2(6, 12, 768);
            case "gpt2" -> gpt2(12, 12, 768);
            case "gpt2-medium" -> gpt2(24, 16, 1024);
            case "gpt2-large" -> gpt2(36, 20, 1280);
            default -> throw WorkbenchException.invalid("unknown shape '" + name
                    + "' (distilgpt2, gpt2, gpt2-medium, gpt2-large)");
        };
    }

    private static GptConfig gpt2(int layers, int heads, int dim) {
        return new GptConfig(50257, 1024, layers, heads, dim, 0.1, GptConfig.Activation.GELU_TANH);
    }

    /**
     * @param loadSeconds time to create (random shape) or import (hf folder) the model
     * @param forwardMs mean inference forward pass, batch x sequence tokens
     * @param trainStepMs mean training forward + backward pass
     * @param forwardCpuMs process CPU time (all threads, native included) of the forward pass: on a shared, busy
     *     machine the honest measure of work (wall time there mostly measures waiting); NaN without /proc
     * @param trainStepCpuMs the same for forward + backward
     * @param rssPeakBytes resident set high-water mark of the process (-1 where /proc is unavailable)
     */
    public record Measurement(Architecture config, long parameters, int batchSize, int sequenceLength, int steps,
                              double loadSeconds, double forwardMs, double trainStepMs, double forwardCpuMs,
                              double trainStepCpuMs, long rssAfterLoadBytes, long rssPeakBytes) {
        public double trainTokensPerSecond() {
            return batchSize * (double) sequenceLength / trainStepMs * 1000;
        }
    }

    /**
     * @param shape a published shape: distilgpt2, gpt2, gpt2-medium or gpt2-large
     * @param model {@code hf:DIR} to measure instead of a random model of {@code shape}; null: none
     */
    public record Settings(String shape, String model, int batch, int seq, int steps) {
    }

    public static void run(Settings settings, PrintWriter out) {
        Path folder = null;
        if (settings.model() != null) {
            if (!settings.model().startsWith(CheckpointRef.HF_PREFIX)) {
                throw WorkbenchException.invalid("--model takes hf:DIR, got " + settings.model());
            }
            folder = CheckpointRef.resolve(settings.model()).folder();
        }
        Measurement m = measure(shape(settings.shape()), folder, settings.batch(), settings.seq(), settings.steps(),
                Device.cpu());
        out.printf(Locale.ROOT,
                "%s: %,d parameters, batch %d x %d tokens, %d steps, threads %s%n"
                        + "  load %.1f s, RSS after load %.0f MiB%n"
                        + "  inference forward %.0f ms/step wall, %.0f ms CPU%n"
                        + "  training forward+backward %.0f ms/step wall (%.0f tokens/s), %.0f ms CPU%n"
                        + "  peak RSS %.0f MiB%n",
                settings.model() == null ? settings.shape() : settings.model(), m.parameters(), m.batchSize(),
                m.sequenceLength(), m.steps(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                m.loadSeconds(), m.rssAfterLoadBytes() / 1048576.0, m.forwardMs(), m.forwardCpuMs(), m.trainStepMs(),
                m.trainTokensPerSecond(), m.trainStepCpuMs(), m.rssPeakBytes() / 1048576.0);
    }

    /** Measures a random model of {@code config}, or the model of {@code hfFolder} when it is not null. */
    public static Measurement measure(GptConfig config, Path hfFolder, int batchSize, int sequenceLength, int steps,
                                  Device device) {
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed(1);
            LanguageModel model = hfFolder == null ? GptModel.create(config, 1, manager)
                    : HfImporter.loadModel(hfFolder, manager);
            Architecture actual = model.architecture();
            if (sequenceLength > actual.contextLength()) {
                throw WorkbenchException.invalid("sequence length " + sequenceLength + " exceeds the model's "
                        + actual.contextLength() + " positions");
            }
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            long rssAfterLoad = rssBytes("VmRSS");
            long parameters = model.namedParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            Random random = new Random(1);
            double forwardMs = 0;
            double trainMs = 0;
            double forwardCpuMs = 0;
            double trainCpuMs = 0;
            for (int step = -1; step < steps; step++) { // step -1 warms up
                try (NDManager sub = manager.newSubManager()) {
                    long[][] ids = new long[batchSize][sequenceLength + 1];
                    for (long[] row : ids) {
                        for (int t = 0; t < row.length; t++) {
                            row[t] = random.nextInt(actual.vocabSize());
                        }
                    }
                    NDArray all = sub.create(ids);
                    NDArray input = all.get(":, :-1");
                    NDArray target = all.get(":, 1:");
                    double c0 = cpuMs();
                    long t0 = System.nanoTime();
                    model.forward(new ParameterStore(sub, false), new NDList(input), false).head().toFloatArray();
                    long t1 = System.nanoTime();
                    double c1 = cpuMs();
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = model.forward(new ParameterStore(sub, false), new NDList(input), true).head();
                        NDArray loss = LOSS.evaluate(new NDList(target.reshape(-1)),
                                new NDList(logits.reshape(-1, actual.vocabSize())));
                        collector.backward(loss);
                    }
                    long t2 = System.nanoTime();
                    double c2 = cpuMs();
                    if (step >= 0) {
                        forwardMs += (t1 - t0) / 1e6;
                        trainMs += (t2 - t1) / 1e6;
                        forwardCpuMs += c1 - c0;
                        trainCpuMs += c2 - c1;
                    }
                }
            }
            return new Measurement(actual, parameters, batchSize, sequenceLength, steps, loadSeconds,
                    forwardMs / steps, trainMs / steps, forwardCpuMs / steps, trainCpuMs / steps, rssAfterLoad,
                    rssBytes("VmHWM"));
        }
    }

    /** User + system CPU time of the whole process (fields 14 and 15 of /proc/self/stat, in clock ticks of 10 ms). */
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
    private static long rssBytes(String key) {
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
