package dev.workbench.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.finetune.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code workbench bench train}: tokens/s and peak memory of a training step for the presets at several batch sizes,
 * next to the same model trained by PyTorch ({@code scripts/bench_train.py}) in the same invocation when a Python with
 * torch is available. Belongs under the {@code bench} parent command.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training throughput (tokens/s) and peak memory of the workbench GPT vs a PyTorch reference.")
public final class BenchTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--presets", split = ",", defaultValue = "nano,micro", description = "default: ${DEFAULT-VALUE}")
    List<String> presets;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "8,16", description = "default: ${DEFAULT-VALUE}")
    List<Integer> batchSizes;

    @Option(names = "--steps", defaultValue = "10", description = "measured steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up steps (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--python", defaultValue = "python3",
            description = "Python with torch for the reference; 'none' skips it (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--script", defaultValue = "scripts/bench_train.py", description = "default: ${DEFAULT-VALUE}")
    Path script;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "default");
        out.printf("workbench bench train: %d measured steps after %d warm-up, DJL intra-op threads %s%n", steps,
                warmup, threads);
        out.println("| preset | batch | params | workbench tok/s | ms/step | peak RSS MiB | PyTorch tok/s | ratio |");
        out.println("|---|---|---|---|---|---|---|---|");
        List<String> notes = new ArrayList<>();
        for (String preset : presets) {
            TrainingBenchmark.Shape shape = TrainingBenchmark.Shape.preset(preset);
            for (int batch : batchSizes) {
                TrainingBenchmark.Measurement m = TrainingBenchmark.run(shape, batch, steps, warmup, Device.cpu());
                String reference = "unavailable";
                String ratio = "-";
                Reference r = reference(shape, batch, threads);
                if (r.tokensPerSecond > 0) {
                    reference = String.format(Locale.ROOT, "%,.0f", r.tokensPerSecond);
                    ratio = String.format(Locale.ROOT, "%.2f", m.tokensPerSecond() / r.tokensPerSecond);
                    if (!notes.contains(r.note)) {
                        notes.add(r.note);
                    }
                } else if (!notes.contains(r.note)) {
                    notes.add(r.note);
                }
                out.printf(Locale.ROOT, "| %s | %d | %,d | %,.0f | %.1f | %.0f | %s | %s |%n", preset, batch,
                        m.parameters(), m.tokensPerSecond(), m.msPerStep(), m.rssPeakBytes() / 1048576.0, reference,
                        ratio);
                out.flush();
            }
        }
        notes.forEach(n -> out.println("PyTorch reference: " + n));
        return 0;
    }

    private record Reference(double tokensPerSecond, String note) {
    }

    /** Runs the same model in PyTorch; any failure makes the reference "unavailable" with the reason. */
    private Reference reference(TrainingBenchmark.Shape shape, int batch, String threads) {
        if ("none".equals(python)) {
            return new Reference(0, "skipped (--python none)");
        }
        if (!Files.isRegularFile(script)) {
            return new Reference(0, "unavailable: " + script + " not found (run from the repository root)");
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--layers",
                String.valueOf(shape.layers()), "--heads", String.valueOf(shape.heads()), "--dim",
                String.valueOf(shape.embeddingDim()), "--context", String.valueOf(shape.contextLength()), "--vocab",
                String.valueOf(shape.vocabSize()), "--batch", String.valueOf(batch), "--steps", String.valueOf(steps),
                "--warmup", String.valueOf(warmup)));
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
                    + ", " + node.path("threads").asText("?") + " thread(s)");
        } catch (IOException e) {
            return new Reference(0, "unavailable: cannot start " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reference(0, "unavailable: interrupted");
        }
    }
}
