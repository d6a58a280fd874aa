package dev.workbench.eval;

import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The prediction files the evaluator reads ({@link RunFolder#LM_PREDICTIONS}, {@link RunFolder#CLASSIFIER_PREDICTIONS},
 * written by the finetune stage) and the per-example files it writes ({@link RunFolder#evalClassifierPredictions}).
 * Bad input becomes a {@link dev.workbench.recipe.WorkbenchException} naming the file and line.
 */
public final class PredictionFiles {
    private PredictionFiles() {
    }

    /**
     * Per-document LM scores: {@code id, bytes, base_bits, finetuned_bits}, and since the fine-tune stage writes them,
     * {@code words, tokens} (−1 when the file predates those columns) and {@code text_sha256} (null when absent).
     */
    public record LmDocument(String id, long bytes, double baseBits, double finetunedBits, long words, long tokens,
                             String textSha256) {
        public LmDocument(String id, long bytes, double baseBits, double finetunedBits, long words, long tokens) {
            this(id, bytes, baseBits, finetunedBits, words, tokens, null);
        }

        public LmDocument(String id, long bytes, double baseBits, double finetunedBits) {
            this(id, bytes, baseBits, finetunedBits, -1, -1, null);
        }
    }

    /**
     * One classifier prediction: {@code id, label, predicted, confidence} (confidence NaN when absent) and, when the
     * model gives them, the probability of every label (empty otherwise).
     */
    public record ClassifierPrediction(String id, String label, String predicted, double confidence,
                                       Map<String, Double> probabilities) {
        public ClassifierPrediction(String id, String label, String predicted, double confidence) {
            this(id, label, predicted, confidence, Map.of());
        }
    }

    public static List<LmDocument> readLmPredictions(Path file) throws IOException {
        List<LmDocument> docs = new ArrayList<>();
        for (CsvFiles.Row row : CsvFiles.readRows(file, List.of("id", "bytes", "base_bits", "finetuned_bits"))) {
            docs.add(new LmDocument(row.get("id"), (long) row.number("bytes"), row.number("base_bits"),
                    row.number("finetuned_bits"), optionalCount(row, "words"), optionalCount(row, "tokens"),
                    row.get(RunFolder.TEXT_SHA256).isBlank() ? null : row.get(RunFolder.TEXT_SHA256)));
        }
        return docs;
    }

    /** A count column that older files lack: −1 when the column or the cell is absent. */
    private static long optionalCount(CsvFiles.Row row, String column) {
        return row.get(column).isBlank() ? -1 : (long) row.number(column);
    }

    public static List<ClassifierPrediction> readClassifierPredictions(Path file) throws IOException {
        List<ClassifierPrediction> out = new ArrayList<>();
        for (CsvFiles.Row row : CsvFiles.readRows(file, List.of("id", "label", "predicted"))) {
            String confidence = row.values().getOrDefault("confidence", "");
            out.add(new ClassifierPrediction(row.get("id"), row.get("label"), row.get("predicted"),
                    confidence.isBlank() ? Double.NaN : row.number("confidence")));
        }
        return out;
    }

    public static void writeClassifierPredictions(Path file, List<ClassifierPrediction> rows) throws IOException {
        List<List<String>> cells = new ArrayList<>();
        for (ClassifierPrediction p : rows) {
            cells.add(List.of(p.id(), p.label(), p.predicted(),
                    Double.isNaN(p.confidence()) ? "" : Double.toString(p.confidence()),
                    Boolean.toString(p.label().equals(p.predicted()))));
        }
        CsvFiles.writeCsv(file, List.of("id", "label", "predicted", "confidence", "correct"), cells);
    }
}
