package dev.workbench.spark;

import dev.workbench.data.Table;
import dev.workbench.finetune.ClassifierPredictor;
import dev.workbench.synth.GeneratorCheckpoint;
import dev.workbench.synth.Synthesizer;
import dev.workbench.synth.SyntheticCsv;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code workbench bench spark}: rows/s of predict and sample single-process and on embedded Spark with 1 and 2
 * cores (local[1], local[2]), in one invocation, on the same inputs. Each figure includes loading the model and
 * writing the output; each path is warmed up first (the engine's start, a Spark session's first job), uncounted.
 */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = "Rows/s of predict and sample: single-process vs --spark on local[1] and local[2].")
public final class BenchSparkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "X", description = "classifier checkpoint or run folder")
    Path checkpoint;

    @Option(names = "--generator", required = true, paramLabel = "DIR", description = "generator folder (sample)")
    Path generator;

    @Option(names = "--predict-rows", defaultValue = "20000", description = "texts to label (default ${DEFAULT-VALUE})")
    int predictRows;

    @Option(names = "--sample-rows", defaultValue = "1000000", description = "rows to sample (default ${DEFAULT-VALUE})")
    int sampleRows;

    @Option(names = "--work", paramLabel = "DIR", description = "scratch folder (default: a temporary folder)")
    Path work;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("bench-spark");
        Path texts = dir.resolve("texts.csv");
        writeTexts(texts, predictRows, 11);
        List<String[]> results = new ArrayList<>();

        // warm-up of the single-process path too (engine start, class loading, JIT), not counted
        try (ClassifierPredictor predictor = new ClassifierPredictor(checkpoint);
             Synthesizer synthesizer = GeneratorCheckpoint.load(generator)) {
            predictor.predict(List.of("warm-up text"), 32);
            synthesizer.sample(1000, Map.of(), 0);
        }
        long start = System.nanoTime();
        try (ClassifierPredictor predictor = new ClassifierPredictor(checkpoint)) {
            List<ClassifierPredictor.Row> rows = ClassifierPredictor.readRows(texts, "text");
            predictor.writePredictions(dir.resolve("single.csv"), rows,
                    predictor.predict(rows.stream().map(ClassifierPredictor.Row::text).toList(), 32));
        }
        results.add(row("predict", "single process", predictRows, start));
        start = System.nanoTime();
        try (Synthesizer synthesizer = GeneratorCheckpoint.load(generator)) {
            Table table = synthesizer.sample(sampleRows, Map.of(), 1);
            SyntheticCsv.write(dir.resolve("single-sample.csv"), table);
        }
        results.add(row("sample", "single process", sampleRows, start));

        for (int cores : new int[] {1, 2}) {
            try (SparkSession spark = new SparkOptions("local[" + cores + "]", Map.of()).session("bench spark")) {
                // warm-up: class loading and the first job's set-up, not counted
                DistributedSample.run(spark, generator, 1000, Map.of(), 1, dir.resolve("warm-" + cores).toString(),
                        PartitionedFiles.Format.CSV, cores);
                start = System.nanoTime();
                DistributedPredict.run(spark, checkpoint.toString(), texts.toString(), "text", 32,
                        dir.resolve("predict-" + cores).toString(), PartitionedFiles.Format.CSV, cores);
                results.add(row("predict", "spark local[" + cores + "]", predictRows, start));
                start = System.nanoTime();
                DistributedSample.run(spark, generator, sampleRows, Map.of(), 1,
                        dir.resolve("sample-" + cores).toString(), PartitionedFiles.Format.CSV, cores);
                results.add(row("sample", "spark local[" + cores + "]", sampleRows, start));
            }
        }
        out.printf("%-8s %-18s %10s %9s %10s%n", "command", "path", "rows", "seconds", "rows/s");
        for (String[] r : results) {
            out.printf("%-8s %-18s %10s %9s %10s%n", (Object[]) r);
        }
        out.printf("scratch: %s (%d cores available)%n", dir, Runtime.getRuntime().availableProcessors());
        out.flush();
        return 0;
    }

    private static String[] row(String command, String path, int rows, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        return new String[] {command, path, Integer.toString(rows), String.format(Locale.ROOT, "%.2f", seconds),
                String.format(Locale.ROOT, "%.0f", rows / seconds)};
    }

    /** Short clinical-style messages (a seeded mix of three themes), as the classifier fixtures use. */
    static void writeTexts(Path file, int rows, long seed) throws java.io.IOException {
        String[][] words = {{"chest", "heart", "palpitations", "pressure"}, {"rash", "itchy", "skin", "mole"},
                {"headache", "dizzy", "numbness", "migraine"}};
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>(rows + 1);
        lines.add("text");
        for (int i = 0; i < rows; i++) {
            int c = random.nextInt(3);
            lines.add("patient reports " + words[c][random.nextInt(4)] + " and " + words[c][random.nextInt(4)]
                    + " since " + (1 + random.nextInt(9)) + " days");
        }
        Files.write(file, lines);
    }
}
