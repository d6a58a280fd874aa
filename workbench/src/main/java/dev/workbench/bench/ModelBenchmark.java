package dev.workbench.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.workbench.model.Freezing;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.model.Generator;
import dev.workbench.model.SamplingConfig;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.recipe.BaseModel;
import dev.workbench.store.AtomicDirectory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * {@code workbench bench model}: throughput of the model code on this machine, for a GPT of the given size: training
 * steps (forward, backward, Adam) on random token windows, greedy generation, and checkpoint save/load.
 */
public final class ModelBenchmark {
    private ModelBenchmark() {
    }

    /**
     * @param trainTokensPerSecond batch x context tokens per second over the timed training steps
     * @param generatedTokensPerSecond greedy tokens per second (the default generator, with its key/value cache)
     */
    public record Result(GptConfig config, long parameters, int batchSize, int timedSteps, double msPerStep,
                         double trainTokensPerSecond, double generatedTokensPerSecond, long checkpointBytes,
                         double saveSeconds, double loadSeconds) {
    }

    /** @param steps timed training steps; @param generate greedy tokens to time */
    public record Settings(int vocabSize, int contextLength, int layers, int heads, int embeddingDim, int batchSize,
                           int steps, int generate) {
    }

    public static void run(Settings settings, PrintWriter out) throws IOException {
        GptConfig config = new GptConfig(settings.vocabSize(), settings.contextLength(), settings.layers(),
                settings.heads(), settings.embeddingDim(), 0.1);
        Result r = measure(config, settings.batchSize(), settings.steps(), settings.generate(), 0);
        out.printf(Locale.ROOT, "model      %d layers, %d heads, dim %d, context %d, vocab %d: %,d parameters%n",
                settings.layers(), settings.heads(), settings.embeddingDim(), settings.contextLength(),
                settings.vocabSize(), r.parameters());
        out.printf(Locale.ROOT, "train      batch %d: %.1f ms/step, %,.0f tokens/s (%d timed steps, AdamW)%n",
                settings.batchSize(), r.msPerStep(), r.trainTokensPerSecond(), r.timedSteps());
        out.printf(Locale.ROOT, "generate   %.1f tokens/s (greedy, key/value cache)%n", r.generatedTokensPerSecond());
        out.printf(Locale.ROOT, "checkpoint %,d bytes; save %.3f s, load %.3f s%n", r.checkpointBytes(),
                r.saveSeconds(), r.loadSeconds());
        out.flush();
    }

    public static Result measure(GptConfig config, int batchSize, int steps, int generatedTokens, long seed)
            throws IOException {
        int warmup = 2;
        Random random = new Random(seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            GptModel model = GptModel.create(config, seed, manager);
            double msPerStep;
            try (Model djl = Model.newInstance("bench")) {
                djl.setBlock(model);
                DefaultTrainingConfig training = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).build());
                try (Trainer trainer = djl.newTrainer(training)) {
                    trainer.initialize(new Shape(batchSize, config.contextLength()));
                    long start = 0;
                    for (int step = 0; step < warmup + steps; step++) {
                        if (step == warmup) {
                            start = System.nanoTime();
                        }
                        trainStep(trainer, manager, config, batchSize, random);
                    }
                    msPerStep = (System.nanoTime() - start) / 1e6 / steps;
                }
            }
            double trainTokensPerSecond = batchSize * (double) config.contextLength() / (msPerStep / 1000);

            int[] prompt = {1, 2, 3};
            new Generator(model).generate(prompt, SamplingConfig.greedy(2), -1);
            long generateStart = System.nanoTime();
            int[] generated = new Generator(model).generate(prompt, SamplingConfig.greedy(generatedTokens), -1);
            double generateSeconds = (System.nanoTime() - generateStart) / 1e9;

            Path scratch = Files.createTempDirectory("bench-model");
            try {
                Path folder = scratch.resolve("checkpoint");
                long saveStart = System.nanoTime();
                CheckpointIO.save(folder, CheckpointConfig.languageModel(config, BaseModel.TokenizerKind.BYTE), model,
                        dir -> Files.writeString(dir.resolve(Tokenizer.FILE), "{}"), Safetensors.DType.F32,
                        CheckpointIO.FolderWriter.NOTHING);
                double saveSeconds = (System.nanoTime() - saveStart) / 1e9;
                long loadStart = System.nanoTime();
                Checkpoint.open(folder).loadLanguageModel(manager);
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                return new Result(config, Freezing.totalCount(model), batchSize, steps, msPerStep,
                        trainTokensPerSecond, generated.length / generateSeconds,
                        Files.size(folder.resolve(CheckpointIO.WEIGHTS)), saveSeconds, loadSeconds);
            } finally {
                AtomicDirectory.deleteRecursively(scratch);
            }
        }
    }

    private static void trainStep(Trainer trainer, NDManager manager, GptConfig config, int batchSize,
                                  Random random) {
        long[][] input = new long[batchSize][config.contextLength()];
        long[] target = new long[batchSize * config.contextLength()];
        for (int b = 0; b < batchSize; b++) {
            for (int t = 0; t < config.contextLength(); t++) {
                input[b][t] = random.nextInt(config.vocabSize());
                target[b * config.contextLength() + t] = random.nextInt(config.vocabSize());
            }
        }
        try (NDManager batch = manager.newSubManager()) {
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(batch.create(input))).head();
                NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(batch.create(target)),
                        new NDList(logits.reshape(-1, config.vocabSize())));
                collector.backward(loss);
            }
            trainer.step();
        }
    }
}
