package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.optim.Adam;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.Training;
import dev.workbench.store.AtomicDirectory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * Throughput of the real training step ({@link TrainingLoop} with {@link LanguageModelTask}: forward, backward,
 * global-norm clipping, NaN guard, AdamW) on random tokens, for {@code workbench bench train}. A short warm-up run
 * comes first; the measured run's tokens/s counts step time only (not the final checkpoint).
 */
public final class TrainingBenchmark {
    private TrainingBenchmark() {
    }

    /** Architectures measured: the same sizes as the recipe presets of the same names. */
    public record Shape(String name, int layers, int heads, int embeddingDim, int contextLength, int vocabSize) {
        public static Shape preset(String name) {
            return switch (name) {
                // mirrors recipe.ModelPreset (NANO 2x4x128 ctx 128, MICRO 4x4x192 ctx 256), BPE-sized vocabulary
                case "nano" -> new Shape("nano", 2, 4, 128, 128, 1024);
                case "micro" -> new Shape("micro", 4, 4, 192, 256, 1024);
                case "small" -> new Shape("small", 6, 6, 384, 256, 1024);
                default -> throw dev.workbench.recipe.WorkbenchException.invalid("unknown preset '" + name
                        + "' (nano, micro, small)");
            };
        }
    }

    public record Measurement(Shape shape, int batchSize, int steps, double tokensPerSecond, double msPerStep,
                              long parameters, long heapPeakBytes, long rssPeakBytes) {
    }

    public static Measurement run(Shape shape, int batchSize, int steps, int warmupSteps, Device device)
            throws IOException {
        GptConfig config = new GptConfig(shape.vocabSize(), shape.contextLength(), shape.layers(), shape.heads(),
                shape.embeddingDim(), 0.0);
        Path scratch = Files.createTempDirectory("workbench-bench-train");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed(1);
            GptModel model = GptModel.create(config, 1, manager);
            ModelParameters parameters = ModelParameters.of(model);
            Random random = new Random(1);
            int[] stream = new int[(steps + warmupSteps) * batchSize * shape.contextLength() + 1];
            for (int i = 0; i < stream.length; i++) {
                stream[i] = random.nextInt(shape.vocabSize() - 1);
            }
            TokenWindows windows = new TokenWindows(stream, shape.contextLength());
            LanguageModelTask task = new LanguageModelTask(model, parameters, windows, null, batchSize, 1, 1,
                    (target, files) -> Checkpoints.saveGeneric(target, parameters, files));
            if (warmupSteps > 0) {
                new TrainingLoop(settings(warmupSteps), quiet).run(task, device, scratch.resolve("warmup"),
                        scratch.resolve("warmup.csv"), Optional.empty());
            }
            TrainingLoop.Result result = new TrainingLoop(settings(steps), quiet).run(task, device,
                    scratch.resolve("measured"), scratch.resolve("measured.csv"), Optional.empty());
            double tokensPerStep = (double) batchSize * shape.contextLength();
            return new Measurement(shape, batchSize, steps, result.tokensPerSecond(),
                    tokensPerStep / result.tokensPerSecond() * 1000, parameters.count(), result.heapPeakBytes(),
                    result.rssPeakBytes());
        } finally {
            AtomicDirectory.deleteRecursively(scratch);
        }
    }

    private static TrainingLoop.Settings settings(int steps) {
        return new TrainingLoop.Settings("bench", steps, 1.0,
                new LrSchedule(Training.LrSchedule.CONSTANT, 1e-4, 0, steps), Adam.Settings.adamW(0.1),
                0, Optional.empty(), 0, 1, 3, Integer.MAX_VALUE, 1);
    }
}
