package dev.workbench.spark;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code predict}, {@code score} and {@code sample} gain in this module. */
public final class DistributedOptions {

    @Option(names = "--spark", description = "run on Spark (this module): partitioned CSV or Parquet in and out, "
            + "the model loaded once per task; --out is then a folder of part files")
    boolean spark;

    @Option(names = "--format", paramLabel = "csv|parquet",
            description = "--spark output format (default: the input's; csv for sample)")
    String format;

    @Option(names = "--partitions", paramLabel = "N",
            description = "--spark partitions (tasks); default: the input's, at least the cluster's default "
                    + "parallelism")
    Integer partitions;

    @Mixin
    SparkOptions cluster = new SparkOptions();
}
