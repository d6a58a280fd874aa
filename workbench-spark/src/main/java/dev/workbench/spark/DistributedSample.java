package dev.workbench.spark;

import dev.workbench.data.Table;
import dev.workbench.synth.GeneratorCheckpoint;
import dev.workbench.synth.Synthesizer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * {@code sample --spark}: partition k of P draws its share of the rows from the generator with its own seed,
 * {@link #partitionSeed}, through core's {@link Synthesizer#sample} (the single-process path), so the same
 * (seed, partitions) gives the same rows on any cluster. Output: {@code row_id} then the generator's columns;
 * partition k holds rows [offset(k), offset(k+1)).
 */
public final class DistributedSample {

    private DistributedSample() {
    }

    /** Partition k's seed: a SplitMix64 draw keyed by the user's seed and k, so partitions never share a stream. */
    public static long partitionSeed(long seed, int partition) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (partition + 1L))).nextLong();
    }

    /** Rows of partition k when {@code rows} are spread over {@code partitions}: the first rows % P get one more. */
    static long share(long rows, int partitions, int k) {
        return rows / partitions + (k < rows % partitions ? 1 : 0);
    }

    static long offset(long rows, int partitions, int k) {
        return k * (rows / partitions) + Math.min(k, rows % partitions);
    }

    public static DistributedPredict.Written run(SparkSession spark, Path generator, long rows,
                                                 Map<String, String> conditions, long seed, String output,
                                                 PartitionedFiles.Format format, Integer partitions)
            throws IOException {
        PartitionedFiles.requireAbsent(output);
        List<String> columns;
        // the driver loads the generator once to check the conditions and learn the columns before any task runs
        try (Synthesizer synthesizer = GeneratorCheckpoint.load(generator)) {
            columns = synthesizer.sample(1, conditions, seed).columns();
        }
        int n = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
        if (n < 1 || n > rows) {
            throw dev.workbench.recipe.WorkbenchException.invalid("--partitions " + n + ": between 1 and --rows ("
                    + rows + ")");
        }
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("row_id", DataTypes.LongType, false));
        columns.forEach(c -> fields.add(DataTypes.createStructField(c, DataTypes.StringType, true)));
        StructType schema = DataTypes.createStructType(fields);
        JavaRDD<Row> sampled = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(IntStream.range(0, n).boxed().toList(), n)
                .mapPartitions(new Partition(generator.toAbsolutePath().toString(), rows, n,
                        new LinkedHashMap<>(conditions), seed));
        PartitionedFiles.write(spark.createDataFrame(sampled, schema), format, output);
        long written = PartitionedFiles.read(spark, output).count();
        if (written != rows) {
            throw new IllegalStateException("sample --spark wrote " + written + " rows to " + output + ", asked for "
                    + rows);
        }
        return new DistributedPredict.Written(output, rows, n);
    }

    /** One task: its partitions' shares of the rows, each with its own seed, then the generator closed. */
    static final class Partition implements FlatMapFunction<Iterator<Integer>, Row> {
        private final String generator;
        private final long rows;
        private final int partitions;
        private final LinkedHashMap<String, String> conditions;
        private final long seed;

        Partition(String generator, long rows, int partitions, LinkedHashMap<String, String> conditions, long seed) {
            this.generator = generator;
            this.rows = rows;
            this.partitions = partitions;
            this.conditions = conditions;
            this.seed = seed;
        }

        @Override
        public Iterator<Row> call(Iterator<Integer> ks) throws IOException {
            TaskThreads.inferenceOnly();
            List<Row> out = new ArrayList<>();
            try (Synthesizer synthesizer = GeneratorCheckpoint.load(Path.of(generator))) {
                while (ks.hasNext()) {
                    int k = ks.next();
                    long share = share(rows, partitions, k);
                    long first = offset(rows, partitions, k);
                    Table table = synthesizer.sample(Math.toIntExact(share), conditions, partitionSeed(seed, k));
                    for (int i = 0; i < table.rows().size(); i++) {
                        Object[] values = new Object[1 + table.columns().size()];
                        values[0] = first + i;
                        List<String> row = table.rows().get(i);
                        for (int c = 0; c < row.size(); c++) {
                            values[1 + c] = row.get(c);
                        }
                        out.add(RowFactory.create(values));
                    }
                }
            }
            return out.iterator();
        }
    }
}
