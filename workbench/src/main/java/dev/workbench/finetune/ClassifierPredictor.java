package dev.workbench.finetune;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.LabelledExample;
import dev.workbench.model.io.Checkpoint;
import dev.workbench.model.ClassifierModel;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.model.tokenizer.Tokenizers;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.JsonLines;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A classifier checkpoint, loaded once, labelling texts in batches: what {@code workbench predict} calls.
 * {@code checkpoint} may be a checkpoint folder or a run folder (then its {@code checkpoints/classifier/best}).
 */
public final class ClassifierPredictor implements AutoCloseable {
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final NDManager manager;
    private final ClassifierModel model;
    private final Tokenizer tokenizer;
    private final List<String> labels;

    /**
     * One text's label, its softmax probability, and every class's probability, most likely first (ties in
     * label order).
     */
    public record Labelled(String label, double confidence, java.util.LinkedHashMap<String, Double> probabilities) {
    }

    /** An input row: stable id and text. */
    public record Row(String id, String text) {
    }

    public ClassifierPredictor(Path checkpointOrRun) {
        Path folder = resolve(checkpointOrRun);
        Checkpoint checkpoint = Checkpoint.open(folder);
        if (checkpoint.config().task() != Finetune.Task.CLASSIFIER) {
            throw WorkbenchException.invalid(folder + " is a language model checkpoint; predict needs a classifier "
                    + "(checkpoints/classifier/best)");
        }
        this.manager = NDManager.newBaseManager();
        this.model = checkpoint.loadClassifier(manager);
        this.tokenizer = checkpoint.loadTokenizer(Tokenizers::load);
        this.labels = checkpoint.config().labels();
    }

    static Path resolve(Path checkpointOrRun) {
        return Checkpoints.resolveFolder(checkpointOrRun, "classifier");
    }

    public List<String> labels() {
        return labels;
    }

    public List<Labelled> predict(List<String> texts, int batchSize) {
        List<LabelledExample> examples = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            examples.add(new LabelledExample(String.valueOf(i), texts.get(i), ""));
        }
        ClassifierTask.Encoded encoded = ClassifierTask.Encoded.of(examples, labels, tokenizer,
                model.architecture().contextLength());
        List<Labelled> out = new ArrayList<>(texts.size());
        try (NDManager scratch = manager.newSubManager()) {
            for (ClassifierTask.Prediction p : ClassifierTask.predict(model, encoded, Math.max(1, batchSize),
                    scratch)) {
                java.util.LinkedHashMap<String, Double> sorted = new java.util.LinkedHashMap<>();
                java.util.stream.IntStream.range(0, labels.size()).boxed()
                        .sorted((a, b) -> Double.compare(p.probabilities()[b], p.probabilities()[a]))
                        .forEach(c -> sorted.put(labels.get(c), p.probabilities()[c]));
                out.add(new Labelled(labels.get(p.predicted()), p.confidence(), sorted));
            }
        }
        return out;
    }

    /**
     * Reads rows from a {@code .csv} (header row; the text column named {@code textColumn}; an {@code id} column is
     * used when present, else the row number) or {@code .jsonl} (one object a line with a {@code textColumn} field).
     */
    public static List<Row> readRows(Path input, String textColumn) throws IOException {
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Row> rows = new ArrayList<>();
        if (name.endsWith(".csv")) {
            try (Reader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                 CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                         .parse(reader)) {
                if (!parser.getHeaderMap().containsKey(textColumn)) {
                    throw WorkbenchException.invalid(input + ":1: no column '" + textColumn + "' (columns: "
                            + parser.getHeaderNames() + ")");
                }
                boolean hasId = parser.getHeaderMap().containsKey("id");
                for (CSVRecord record : parser) {
                    if (!record.isConsistent()) {
                        throw WorkbenchException.invalid(input + ":" + parser.getCurrentLineNumber() + ": expected "
                                + parser.getHeaderNames().size() + " fields, found " + record.size());
                    }
                    rows.add(new Row(hasId ? record.get("id") : String.valueOf(record.getRecordNumber()),
                            record.get(textColumn)));
                }
            }
        } else if (name.endsWith(".jsonl")) {
            JsonLines.read(input, new ObjectMapper(), (number, e) -> WorkbenchException.invalid(input + ":" + number
                    + ": not JSON: " + e.getMessage().lines().findFirst().orElse("")), (number, node) -> {
                        if (node == null || !node.path(textColumn).isTextual()) {
                            throw WorkbenchException.invalid(input + ":" + number + ": no text field '" + textColumn
                                    + "'");
                        }
                        rows.add(new Row(node.path("id").isMissingNode() ? String.valueOf(number)
                                : node.path("id").asText(), node.path(textColumn).asText()));
                    });
        } else {
            throw WorkbenchException.invalid(input + ": unknown input format; use .csv or .jsonl");
        }
        return rows;
    }

    /** Writes {@code id,text,label,confidence,p_<label>...} rows (one probability column per class). */
    public void writePredictions(Path output, List<Row> rows, List<Labelled> predictions) throws IOException {
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        try (Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            writePredictions(out, rows, predictions);
        }
    }

    /** As {@link #writePredictions(Path, List, List)}, to any writer (standard output). */
    public void writePredictions(Appendable out, List<Row> rows, List<Labelled> predictions) throws IOException {
        List<String> header = new ArrayList<>(List.of("id", "text", "label", "confidence"));
        labels.forEach(label -> header.add("p_" + label));
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .build());
        for (int i = 0; i < rows.size(); i++) {
            Labelled p = predictions.get(i);
            List<String> record = new ArrayList<>(List.of(rows.get(i).id(), rows.get(i).text(), p.label(),
                    String.format(Locale.ROOT, "%.4f", p.confidence())));
            labels.forEach(label -> record.add(String.format(Locale.ROOT, "%.4f", p.probabilities().get(label))));
            csv.printRecord(record);
        }
        csv.flush();
    }

    @Override
    public void close() {
        manager.close();
    }
}
