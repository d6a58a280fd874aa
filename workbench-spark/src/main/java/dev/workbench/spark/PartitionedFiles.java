package dev.workbench.spark;

import dev.workbench.recipe.WorkbenchException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;
import java.util.Locale;

/**
 * Input and output of the --spark commands: a CSV file (header row) or Parquet file, or a folder of part files of
 * either, on any path Spark reads (local, hdfs://, s3a://). Outputs are folders of part files, never overwritten.
 */
public final class PartitionedFiles {

    /** The two formats. */
    public enum Format {
        CSV, PARQUET;

        static Format parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "parquet" -> PARQUET;
                default -> throw WorkbenchException.invalid("--format " + name + ": expected csv or parquet");
            };
        }
    }

    private PartitionedFiles() {
    }

    /** Parquet when the path (or, for a folder, a part file in it) ends in .parquet; CSV otherwise. */
    public static Format formatOf(SparkSession spark, String path) {
        if (path.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return Format.PARQUET;
        }
        java.nio.file.Path local = java.nio.file.Path.of(path.replaceFirst("^file:", ""));
        if (java.nio.file.Files.isDirectory(local)) {
            String[] names = local.toFile().list();
            if (names != null && Arrays.stream(names).anyMatch(n -> n.endsWith(".parquet"))) {
                return Format.PARQUET;
            }
        }
        return Format.CSV;
    }

    /** Reads the input; every column of a CSV is a string (as core's readers take it). */
    public static Dataset<Row> read(SparkSession spark, String path) {
        return formatOf(spark, path) == Format.PARQUET ? spark.read().parquet(path)
                : spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
                        .csv(path);
    }

    /** Writes a folder of part files in partition order; refuses an existing output. */
    public static void write(Dataset<Row> rows, Format format, String path) {
        if (format == Format.PARQUET) {
            rows.write().mode(SaveMode.ErrorIfExists).parquet(path);
        } else {
            rows.write().mode(SaveMode.ErrorIfExists).option("header", "true").option("escape", "\"").csv(path);
        }
    }

    /** A column's index, or a clear refusal naming the columns there are. */
    public static int column(Dataset<Row> rows, String name, String input) {
        String[] columns = rows.columns();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].equals(name)) {
                return i;
            }
        }
        throw WorkbenchException.invalid(input + ": no column '" + name + "' (columns: "
                + String.join(", ", columns) + ")");
    }

    /**
     * An input of a per-row job: its rows, the index of its text column and of its {@code id} column (-1 when none),
     * its row count, and the partitions the job uses (as asked, else the input's, at least the default parallelism).
     */
    public record TextInput(Dataset<Row> rows, int text, int id, long count, int partitions) {
    }

    public static TextInput textInput(SparkSession spark, String path, String textColumn, Integer partitions) {
        Dataset<Row> rows = read(spark, path);
        int text = column(rows, textColumn, path);
        int id = Arrays.asList(rows.columns()).indexOf("id");
        return new TextInput(rows, text, id, rows.count(), partitions != null ? partitions
                : Math.max(rows.rdd().getNumPartitions(), spark.sparkContext().defaultParallelism()));
    }

    /** The refusal for an output that exists, before any work is done. */
    public static void requireAbsent(String path) {
        java.nio.file.Path local = java.nio.file.Path.of(path.replaceFirst("^file:", ""));
        if (!path.contains("://") && java.nio.file.Files.exists(local)) {
            throw WorkbenchException.invalid("--out " + path + " exists; choose a new folder (outputs are never "
                    + "overwritten)");
        }
    }
}
