package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.synth.CtganConfig;
import dev.workbench.synth.CtganSynthesizer;
import dev.workbench.synth.SyntheticCsv;
import dev.workbench.synth.TableEncoder;
import dev.workbench.synth.TableProfile;
import dev.workbench.synth.TableProfiler;
import dev.workbench.synth.TvaeConfig;
import dev.workbench.synth.TvaeSynthesizer;
import picocli.CommandLine;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code workbench bench synth}: CTGAN (or, with {@code --method tvae}, TVAE) training steps/s and sampling rows/s on a table (Adult from
 * /work/shared/data when present, else a generated patient-like table), next to a PyTorch reference of the same step
 * (scripts/bench_synth.py) run in the same invocation when python3 with torch is available. Belongs under the
 * {@code bench} parent command.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Benchmark CTGAN or TVAE training and sampling on DJL against a PyTorch reference.")
public final class BenchSynthCommand implements Callable<Integer> {
    static final Path ADULT = Path.of("/work/shared/data/benchmark/adult_train.csv");

    /** The synthesizers this command can time. */
    enum Method { ctgan, tvae }

    @Option(names = "--method", defaultValue = "ctgan", description = "ctgan or tvae (default ${DEFAULT-VALUE}).")
    Method method;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", description = "CSV table (default: Adult train if present, else a generated table).")
    Path data;

    @Option(names = "--train-rows", defaultValue = "5000", description = "Rows used (seeded subsample; default "
            + "${DEFAULT-VALUE}).")
    int trainRows;

    @Option(names = "--steps", defaultValue = "40", description = "Timed training steps: CTGAN generator steps or "
            + "TVAE optimiser steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed warm-up steps (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--sample-rows", defaultValue = "10000", description = "Rows generated for the sampling figure.")
    int sampleRows;

    @Option(names = "--batch-size", defaultValue = "500")
    int batchSize;

    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads on both sides (default "
            + "${DEFAULT-VALUE}). DJL reads it at engine start, so use one value per invocation.")
    int threads;

    @Option(names = "--python", description = "Python with torch for the reference (default $WORKBENCH_PYTHON or "
            + "python3).")
    String python;

    @Option(names = "--script", description = "Reference script (default scripts/bench_synth.py, searched upward "
            + "from the working folder).")
    Path script;

    @Option(names = "--no-reference", description = "Skip the PyTorch reference.")
    boolean noReference;

    @Override
    public Integer call() throws Exception {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        PrintWriter out = spec.commandLine().getOut();
        Path source = data != null ? data : Files.isRegularFile(ADULT) ? ADULT : null;
        Table table = source != null ? SyntheticCsv.read(source) : generatedTable(trainRows, 1);
        table = subsample(table, trainRows, 1);
        TableProfile profile = TableProfiler.profile(table);
        long encodeStart = System.nanoTime();
        TableEncoder encoder = TableEncoder.fit(table, profile);
        double encoderSeconds = (System.nanoTime() - encodeStart) / 1e9;
        CtganConfig config = CtganConfig.defaults().withBudget(0, warmup + steps)
                .withNetworks(batchSize, 10, 128, List.of(256, 256), List.of(256, 256));
        String name = source == null ? "generated patient-like table" : source.getFileName().toString();
        int rows = table.rows().size();
        boolean tvae = method == Method.tvae;
        TvaeSynthesizer.Architecture architecture = TvaeSynthesizer.Architecture.DEFAULT;
        TvaeConfig tvaeConfig = TvaeConfig.from(config.asSection(List.of(TvaeSynthesizer.NAME)));
        int batch = tvae ? tvaeConfig.effectiveBatchSize(rows) : config.effectiveBatchSize(rows);
        String networks = tvae ? String.format(Locale.ROOT, "TVAE embedding %d, encoder %s, decoder %s",
                architecture.embeddingDim(), dims(architecture.compressDims()), dims(architecture.decompressDims()))
                : "pac 10, G/D (256, 256)";
        out.printf(Locale.ROOT, "table: %s, %d rows x %d columns -> encoded width %d, conditional width %d; "
                        + "batch %d, %s, %d intra-op thread(s)%n", name, rows,
                profile.columns().size(), encoder.width(), encoder.condWidth(), batch, networks, threads);
        out.printf(Locale.ROOT, "encoder fit (variational mixtures + one-hot): %.2f s%n", encoderSeconds);
        out.flush();

        double[] java = tvae ? timeTvae(tvaeConfig, table, profile, batch) : timeCtgan(config, table, profile, batch);
        Map<String, Object> specJson = new LinkedHashMap<>();
        specJson.put("method", method.name());
        if (tvae) {
            specJson.put("embedding_dim", architecture.embeddingDim());
            specJson.put("compress_dims", architecture.compressDims());
            specJson.put("decompress_dims", architecture.decompressDims());
        }
        JsonNode reference = noReference ? null : runReference(encoder, rows, batch, config, specJson, out);
        out.printf(Locale.ROOT, "%n| figure | DJL %s (Java) | %s | DJL / PyTorch |%n|---|---|---|---|%n",
                ai.djl.engine.Engine.getDjlVersion(), reference == null ? "PyTorch reference (not run)"
                        : "PyTorch " + reference.path("torch").asText());
        row(out, method.name().toUpperCase(Locale.ROOT) + " train steps/s (batch " + batch + ")", java[0],
                reference == null ? Double.NaN : reference.path("steps_per_s").asDouble());
        row(out, "sampling rows/s", java[1],
                reference == null ? Double.NaN : reference.path("sample_rows_per_s").asDouble());
        out.println("(sampling: DJL decodes to CSV strings; the reference stops at argmax arrays)");
        out.flush();
        return 0;
    }

