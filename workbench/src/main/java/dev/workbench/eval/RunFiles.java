package dev.workbench.eval;

import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.DiskFullException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run-folder files evaluation reads and writes (names from docs/run-folder.md), and small CSV helpers. Bad
 * input becomes a {@link WorkbenchException} naming the file and line.
 */
public final class RunFiles {
    public static final String LM_PREDICTIONS = "predictions/lm_test.csv";
    /**
     * Column of {@link #LM_PREDICTIONS}: SHA-256 (hex) of the document text as scored, so {@code compare} pairs
     * documents by content and not only by id; files written before it existed lack it (read as null).
     */
    public static final String LM_TEXT_SHA256 = "text_sha256";
    public static final String CLASSIFIER_PREDICTIONS = "predictions/classifier_test.csv";
    public static final String CLASSIFIER_PROBE_PREDICTIONS = "predictions/classifier_probe_test.csv";
    public static final String GENERATIONS = "predictions/generations.jsonl";
    public static final String SYNTHETIC_DIR = "synthetic";
    /** Written by the synthesize stage with {@code synthesize.augment} (synth.Augmentation documents the layout). */
    public static final String AUGMENTED_TRAIN = "augment/train.csv";
    public static final String SOURCE_COLUMN = "source";
    public static final String REAL_SOURCE = "real";
    public static final String FINETUNE_DIR = "finetune";
    public static final String EVAL_DIR = "eval";
    /** Per-document bits and bits per byte of both models. */
    public static final String EVAL_LM = "eval/lm_per_document.csv";
    /** Per-example predictions of one classifier: {@code eval/classifier_<subject>.csv}. */
    public static final String EVAL_CLASSIFIER_PREFIX = "eval/classifier_";
    /** Confusion matrices and per-class precision/recall of every classifier. */
    public static final String EVAL_CLASSIFICATION = "eval/classification.json";
    /** Per-column and per-pair scores, detection, efficacy and privacy of every synthetic table. */
    public static final String EVAL_SYNTHETIC = "eval/synthetic.json";
    /** Real vs synthetic column distributions for the report's charts. */
    public static final String EVAL_DISTRIBUTIONS = "eval/distributions.json";
    /** Split sizes, data notes (skipped rows, duplicates) and input hashes. */
    public static final String EVAL_DATA = "eval/data.json";
    /** Per-example predictions of every classifier subject (id, text hash, gold, predicted, probabilities). */
    public static final String EVAL_SAMPLES = "eval/samples.jsonl";
    /** Every paired test with its inputs, raw and Holm-adjusted p-value. */
    public static final String EVAL_TESTS = "eval/tests.json";

    private RunFiles() {
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
        for (Row row : readRows(file, List.of("id", "bytes", "base_bits", "finetuned_bits"))) {
            docs.add(new LmDocument(row.get("id"), (long) row.number("bytes"), row.number("base_bits"),
                    row.number("finetuned_bits"), optionalCount(row, "words"), optionalCount(row, "tokens"),
                    row.get(LM_TEXT_SHA256).isBlank() ? null : row.get(LM_TEXT_SHA256)));
        }
        return docs;
    }

    /** A count column that older files lack: −1 when the column or the cell is absent. */
    private static long optionalCount(Row row, String column) {
        return row.get(column).isBlank() ? -1 : (long) row.number(column);
    }

    public static List<ClassifierPrediction> readClassifierPredictions(Path file) throws IOException {
        List<ClassifierPrediction> out = new ArrayList<>();
        for (Row row : readRows(file, List.of("id", "label", "predicted"))) {
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
        writeCsv(file, List.of("id", "label", "predicted", "confidence", "correct"), cells);
    }

    /** A parsed CSV row with its 1-based line number. */
    public record Row(Path file, long line, Map<String, String> values) {
        public String get(String column) {
            return values.getOrDefault(column, "");
        }

        public double number(String column) {
            String cell = get(column);
            try {
                return Double.parseDouble(cell.trim());
            } catch (NumberFormatException e) {
                throw WorkbenchException.invalid(file + ":" + line + ": column '" + column + "' is not a number: '"
                        + cell + "'");
            }
        }
    }

    public static List<Row> readRows(Path file, List<String> required) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            for (String column : required) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw WorkbenchException.invalid(file + ":1: missing column '" + column + "' (header: "
                            + parser.getHeaderNames() + ")");
                }
            }
            List<Row> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                rows.add(new Row(file, parser.getCurrentLineNumber(), record.toMap()));
            }
            return rows;
        } catch (java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            if (e instanceof WorkbenchException) {
                throw e;
            }
            throw WorkbenchException.invalid(file + ": not a valid CSV file: " + e.getMessage());
        }
    }

    /** A CSV table as header + rows of raw cells. */
    public static Table readTable(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            List<String> header = List.copyOf(parser.getHeaderNames());
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                List<String> row = new ArrayList<>(header.size());
                for (int c = 0; c < header.size(); c++) {
                    row.add(c < record.size() ? record.get(c) : "");
                }
                rows.add(row);
            }
            return new Table(header, rows);
        } catch (java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            throw WorkbenchException.invalid(file + ": not a valid CSV table: " + e.getMessage());
        }
    }

    /** Rows of {@code table} reordered to {@code columns} (a column the table lacks becomes empty cells). */
    public static List<List<String>> align(Table table, List<String> columns) {
        int[] index = columns.stream().mapToInt(c -> table.columns().indexOf(c)).toArray();
        List<List<String>> out = new ArrayList<>(table.rows().size());
        for (List<String> row : table.rows()) {
            List<String> aligned = new ArrayList<>(columns.size());
            for (int i : index) {
                aligned.add(i >= 0 && i < row.size() ? row.get(i) : "");
            }
            out.add(aligned);
        }
        return out;
    }

    /** The synthetic tables of a run: {@code synthetic/<method>.csv}, sorted by method name. */
    public static List<Path> syntheticTables(Path runFolder) throws IOException {
        Path dir = runFolder.resolve(SYNTHETIC_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".csv") && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    public static String methodName(Path syntheticCsv) {
        String name = syntheticCsv.getFileName().toString();
        return name.substring(0, name.length() - ".csv".length());
    }

    public static void writeCsv(Path file, List<String> header, List<List<String>> rows) throws IOException {
        writeAtomically(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(
                    header.toArray(String[]::new)).get())) {
                for (List<String> row : rows) {
                    printer.printRecord(row);
                }
            }
        });
    }

    /** Writes text through a temporary sibling and an atomic rename, so readers never see half a file. */
    public interface WriterBody {
        void write(Writer writer) throws IOException;
    }

    public static void writeAtomically(Path file, WriterBody body) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(writer);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw DiskFullException.naming(file, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw DiskFullException.naming(file, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
