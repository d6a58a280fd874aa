package dev.workbench.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.LabelledExample;
import dev.workbench.data.TextHash;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.JsonLines;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code eval/samples.jsonl}: one line per (classifier subject, test example) with the example id, the SHA-256 of its
 * UTF-8 text (so two runs can prove they scored the same items without storing the text), the gold and predicted
 * labels, and the probability of every label when the model gives them, else the predicted label's confidence.
 * {@code compare} pairs runs on these lines.
 */
public final class Samples {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Samples() {
    }

    /** One line of the file. {@code textSha256} is null when the text is unknown; {@code confidence} NaN if absent. */
    public record Sample(String subject, String id, String textSha256, String gold, String predicted,
                         Map<String, Double> probabilities, double confidence) {
        public boolean correct() {
            return gold.equals(predicted);
        }
    }

    /** Lines for every subject in map order; texts are looked up by example id among {@code examples}. */
    public static List<Sample> of(Map<String, List<PredictionFiles.ClassifierPrediction>> bySubject,
                                  List<LabelledExample> examples) {
        Map<String, String> hashById = new TreeMap<>();
        for (LabelledExample e : examples) {
            hashById.put(e.id(), TextHash.sha256(e.text()));
        }
        List<Sample> out = new ArrayList<>();
        bySubject.forEach((subject, predictions) -> {
            for (PredictionFiles.ClassifierPrediction p : predictions) {
                out.add(new Sample(subject, p.id(), hashById.get(p.id()), p.label(), p.predicted(),
                        p.probabilities(), p.confidence()));
            }
        });
        return out;
    }

    public static void write(Path file, List<Sample> samples) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Sample s : samples) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("subject", s.subject());
            row.put("id", s.id());
            row.put("text_sha256", s.textSha256());
            row.put("gold", s.gold());
            row.put("predicted", s.predicted());
            if (!s.probabilities().isEmpty()) {
                row.put("probabilities", new TreeMap<>(s.probabilities()));
            } else if (Double.isFinite(s.confidence())) {
                row.put("confidence", s.confidence());
            }
            lines.append(JSON.writeValueAsString(row)).append('\n');
        }
        RunFolder.writeAtomically(file, lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static List<Sample> read(Path file) throws IOException {
        List<Sample> out = new ArrayList<>();
        JsonLines.read(file, JSON, (number, e) -> WorkbenchException.invalid(file + ":" + number
                + ": not a JSON object: " + e.getMessage()), (number, node) -> {
                    for (String key : List.of("subject", "id", "gold", "predicted")) {
                        if (!node.hasNonNull(key)) {
                            throw WorkbenchException.invalid(file + ":" + number + ": missing '" + key + "'");
                        }
                    }
                    Map<String, Double> probabilities = new TreeMap<>();
                    if (node.has("probabilities")) {
                        node.get("probabilities").fields().forEachRemaining(
                                e -> probabilities.put(e.getKey(), e.getValue().asDouble()));
                    }
                    out.add(new Sample(node.get("subject").asText(), node.get("id").asText(),
                            node.hasNonNull("text_sha256") ? node.get("text_sha256").asText() : null,
                            node.get("gold").asText(), node.get("predicted").asText(), probabilities,
                            node.hasNonNull("confidence") ? node.get("confidence").asDouble() : Double.NaN));
                });
        return out;
    }
}
