package dev.workbench.spark;

import dev.workbench.data.Table;
import dev.workbench.synth.BaselineConfig;
import dev.workbench.synth.IndependentSynthesizer;
import dev.workbench.synth.TableProfiler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --master} against a real standalone cluster: Spark's {@code local-cluster[workers,cores,MiB]} starts a
 * standalone Master and a Worker in this JVM, and the Worker launches the executor as a separate JVM, so the job
 * crosses process boundaries as on a cluster (tasks serialised, the generator read from the shared folder). No Spark
 * distribution is needed: the executors get this JVM's class path, and SPARK_TESTING/SPARK_SCALA_VERSION tell the
 * Worker's launcher not to look for a distribution's jars folder.
 */
class MasterTest {

    @Test
    void sampleOnAStandaloneClusterEqualsTheSameSampleInProcess(@TempDir Path dir) throws Exception {
        Random random = new Random(2);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(List.of(Integer.toString(20 + random.nextInt(60)), random.nextBoolean() ? "yes" : "no"));
        }
        Table table = new Table(List.of("age", "readmitted"), rows);
        IndependentSynthesizer synthesizer = new IndependentSynthesizer(new BaselineConfig(true));
        synthesizer.fit(table, TableProfiler.profile(table), 1);
        Path generator = dir.resolve("generator");
        synthesizer.save(generator);

        String jvmOptions = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Dio.netty")).toList());
        Path cluster = dir.resolve("cluster");
        assertEquals(0, SparkMain.execute("sample", "--spark", "--master", "local-cluster[1,2,1024]",
                "--conf", "spark.executor.extraClassPath=" + System.getProperty("java.class.path"),
                "--conf", "spark.executor.extraJavaOptions=" + jvmOptions,
                "--conf", "spark.executorEnv.SPARK_TESTING=1", "--conf", "spark.executorEnv.SPARK_SCALA_VERSION=2.13",
                "--partitions", "4", "--checkpoint", generator.toString(), "--rows", "20000", "--seed", "8",
                "--out", cluster.toString()));
        Path local = dir.resolve("local");
        assertEquals(0, SparkMain.execute("sample", "--spark", "--master", "local[2]", "--partitions", "4",
                "--checkpoint", generator.toString(), "--rows", "20000", "--seed", "8", "--out", local.toString()));
        try (SparkSession spark = new SparkOptions("local[1]", Map.of()).session("test")) {
            Dataset<Row> a = PartitionedFiles.read(spark, cluster.toString());
            Dataset<Row> b = PartitionedFiles.read(spark, local.toString());
            assertEquals(20000, a.count());
            assertEquals(0, a.exceptAll(b).count(), "the cluster's rows are the in-process rows");
            assertEquals(0, b.exceptAll(a).count());
        }
    }
}
