package dev.workbench.spark;

import ai.djl.ndarray.NDManager;
import dev.workbench.data.TextDocument;
import dev.workbench.finetune.LanguageModelEvaluation;
import dev.workbench.finetune.TextScoring;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.hf.CheckpointRef;
import dev.workbench.model.tokenizer.Tokenizer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code score --spark}: every row's text scored under a language model through core's
 * {@link LanguageModelEvaluation#score} (what single-process {@code score} sums), the model loaded once per task.
 * Output: {@code row_id, id, bytes, words, tokens, nll_nats, bits_per_byte}, the input's rows in order; the
 * corpus-level figures (as {@code score} prints them) come from the sums.
 */
public final class DistributedScore {

    static final int CHUNK_ROWS = 512;

    static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("row_id", DataTypes.LongType, false),
            DataTypes.createStructField("id", DataTypes.StringType, true),
            DataTypes.createStructField("bytes", DataTypes.LongType, false),
            DataTypes.createStructField("words", DataTypes.LongType, false),
            DataTypes.createStructField("tokens", DataTypes.LongType, false),
            DataTypes.createStructField("nll_nats", DataTypes.DoubleType, false),
            DataTypes.createStructField("bits_per_byte", DataTypes.DoubleType, true)));

    /** What was written, and the corpus-level score of all rows. */
    public record Scored(DistributedPredict.Written written, TextScoring.TextScore score) {
    }

    private DistributedScore() {
    }

    public static Scored run(SparkSession spark, String checkpoint, String input, String textColumn, int batchSize,
                             String output, PartitionedFiles.Format format, Integer partitions) {
        PartitionedFiles.requireAbsent(output);
        String resolved = TextScoring.checkpointReference(checkpoint);
        CheckpointRef ref = CheckpointRef.resolve(resolved); // refuses a missing or incomplete checkpoint here
        Tokenizer tokenizer = ref.loadTokenizer();
        PartitionedFiles.TextInput in = PartitionedFiles.textInput(spark, input, textColumn, partitions);
        int text = in.text();
        int id = in.id();
        long count = in.count();
        int n = in.partitions();
        JavaRDD<Row> scored = RowIds.number(in.rows(), count, n).mapPartitions(new Partition(resolved, text, id, batchSize));
        PartitionedFiles.write(spark.createDataFrame(scored, SCHEMA), format, output);
        Dataset<Row> back = PartitionedFiles.read(spark, output);
        Row sums = back.agg(functions.count("*"), functions.sum(back.col("bytes").cast("long")),
                functions.sum(back.col("words").cast("long")), functions.sum(back.col("tokens").cast("long")),
                functions.sum(back.col("nll_nats").cast("double"))).first();
        if (sums.getLong(0) != count) {
            throw new IllegalStateException("score --spark wrote " + sums.getLong(0) + " rows to " + output + " for "
                    + count + " input rows");
        }
        TextScoring.TextScore score = new TextScoring.TextScore(resolved, tokenizer.getClass().getSimpleName(),
                tokenizer.vocabSize(), ref.architecture().contextLength(), count, sums.getLong(1), sums.getLong(2),
                sums.getLong(3), sums.getDouble(4));
        return new Scored(new DistributedPredict.Written(output, count, n), score);
    }

    /** One task: load the model, score the partition chunk by chunk, free the model when the task ends. */
    static final class Partition implements FlatMapFunction<Iterator<Tuple2<Long, Row>>, Row> {
        private final String checkpoint;
        private final int text;
        private final int id;
        private final int batchSize;

        Partition(String checkpoint, int text, int id, int batchSize) {
            this.checkpoint = checkpoint;
            this.text = text;
            this.id = id;
            this.batchSize = batchSize;
        }

        @Override
        public Iterator<Row> call(Iterator<Tuple2<Long, Row>> rows) {
            if (!rows.hasNext()) {
                return java.util.Collections.emptyIterator();
            }
            TaskThreads.inferenceOnly();
            CheckpointRef ref = CheckpointRef.resolve(checkpoint);
            Tokenizer tokenizer = ref.loadTokenizer();
            int context = ref.architecture().contextLength();
            NDManager manager = NDManager.newBaseManager();
            LanguageModel model = ref.loadLanguageModel(manager);
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) done -> manager.close());
            }
            return new Chunked<>(rows, CHUNK_ROWS, chunk -> {
                List<TextDocument> documents = new ArrayList<>(chunk.size());
                for (Tuple2<Long, Row> t : chunk) {
                    documents.add(new TextDocument(String.valueOf(t._1()),
                            t._2().isNullAt(text) ? "" : t._2().getString(text)));
                }
                List<LanguageModelEvaluation.DocumentScore> scores = LanguageModelEvaluation.score(model, tokenizer,
                        documents, context, batchSize, manager.getDevice());
                List<Row> out = new ArrayList<>(chunk.size());
                for (int i = 0; i < chunk.size(); i++) {
                    long rowId = chunk.get(i)._1();
                    LanguageModelEvaluation.DocumentScore s = scores.get(i);
                    out.add(RowFactory.create(rowId,
                            id >= 0 ? String.valueOf(chunk.get(i)._2().get(id)) : String.valueOf(rowId + 1),
                            s.bytes(), TextScoring.words(documents.get(i).text()), s.tokens(), s.nllNats(),
                            s.bytes() == 0 ? null : s.nllNats() / Math.log(2) / s.bytes()));
                }
                return out;
            });
        }
    }
}
