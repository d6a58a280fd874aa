package dev.workbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.Table;
import dev.workbench.synth.CtganConfig;
import dev.workbench.synth.CtganSynthesizer;
import dev.workbench.synth.Synthesizer;
import dev.workbench.synth.SyntheticCsv;
import dev.workbench.synth.TableEncoder;
import dev.workbench.synth.TableProfile;
import dev.workbench.synth.TableProfiler;
import dev.workbench.synth.TrainingFacts;
import dev.workbench.synth.TvaeConfig;
import dev.workbench.synth.TvaeSynthesizer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code workbench bench synth}: CTGAN (or TVAE) training steps/s and sampling rows/s on a table (Adult from the
 * shared data folder when present, else a generated patient-like table), next to a PyTorch reference of the same step
 * ({@code scripts/bench_synth.py}) run in the same invocation when python3 with torch is available.
 */
public final class SynthesisSpeedBenchmark {

    /** The synthesizers this benchmark can time. */
    public enum Method { ctgan, tvae }

    /**
     * @param data CSV table; null: Adult train if present, else a generated table
     * @param steps timed training steps (CTGAN generator steps or TVAE optimiser steps)
     * @param threads intra-op threads on both sides (DJL reads it at engine start)
     * @param python Python with torch for the reference; null: $WORKBENCH_PYTHON or python3
     * @param script reference script; null: scripts/bench_synth.py of the checkout
     */
    public record Settings(Method method, Path data, int trainRows, int steps, int warmup, int sampleRows,
                           int batchSize, int threads, String python, Path script, boolean noReference) {
    }

    private SynthesisSpeedBenchmark() {
    }