    /** {steps/s over the timed steps, sampled rows/s}. */
    private double[] timeCtgan(CtganConfig config, Table table, TableProfile profile, int batch) {
        try (CtganSynthesizer ctgan = new CtganSynthesizer(config)) {
            ctgan.fit(table, profile, 1);
            double stepsPerSecond = steps / timedSeconds(ctgan.training().stepSeconds());
            ctgan.sample(batch, Map.of(), 0);
            long start = System.nanoTime();
            ctgan.sample(sampleRows, Map.of(), 1);
            return new double[] {stepsPerSecond, sampleRows / ((System.nanoTime() - start) / 1e9)};
        }
    }

    /** The same figures for TVAE. */
    private double[] timeTvae(TvaeConfig config, Table table, TableProfile profile, int batch) {
        try (TvaeSynthesizer tvae = new TvaeSynthesizer(config)) {
            tvae.fit(table, profile, 1);
            double stepsPerSecond = steps / timedSeconds(tvae.training().stepSeconds());
            tvae.sample(batch, Map.of(), 0);
            long start = System.nanoTime();
            tvae.sample(sampleRows, Map.of(), 1);
            return new double[] {stepsPerSecond, sampleRows / ((System.nanoTime() - start) / 1e9)};
        }
    }

    /** Seconds of the steps after the warm-up ones. */
    private double timedSeconds(List<Double> stepSeconds) {
        return stepSeconds.subList(warmup, stepSeconds.size()).stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String dims(List<Integer> dims) {
        return "(" + String.join(", ", dims.stream().map(String::valueOf).toList()) + ")";
    }

    private static void row(PrintWriter out, String figure, double java, double reference) {
        out.printf(Locale.ROOT, "| %s | %.1f | %s | %s |%n", figure, java,
                Double.isNaN(reference) ? "-" : String.format(Locale.ROOT, "%.1f", reference),
                Double.isNaN(reference) ? "-" : String.format(Locale.ROOT, "%.2f", java / reference));
    }

    private JsonNode runReference(TableEncoder encoder, int rows, int batch, CtganConfig config,
                                  Map<String, Object> json, PrintWriter out) throws Exception {
        Path scriptPath = script != null ? script : findScript("bench_synth.py");
        if (scriptPath == null) {
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
        json.put("steps", steps);
        json.put("warmup", warmup);
        json.put("sample_rows", sampleRows);
        json.put("threads", threads);
        Path specFile = Files.createTempFile("bench-synth", ".json");
        try {
            new ObjectMapper().writeValue(specFile.toFile(), json);
            return runJsonScript(python, scriptPath, specFile, threads, out);
        } finally {
            Files.deleteIfExists(specFile);
        }
    }

    /**
     * Runs a reference script on a spec file and returns the JSON object it prints last; null (with the reason on
     * {@code out}) when it fails. The interpreter: {@code python}, else $WORKBENCH_PYTHON, else python3.
     */
    static JsonNode runJsonScript(String python, Path scriptPath, Path specFile, int threads, PrintWriter out)
            throws IOException, InterruptedException {
        String interpreter = python != null ? python : System.getenv().getOrDefault("WORKBENCH_PYTHON", "python3");
        ProcessBuilder builder = new ProcessBuilder(interpreter, scriptPath.toString(), specFile.toString())
                .redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String[] lines = output.strip().split("\n");
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            out.println("reference: " + interpreter + " " + scriptPath.getFileName() + " failed ("
                    + lines[lines.length - 1] + "); skipped");
            return null;
        }
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    /** scripts/NAME in the repository: under -Dworkbench.repo.root, else searched upward from the working folder. */
    static Path findScript(String name) {
        Path dir = Path.of("").toAbsolutePath();
        String root = System.getProperty("workbench.repo.root");
        if (root != null && Files.isRegularFile(Path.of(root, "scripts", name))) {
            return Path.of(root, "scripts", name);
        }
        while (dir != null) {
            Path candidate = dir.resolve("scripts").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }

    static Table subsample(Table table, int rows, long seed) {
        if (rows <= 0 || table.rows().size() <= rows) {
            return table;
        }
        List<List<String>> copy = new ArrayList<>(table.rows());
        Collections.shuffle(copy, new Random(seed));
        return table.withRows(copy.subList(0, rows));
    }

    /** A patient-like table (age, income with missing cells, sex, readmitted, smoker, ward, length of stay). */
    static Table generatedTable(int rows, long seed) {
        if (rows <= 0) {
            throw WorkbenchException.invalid("--train-rows must be positive");
        }
        Random random = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        String[] wards = {"cardiology", "oncology", "surgery", "general", "neurology", "pediatrics"};
        for (int i = 0; i < rows; i++) {
            int age = (int) Math.max(18, Math.min(95, Math.round(50 + 17 * random.nextGaussian())));
            double income = random.nextBoolean() ? 25 + 6 * random.nextGaussian() : 70 + 12 * random.nextGaussian();
            int stay = (int) Math.max(1, Math.round(Math.exp(1 + 0.02 * age + 0.5 * random.nextGaussian())));
            out.add(List.of(Integer.toString(age),
                    random.nextDouble() < 0.05 ? "" : String.format(Locale.ROOT, "%.2f", income),
                    random.nextDouble() < 0.48 ? "F" : "M",
                    random.nextDouble() < (age > 65 ? 0.45 : 0.15) ? "yes" : "no",
                    random.nextDouble() < 0.25 ? "true" : "false",
                    wards[Math.min(wards.length - 1, (int) Math.abs(random.nextGaussian() * 2))],
                    Integer.toString(stay)));
        }
        return new Table(List.of("age", "income", "sex", "readmitted", "smoker", "ward", "length_of_stay"), out);
    }
}
