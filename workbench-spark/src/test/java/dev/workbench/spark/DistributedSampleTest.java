package dev.workbench.spark;

import dev.workbench.data.Table;
import dev.workbench.synth.BaselineConfig;
import dev.workbench.synth.IndependentSynthesizer;
import dev.workbench.synth.TableProfiler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sample --spark}: 1M rows in 8 seeded partitions, the single-process marginals, reproducible by seed. */
@Tag("slow") // real runs, 100k-1M rows and several Spark sessions: 25-65 s on 2 cores
class DistributedSampleTest {

    static final int ROWS = 1_000_000;

    @Test
    void millionRowsInPartitionsHaveTheSingleProcessMarginalsAndRepeatBySeed(@TempDir Path dir) throws Exception {
        Random random = new Random(4);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int age = 20 + random.nextInt(60);
            String type = random.nextDouble() < 0.3 ? "emergency" : "elective";
            rows.add(List.of(Integer.toString(age), type, random.nextDouble() < 0.2 ? "yes" : "no"));
        }
        Table table = new Table(List.of("age", "admission_type", "readmitted"), rows);
        IndependentSynthesizer synthesizer = new IndependentSynthesizer(new BaselineConfig(true));
        synthesizer.fit(table, TableProfiler.profile(table), 1);
        Path generator = dir.resolve("generator");
        synthesizer.save(generator);

        Table single = synthesizer.sample(ROWS, Map.of(), 21);
        Map<String, Double> singleShares = shares(single.rows().stream().map(r -> r.get(1)).toList());
        double singleMeanAge = single.rows().stream().mapToDouble(r -> Double.parseDouble(r.get(0))).average()
                .orElseThrow();

        Path first = dir.resolve("first");
        sample(generator, ROWS, 21, first);
        // reproducibility on a tenth of the rows (the CI budget): same seed twice, then another seed
        Path small = dir.resolve("small");
        Path again = dir.resolve("again");
        Path otherSeed = dir.resolve("other");
        sample(generator, ROWS / 10, 21, small);
        sample(generator, ROWS / 10, 21, again);
        sample(generator, ROWS / 10, 22, otherSeed);

        try (SparkSession spark = new SparkOptions("local[2]", Map.of()).session("test")) {
            Dataset<Row> sampled = spark.read().parquet(first.toString());
            Row ids = sampled.selectExpr("count(*)", "count(distinct row_id)", "min(row_id)", "max(row_id)",
                    "avg(cast(age as double))").first();
            assertEquals(ROWS, ids.getLong(0));
            assertEquals(ROWS, ids.getLong(1), "every row id once");
            assertEquals(0L, ids.getLong(2));
            assertEquals(ROWS - 1L, ids.getLong(3));
            assertEquals(singleMeanAge, ids.getDouble(4), 0.15, "mean age as single-process sampling");
            Map<String, Double> sparkShares = new HashMap<>();
            for (Row r : sampled.groupBy("admission_type").count().collectAsList()) {
                sparkShares.put(r.getString(0), r.getLong(1) / (double) ROWS);
            }
            assertEquals(singleShares.keySet(), sparkShares.keySet());
            singleShares.forEach((k, v) -> assertEquals(v, sparkShares.get(k), 0.003, "share of " + k));

            Dataset<Row> once = spark.read().parquet(small.toString());
            Dataset<Row> repeated = spark.read().parquet(again.toString());
            assertEquals(ROWS / 10, repeated.count());
            assertEquals(0, once.exceptAll(repeated).count(), "same seed, same rows (with the same row ids)");
            assertNotEquals(0, once.exceptAll(spark.read().parquet(otherSeed.toString())).count(),
                    "another seed, other rows");
        }
        assertTrue(DistributedSample.partitionSeed(21, 0) != DistributedSample.partitionSeed(21, 1));
        assertEquals(ROWS, java.util.stream.IntStream.range(0, 7)
                .mapToLong(k -> DistributedSample.share(ROWS, 7, k)).sum());
        assertEquals(DistributedSample.offset(ROWS, 7, 6) + DistributedSample.share(ROWS, 7, 6), ROWS);
    }

    private static void sample(Path generator, int rows, long seed, Path out) {
        assertEquals(0, SparkMain.execute("sample", "--spark", "--master", "local[2]", "--partitions", "8",
                "--checkpoint", generator.toString(), "--rows", Integer.toString(rows), "--seed",
                Long.toString(seed), "--out", out.toString(), "--format", "parquet"));
    }

    private static Map<String, Double> shares(List<String> values) {
        Map<String, Double> shares = new HashMap<>();
        values.forEach(v -> shares.merge(v, 1.0 / values.size(), Double::sum));
        return shares;
    }
}
