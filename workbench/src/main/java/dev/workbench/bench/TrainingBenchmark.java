package dev.workbench.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.finetune.Checkpoints;
import dev.workbench.finetune.LanguageModelTask;
import dev.workbench.finetune.LrSchedule;
import dev.workbench.finetune.TokenWindows;
import dev.workbench.finetune.TrainingLoop;
import dev.workbench.model.Devices;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.optim.Adam;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code workbench bench train}: throughput of the real training step ({@link TrainingLoop} with
 * {@link LanguageModelTask}: forward, backward, global-norm clipping, NaN guard, AdamW) on random tokens, for the
 * presets at several batch sizes, next to the same model trained by PyTorch ({@code scripts/bench_train.py}) in the
 * same invocation when a Python with torch is available. A short warm-up run comes first; the measured run's tokens/s
 * counts step time only (not the final checkpoint).
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
                default -> throw WorkbenchException.invalid("unknown preset '" + name
                        + "' (nano, micro, small)");
            };
        }
    }

    public record Measurement(Shape shape, int batchSize, int steps, double tokensPerSecond, double msPerStep,
                              long parameters, long heapPeakBytes, long rssPeakBytes) {
    }

    /**
     * @param python Python with torch for the reference; "none" skips it
     * @param script the reference script, relative to the working folder
     * @param device {@code cpu}, {@code gpu} or {@code gpu:N} (as training.devices), for both sides
     */
    public record Settings(List<String> presets, List<Integer> batchSizes, int steps, int warmup, String python,
                           Path script, String device) {
    }

    /** Every preset at every batch size, one table row each as it is measured, then the reference's notes. */
    public static void run(Settings settings, PrintWriter out) throws IOException {
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "default");
        Device device = Devices.select(List.of(settings.device())).get(0);
        out.printf("workbench bench train: %d measured steps after %d warm-up on %s, DJL intra-op threads %s%n",
                settings.steps(), settings.warmup(), device, threads);
        // two references: the same explicit attention as the workbench, and PyTorch's default fused SDPA
        out.println("| preset | batch | params | workbench tok/s | ms/step | peak RSS MiB | PyTorch tok/s | ratio "
                + "| PyTorch SDPA tok/s | ratio to SDPA |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        List<String> notes = new ArrayList<>();
        for (String preset : settings.presets()) {
            Shape shape = Shape.preset(preset);
            for (int batch : settings.batchSizes()) {
                Measurement m = measure(shape, batch, settings.steps(), settings.warmup(), device);
                StringBuilder columns = new StringBuilder();
                for (boolean sdpa : new boolean[] {false, true}) {
                    Reference r = reference(settings, shape, batch, threads, sdpa);
                    columns.append(r.tokensPerSecond > 0 ? String.format(Locale.ROOT, " %,.0f | %.2f |",
                            r.tokensPerSecond, m.tokensPerSecond() / r.tokensPerSecond) : " unavailable | - |");
                    if (!notes.contains(r.note)) {
                        notes.add(r.note);
                    }
                }
                out.printf(Locale.ROOT, "| %s | %d | %,d | %,.0f | %.1f | %.0f |%s%n", preset, batch,
                        m.parameters(), m.tokensPerSecond(), m.msPerStep(), m.rssPeakBytes() / 1048576.0, columns);
                out.flush();
            }
        }
        notes.forEach(n -> out.println("PyTorch reference: " + n));
    }

    private record Reference(double tokensPerSecond, String note) {
    }

    /** Runs the same model in PyTorch; any failure makes the reference "unavailable" with the reason. */
    private static Reference reference(Settings settings, Shape shape, int batch, String threads, boolean sdpa) {
        String python = settings.python();
        Path script = settings.script();
        if ("none".equals(python)) {
            return new Reference(0, "skipped (--python none)");
        }
        if (!Files.isRegularFile(script)) {
            return new Reference(0, "unavailable: " + script + " not found (run from the repository root)");
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--layers",
                String.valueOf(shape.layers()), "--heads", String.valueOf(shape.heads()), "--dim",
                String.valueOf(shape.embeddingDim()), "--context", String.valueOf(shape.contextLength()), "--vocab",
                String.valueOf(shape.vocabSize()), "--batch", String.valueOf(batch), "--steps",
                String.valueOf(settings.steps()), "--warmup", String.valueOf(settings.warmup()), "--device",
                settings.device().trim().toLowerCase(Locale.ROOT).replace("gpu", "cuda")));
        if (sdpa) {
            command.add("--sdpa");
        }
        if (!"default".equals(threads)) {
            command.addAll(List.of("--threads", threads));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                String last = output.lines().reduce((a, b) -> b).orElse("no output");
                return new Reference(0, "unavailable: " + python + " " + script + " failed: " + last);
            }
            String json = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
            JsonNode node = new ObjectMapper().readTree(json);
            return new Reference(node.path("tokens_per_s").asDouble(0), "torch " + node.path("torch").asText("?")
                    + " on " + node.path("device").asText("?") + ", " + node.path("threads").asText("?")
                    + " thread(s)");
        } catch (IOException e) {
            return new Reference(0, "unavailable: cannot start " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reference(0, "unavailable: interrupted");
        }
    }

    public static Measurement measure(Shape shape, int batchSize, int steps, int warmupSteps, Device device)
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