    public static void run(Settings settings, PrintWriter out) throws IOException, InterruptedException {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(settings.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Path adult = BenchTables.adultTrain();
        Path source = settings.data() != null ? settings.data() : Files.isRegularFile(adult) ? adult : null;
        Table table = source != null ? SyntheticCsv.read(source) : BenchTables.generated(settings.trainRows(), 1);
        table = BenchTables.subsample(table, settings.trainRows(), 1);
        TableProfile profile = TableProfiler.profile(table);
        long encodeStart = System.nanoTime();
        TableEncoder encoder = TableEncoder.fit(table, profile);
        double encoderSeconds = (System.nanoTime() - encodeStart) / 1e9;
        CtganConfig config = CtganConfig.defaults().withBudget(0, settings.warmup() + settings.steps())
                .withNetworks(settings.batchSize(), 10, 128, List.of(256, 256), List.of(256, 256));
        String name = source == null ? "generated patient-like table" : source.getFileName().toString();
        int rows = table.rows().size();
        boolean tvae = settings.method() == Method.tvae;
        TvaeSynthesizer.Architecture architecture = TvaeSynthesizer.Architecture.DEFAULT;
        TvaeConfig tvaeConfig = TvaeConfig.from(config.asSection(List.of(TvaeSynthesizer.NAME)));
        int batch = tvae ? tvaeConfig.effectiveBatchSize(rows) : config.effectiveBatchSize(rows);
        String networks = tvae ? String.format(Locale.ROOT, "TVAE embedding %d, encoder %s, decoder %s",
                architecture.embeddingDim(), dims(architecture.compressDims()), dims(architecture.decompressDims()))
                : "pac 10, G/D (256, 256)";
        out.printf(Locale.ROOT, "table: %s, %d rows x %d columns -> encoded width %d, conditional width %d; "
                        + "batch %d, %s, %d intra-op thread(s)%n", name, rows,
                profile.columns().size(), encoder.width(), encoder.condWidth(), batch, networks, settings.threads());
        out.printf(Locale.ROOT, "encoder fit (variational mixtures + one-hot): %.2f s%n", encoderSeconds);
        out.flush();

        double[] java;
        if (tvae) {
            TvaeSynthesizer synthesizer = new TvaeSynthesizer(tvaeConfig);
            java = time(settings, synthesizer, synthesizer::training, table, profile, batch);
        } else {
            CtganSynthesizer synthesizer = new CtganSynthesizer(config);
            java = time(settings, synthesizer, synthesizer::training, table, profile, batch);
        }
        Map<String, Object> specJson = new LinkedHashMap<>();
        specJson.put("method", settings.method().name());
        if (tvae) {
            specJson.put("embedding_dim", architecture.embeddingDim());
            specJson.put("compress_dims", architecture.compressDims());
            specJson.put("decompress_dims", architecture.decompressDims());
        }
        JsonNode reference = settings.noReference() ? null
                : runReference(settings, encoder, rows, batch, config, specJson, out);
        out.printf(Locale.ROOT, "%n| figure | DJL %s (Java) | %s | DJL / PyTorch |%n|---|---|---|---|%n",
                ai.djl.engine.Engine.getDjlVersion(), reference == null ? "PyTorch reference (not run)"
                        : "PyTorch " + reference.path("torch").asText());
        row(out, settings.method().name().toUpperCase(Locale.ROOT) + " train steps/s (batch " + batch + ")", java[0],
                reference == null ? Double.NaN : reference.path("steps_per_s").asDouble());
        row(out, "sampling rows/s", java[1],
                reference == null ? Double.NaN : reference.path("sample_rows_per_s").asDouble());
        out.println("(sampling: DJL decodes to CSV strings; the reference stops at argmax arrays)");
        out.flush();
    }

    /** {steps/s over the timed steps, sampled rows/s} of a fresh synthesizer; {@code training} reads its facts. */
    private static double[] time(Settings settings, Synthesizer synthesizer, Supplier<TrainingFacts> training,
                                 Table table, TableProfile profile, int batch) {
        try (synthesizer) {
            synthesizer.fit(table, profile, 1);
            double stepsPerSecond = settings.steps() / timedSeconds(settings, training.get().stepSeconds());
            synthesizer.sample(batch, Map.of(), 0);
            long start = System.nanoTime();
            synthesizer.sample(settings.sampleRows(), Map.of(), 1);
            return new double[] {stepsPerSecond, settings.sampleRows() / ((System.nanoTime() - start) / 1e9)};
        }
    }

    /** Seconds of the steps after the warm-up ones. */
    private static double timedSeconds(Settings settings, List<Double> stepSeconds) {
        return stepSeconds.subList(settings.warmup(), stepSeconds.size()).stream().mapToDouble(Double::doubleValue)
                .sum();
    }

    private static String dims(List<Integer> dims) {
        return "(" + String.join(", ", dims.stream().map(String::valueOf).toList()) + ")";
    }

    private static void row(PrintWriter out, String figure, double java, double reference) {
        out.printf(Locale.ROOT, "| %s | %.1f | %s | %s |%n", figure, java,
                Double.isNaN(reference) ? "-" : String.format(Locale.ROOT, "%.1f", reference),
                Double.isNaN(reference) ? "-" : String.format(Locale.ROOT, "%.2f", java / reference));
    }

    private static JsonNode runReference(Settings settings, TableEncoder encoder, int rows, int batch,
                                         CtganConfig config, Map<String, Object> json, PrintWriter out)
            throws IOException, InterruptedException {
        Optional<Path> scriptPath = settings.script() != null ? Optional.of(settings.script())
                : Checkout.script("bench_synth.py");
        if (scriptPath.isEmpty()) {
            out.println("reference: scripts/bench_synth.py not found; skipped");
            return null;
        }
        List<List<Object>> spans = new ArrayList<>();
        for (TableEncoder.Span span : encoder.spans()) {
            spans.add(List.of(span.start(), span.width(), span.activation() == TableEncoder.Activation.TANH ? "tanh"
                    : "softmax"));
        }
        List<List<Integer>> discrete = new ArrayList<>();
        for (TableEncoder.DiscreteColumn column : encoder.discreteColumns()) {
            discrete.add(List.of(column.dataStart(), column.categories(), column.condStart()));
        }
        json.put("spans", spans);
        json.put("discrete", discrete);
        json.put("width", encoder.width());
        json.put("cond_width", encoder.condWidth());
        json.put("rows", rows);
        json.put("batch", batch);
        json.put("pac", config.pac());
        json.put("noise_dim", config.noiseDim());
        json.put("generator_dims", config.generatorDims());
        json.put("critic_dims", config.criticDims());
        json.put("steps", settings.steps());
        json.put("warmup", settings.warmup());
        json.put("sample_rows", settings.sampleRows());
        json.put("threads", settings.threads());
        Path specFile = Files.createTempFile("bench-synth", ".json");
        try {
            new ObjectMapper().writeValue(specFile.toFile(), json);
            return PythonReference.runJsonScript(settings.python(), scriptPath.get(), specFile, settings.threads(),
                    out);
        } finally {
            Files.deleteIfExists(specFile);
        }
    }
}
