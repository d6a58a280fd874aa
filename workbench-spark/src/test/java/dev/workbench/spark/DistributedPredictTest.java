package dev.workbench.spark;

import dev.workbench.cli.Main;
import dev.workbench.cli.RecipeRun;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code predict --spark} and {@code score --spark} against core's single-process commands, row by row. */
@Tag("slow") // real runs, 100k-1M rows and several Spark sessions: 25-65 s on 2 cores
class DistributedPredictTest {

    @TempDir
    static Path work;

    static Path run;

    @BeforeAll
    static void trainATinyClassifier() throws Exception {
        Path recipe = TinyRecipe.write(work.resolve("recipe"), true);
        try (PrintStream log = new PrintStream(Files.newOutputStream(work.resolve("train.log")))) {
            run = RecipeRun.run(recipe, List.of(), work.resolve("runs"), work.resolve("reports"), log).runFolder();
        }
    }

    @Test
    void hundredThousandRowsEqualSingleProcessPredictRowByRow() throws Exception {
        Path texts = work.resolve("texts.csv");
        BenchSparkCommand.writeTexts(texts, 100_000, 5);
        Path single = work.resolve("single.csv");
        assertEquals(0, Main.execute("predict", "--checkpoint", run.toString(), "--input", texts.toString(),
                "--out", single.toString()));
        Path distributed = work.resolve("distributed");
        assertEquals(0, SparkMain.execute("predict", "--spark", "--master", "local[2]", "--partitions", "3",
                "--checkpoint", run.toString(), "--input", texts.toString(), "--out", distributed.toString(),
                "--format", "parquet"));

        List<CSVRecord> expected;
        try (Reader reader = Files.newBufferedReader(single)) {
            expected = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)
                    .getRecords();
        }
        try (SparkSession spark = new SparkOptions("local[2]", Map.of()).session("test")) {
            Dataset<Row> out = spark.read().parquet(distributed.toString());
            assertEquals(3, Files.list(distributed).filter(f -> f.getFileName().toString().startsWith("part-"))
                    .count(), "one part file per partition");
            List<Row> rows = out.orderBy("row_id").collectAsList();
            assertEquals(100_000, rows.size());
            List<String> columns = List.of(out.columns());
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                CSVRecord want = expected.get(i);
                assertEquals(i, row.getLong(0), "row ids are 0..n-1");
                assertEquals(want.get("id"), row.getString(1), "row " + i);
                assertEquals(want.get("text"), row.getString(2), "row " + i);
                assertEquals(want.get("label"), row.getString(3), "row " + i);
                assertEquals(want.get("confidence"), String.format(Locale.ROOT, "%.4f", row.getDouble(4)), "row " + i);
                for (String header : want.getParser().getHeaderNames()) {
                    if (header.startsWith("p_")) {
                        assertEquals(want.get(header), String.format(Locale.ROOT, "%.4f",
                                row.getDouble(columns.indexOf(header))), "row " + i + " " + header);
                    }
                }
            }
        }
    }

    @Test
    void scoreGivesEachRowItsBitsPerByteAndTheSingleProcessTotals() throws Exception {
        Path texts = work.resolve("score.csv");
        BenchSparkCommand.writeTexts(texts, 300, 9);
        // single-process score reads documents separated by blank lines: the same 300 texts
        Path documents = work.resolve("score.txt");
        Files.writeString(documents, String.join("\n\n", Files.readAllLines(texts).subList(1, 301)) + "\n");
        java.io.StringWriter single = new java.io.StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setOut(new java.io.PrintWriter(single));
        assertEquals(0, cli.execute("score", "--checkpoint", run.toString(), "--text-file", documents.toString(),
                "--json"));
        java.io.StringWriter distributed = new java.io.StringWriter();
        Path out = work.resolve("scored");
        assertEquals(0, SparkMain.execute("score", "--spark", "--master", "local[2]", "--checkpoint", run.toString(),
                "--text-file", texts.toString(), "--out", out.toString()));
        com.fasterxml.jackson.databind.JsonNode want = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(single.toString());
        try (SparkSession spark = new SparkOptions("local[2]", Map.of()).session("test")) {
            Dataset<Row> rows = PartitionedFiles.read(spark, out.toString());
            assertEquals(300, rows.count());
            Row sums = rows.selectExpr("sum(cast(bytes as long))", "sum(cast(tokens as long))",
                    "sum(cast(nll_nats as double))").first();
            assertEquals(want.path("bytes").asLong(), sums.getLong(0));
            assertEquals(want.path("tokens").asLong(), sums.getLong(1));
            double bitsPerByte = sums.getDouble(2) / Math.log(2) / sums.getLong(0);
            assertEquals(want.path("bits_per_byte").asDouble(), bitsPerByte, 1e-6);
        }
    }

    @Test
    void ctganSamplingInATaskIsCoreSamplingWithThePartitionsSeed() throws Exception {
        Path generator = run.resolve("synthetic/ctgan/generator");
        Path out = work.resolve("ctgan");
        assertEquals(0, SparkMain.execute("sample", "--spark", "--master", "local[2]", "--partitions", "2",
                "--checkpoint", generator.toString(), "--rows", "2000", "--seed", "4", "--out", out.toString()));
        java.util.List<java.util.List<String>> expected = new java.util.ArrayList<>();
        for (int k = 0; k < 2; k++) {
            try (dev.workbench.synth.Synthesizer ctgan = dev.workbench.synth.GeneratorCheckpoint.load(generator)) {
                expected.addAll(ctgan.sample(1000, Map.of(), DistributedSample.partitionSeed(4, k)).rows());
            }
        }
        try (SparkSession spark = new SparkOptions("local[1]", Map.of()).session("test")) {
            List<Row> rows = PartitionedFiles.read(spark, out.toString()).orderBy(
                    org.apache.spark.sql.functions.col("row_id").cast("long")).collectAsList();
            assertEquals(2000, rows.size());
            for (int i = 0; i < rows.size(); i++) {
                java.util.List<String> got = new java.util.ArrayList<>();
                for (int c = 1; c < rows.get(i).size(); c++) {
                    got.add(rows.get(i).getString(c));
                }
                assertEquals(expected.get(i), got, "row " + i);
            }
        }
    }

    @Test
    void badInputIsRefusedWithTheColumnsThereAre() throws IOException {
        Path texts = work.resolve("other.csv");
        Files.write(texts, List.of("body", "hello"));
        assertEquals(2, SparkMain.execute("predict", "--spark", "--master", "local[1]", "--checkpoint",
                run.toString(), "--input", texts.toString(), "--out", work.resolve("x").toString()));
        assertEquals(2, SparkMain.execute("predict", "--spark", "--checkpoint", run.toString(), "--input",
                texts.toString()), "--out is required");
        assertTrue(!Files.exists(work.resolve("x")));
    }
}
