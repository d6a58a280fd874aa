package dev.workbench.spark;

import dev.workbench.finetune.Checkpoints;
import dev.workbench.finetune.ClassifierPredictor;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code predict --spark}: core's {@link ClassifierPredictor} over each partition, the checkpoint loaded once per
 * task (mapPartitions), not per row. Output: {@code row_id, id, text, label, confidence, p_<class>...}, the input's
 * rows in order; {@code id} is the input's id column, or the row's number from 1 as single-process predict numbers
 * a CSV's records.
 */
public final class DistributedPredict {

    /** Texts handed to the predictor at a time: bounds a task's memory whatever its partition's size. */
    static final int CHUNK_ROWS = 2048;

    /** What was written and how many rows, checked against the input's count. */
    public record Written(String output, long rows, int partitions) {
    }

    private DistributedPredict() {
    }

    public static Written run(SparkSession spark, String checkpoint, String input, String textColumn, int batchSize,
                              String output, PartitionedFiles.Format format, Integer partitions) {
        PartitionedFiles.requireAbsent(output);
        Path folder = Checkpoints.resolveFolder(Path.of(checkpoint), "classifier");
        Checkpoint opened = Checkpoint.open(folder);
        if (opened.config().task() != Finetune.Task.CLASSIFIER) {
            throw WorkbenchException.invalid(folder + " is a language model checkpoint; predict needs a classifier");
        }
        List<String> labels = opened.config().labels();
        PartitionedFiles.TextInput in = PartitionedFiles.textInput(spark, input, textColumn, partitions);
        int text = in.text();
        int id = in.id();
        long count = in.count();
        int n = in.partitions();
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("row_id", DataTypes.LongType, false),
                DataTypes.createStructField("id", DataTypes.StringType, true),
                DataTypes.createStructField("text", DataTypes.StringType, true),
                DataTypes.createStructField("label", DataTypes.StringType, false),
                DataTypes.createStructField("confidence", DataTypes.DoubleType, false)));
        labels.forEach(l -> fields.add(DataTypes.createStructField("p_" + l, DataTypes.DoubleType, false)));
        JavaRDD<Row> labelled = RowIds.number(in.rows(), count, n)
                .mapPartitions(new Partition(folder.toString(), text, id, batchSize, labels));
        PartitionedFiles.write(spark.createDataFrame(labelled, DataTypes.createStructType(fields)), format, output);
        long written = PartitionedFiles.read(spark, output).count();
        if (written != count) {
            throw new IllegalStateException("predict --spark wrote " + written + " rows to " + output + " for "
                    + count + " input rows");
        }
        return new Written(output, count, n);
    }

    /** One task: load the classifier, label the partition chunk by chunk, close the model when the task ends. */
    static final class Partition implements FlatMapFunction<Iterator<Tuple2<Long, Row>>, Row> {
        private final String checkpoint;
        private final int text;
        private final int id;
        private final int batchSize;
        private final List<String> labels;

        Partition(String checkpoint, int text, int id, int batchSize, List<String> labels) {
            this.checkpoint = checkpoint;
            this.text = text;
            this.id = id;
            this.batchSize = batchSize;
            this.labels = List.copyOf(labels);
        }

        @Override
        public Iterator<Row> call(Iterator<Tuple2<Long, Row>> rows) {
            if (!rows.hasNext()) {
                return java.util.Collections.emptyIterator();
            }
            TaskThreads.inferenceOnly();
            ClassifierPredictor predictor = new ClassifierPredictor(Path.of(checkpoint));
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) done -> predictor.close());
            }
            return new Chunked<>(rows, CHUNK_ROWS, chunk -> {
                List<String> texts = chunk.stream().map(t -> t._2().isNullAt(text) ? "" : t._2().getString(text))
                        .toList();
                List<ClassifierPredictor.Labelled> predictions = predictor.predict(texts, batchSize);
                if (predictions.size() != chunk.size()) {
                    throw new IllegalStateException(predictions.size() + " predictions for " + chunk.size() + " rows");
                }
                List<Row> out = new ArrayList<>(chunk.size());
                for (int i = 0; i < chunk.size(); i++) {
                    long rowId = chunk.get(i)._1();
                    Row row = chunk.get(i)._2();
                    ClassifierPredictor.Labelled p = predictions.get(i);
                    Object[] values = new Object[5 + labels.size()];
                    values[0] = rowId;
                    values[1] = id >= 0 ? String.valueOf(row.get(id)) : String.valueOf(rowId + 1);
                    values[2] = texts.get(i);
                    values[3] = p.label();
                    values[4] = p.confidence();
                    for (int c = 0; c < labels.size(); c++) {
                        values[5 + c] = p.probabilities().get(labels.get(c));
                    }
                    out.add(RowFactory.create(values));
                }
                return out;
            });
        }
    }
}
