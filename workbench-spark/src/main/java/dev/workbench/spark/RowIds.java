package dev.workbench.spark;

import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The input's rows numbered 0..n-1 in the order Spark reads them (a single file: its own order; a folder: its part
 * files), spread over the partitions the job wants as contiguous ranges of row ids, each sorted: partition k's
 * output precedes partition k+1's, so the part files of the output are the input's rows in order.
 */
public final class RowIds {

    private RowIds() {
    }

    /** Row id → row, in {@code partitions} contiguous sorted ranges (no shuffle when the input already has that many). */
    public static JavaPairRDD<Long, Row> number(Dataset<Row> input, long rows, int partitions) {
        JavaPairRDD<Long, Row> numbered = input.javaRDD().zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
        if (numbered.getNumPartitions() == partitions || rows == 0) {
            return numbered; // zipWithIndex keeps the input's order inside and across partitions
        }
        return numbered.repartitionAndSortWithinPartitions(new Contiguous(rows, partitions));
    }

    /** Row id r goes to partition floor(r * partitions / rows): equal contiguous ranges. */
    static final class Contiguous extends Partitioner {
        private final long rows;
        private final int partitions;

        Contiguous(long rows, int partitions) {
            this.rows = rows;
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) Math.min(partitions - 1, (long) key * partitions / rows);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Contiguous c && c.rows == rows && c.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(rows) * 31 + partitions;
        }
    }
}
