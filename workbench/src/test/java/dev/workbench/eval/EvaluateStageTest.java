package dev.workbench.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.PreparedData;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateStageTest {

    static Optional<MetricRow> row(List<MetricRow> rows, String subject, String metric) {
        return rows.stream().filter(r -> r.subject().equals(subject) && r.metric().equals(metric)).findFirst();
    }

    @Test
    void evaluatesEveryInputOfAFullRun(@TempDir Path dir) throws Exception {
        FixtureRun run = FixtureRun.create(dir.resolve("run"), 0);
        EvaluateStage.Outcome out = EvaluateStage.evaluate(run.folder, run.settings(), run.data,
                new PrintStream(new ByteArrayOutputStream()));
        List<MetricRow> rows = out.rows();

        MetricRow base = row(rows, "base", "bits_per_byte").orElseThrow();
        MetricRow tuned = row(rows, "finetuned", "bits_per_byte").orElseThrow();
        assertTrue(tuned.value() < base.value());
        assertTrue(base.ciLow() <= base.value() && base.value() <= base.ciHigh());
        assertEquals(30L, base.n());
        MetricRow delta = row(rows, "finetuned", "bits_per_byte_delta_vs_base").orElseThrow();
        assertTrue(delta.ciHigh() < 0, "fine-tuned is better on every document");
        assertTrue(row(rows, "finetuned", "p_value_bootstrap_vs_base").orElseThrow().value() < 0.05);

        for (String subject : List.of("majority", "tfidf-logreg", "finetuned")) {
            MetricRow acc = row(rows, subject, "accuracy").orElseThrow(() -> new AssertionError(subject));
            assertEquals(24L, acc.n());
            assertTrue(acc.ciLow() <= acc.value() && acc.value() <= acc.ciHigh());
        }
        // 8 of 24 are each class -> most-frequent baseline = 1/3
        assertEquals(1.0 / 3, row(rows, "majority", "accuracy").orElseThrow().value(), 1e-12);
        assertTrue(row(rows, "tfidf-logreg", "accuracy").orElseThrow().value() > 0.8, "keywords separate the classes");
        // fixture: every 6th test item wrong from item 3 -> 4 of 24 wrong
        assertEquals(20.0 / 24, row(rows, "finetuned", "accuracy").orElseThrow().value(), 1e-12);
        MetricRow pMajority = row(rows, "finetuned", "p_value_mcnemar_vs_majority").orElseThrow();
        assertTrue(pMajority.value() < 0.01);
        MetricRow holm = row(rows, "finetuned", "p_value_mcnemar_vs_majority_holm").orElseThrow();
        assertTrue(holm.value() >= pMajority.value());

        for (String method : List.of("ctgan", "independent")) {
            for (String metric : List.of("ks_complement", "tv_complement", "correlation_similarity",
                    "contingency_similarity", "quality_score", "detection_score", "tstr_accuracy", "dcr_median",
                    "dcr_overfitting_protection")) {
                double v = row(rows, method, metric).orElseThrow(() -> new AssertionError(method + " " + metric))
                        .value();
                assertTrue(v >= 0 && v <= 1, method + " " + metric + " = " + v);
            }
        }
        // The independent table keeps marginals but loses the age-bmi correlation.
        assertTrue(row(rows, "independent", "correlation_similarity").orElseThrow().value()
                < row(rows, "ctgan", "correlation_similarity").orElseThrow().value());
        assertTrue(row(rows, "real", "trtr_accuracy").isPresent());
        assertTrue(row(rows, "ctgan", "augmented_accuracy").isPresent());
        assertFalse(row(rows, "independent", "augmented_accuracy").isPresent());

        ObjectMapper json = new ObjectMapper();
        JsonNode tests = json.readTree(run.folder.resolve(RunFolder.EVAL_TESTS).toFile());
        assertTrue(tests.size() >= 4);
        JsonNode cls = json.readTree(run.folder.resolve(RunFolder.EVAL_CLASSIFICATION).toFile());
        assertEquals(3, cls.get("finetuned").get("confusion_matrix").get("labels").size());
        assertTrue(Files.exists(run.folder.resolve("eval/classifier_tfidf-logreg.csv")));
        assertTrue(Files.exists(run.folder.resolve(RunFolder.EVAL_LM)));
        assertTrue(json.readTree(run.folder.resolve(RunFolder.EVAL_SYNTHETIC).toFile()).has("ctgan"));
    }

    @Test
    void worksWithOnlyALanguageModel(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("predictions"));
        Files.writeString(dir.resolve("predictions/lm_test.csv"), "id,bytes,base_bits,finetuned_bits\na,10,30,20\n"
                + "b,20,50,45\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PreparedData none = new PreparedData(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Map.of());
        EvaluationSettings s = new EvaluationSettings(1, "d", true, true, true, 50, 0.9, List.of("majority"),
                Optional.empty(), Map.of(), Optional.empty(), 1.0);
        EvaluateStage.Outcome out = EvaluateStage.evaluate(dir, s, none, new PrintStream(log));
        // (30 + 50) / 30 and (20 + 45) / 30
        assertEquals(80.0 / 30, row(out.rows(), "base", "bits_per_byte").orElseThrow().value(), 1e-12);
        assertEquals(65.0 / 30, row(out.rows(), "finetuned", "bits_per_byte").orElseThrow().value(), 1e-12);
        assertTrue(row(out.rows(), "finetuned", "accuracy").isEmpty());
        assertTrue(log.toString().contains("fine-tuned classifier not evaluated"));
        assertTrue(log.toString().contains("synthetic data not evaluated"));
    }

    @Test
    void badPredictionFileNamesFileAndLine(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("predictions"));
        Files.writeString(dir.resolve("predictions/lm_test.csv"), "id,bytes,base_bits,finetuned_bits\na,10,x,20\n");
        PreparedData none = new PreparedData(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Map.of());
        EvaluationSettings s = new EvaluationSettings(1, "d", true, false, false, 50, 0.9, List.of(),
                Optional.empty(), Map.of(), Optional.empty(), 1.0);
        dev.workbench.recipe.WorkbenchException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.workbench.recipe.WorkbenchException.class,
                () -> EvaluateStage.evaluate(dir, s, none, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("lm_test.csv:2"), e.getMessage());
        assertTrue(e.getMessage().contains("base_bits"), e.getMessage());
    }

    @Test
    void anEmptySyntheticTableIsScoredWithoutFailing(@TempDir Path dir) throws Exception {
        FixtureRun run = FixtureRun.create(dir.resolve("run"), 0);
        Files.writeString(run.folder.resolve("synthetic/empty.csv"), "age,bmi,smoker,readmitted\n");
        EvaluationSettings s = new EvaluationSettings(42, "medical", false, false, true, 50, 0.95, List.of(),
                Optional.of("readmitted"), Map.of(), Optional.of("empty"), 1.0);
        EvaluateStage.Outcome out = EvaluateStage.evaluate(run.folder, s, run.data,
                new PrintStream(new ByteArrayOutputStream()));
        assertTrue(row(out.rows(), "ctgan", "quality_score").isPresent());
        assertTrue(out.rows().stream().filter(r -> r.subject().equals("empty")).allMatch(r -> Double.isFinite(r.value())));
        assertFalse(row(out.rows(), "empty", "tstr_accuracy").isPresent());
    }

    /**
     * By hand: gold a a b b a b (3 a, 3 b). The subject is right everywhere: macro-F1 1. The other answers a
     * everywhere: F1(a) = 2 * (3/6 * 1) / (3/6 + 1) = 2/3, F1(b) = 0, macro 1/3. Difference 2/3, listed in the
     * subject's id order whatever order the other file has.
     */
    @Test
    void macroF1IsComparedByAPairedBootstrapOnTheSameItems() {
        String[] gold = {"a", "a", "b", "b", "a", "b"};
        List<PredictionFiles.ClassifierPrediction> subject = new java.util.ArrayList<>();
        List<PredictionFiles.ClassifierPrediction> other = new java.util.ArrayList<>();
        for (int i = 0; i < gold.length; i++) {
            subject.add(new PredictionFiles.ClassifierPrediction("id" + i, gold[i], gold[i], 0.9));
            other.add(0, new PredictionFiles.ClassifierPrediction("id" + i, gold[i], "a", 0.6));
        }
        EvaluationSettings settings = new EvaluationSettings(42, "medical", true, true, true, 400, 0.95,
                List.of("majority"), Optional.empty(), Map.of(), Optional.empty(), 1.0);
        PairedTestResult t = EvaluateStage.macroF1Bootstrap("medical/labelled", "finetuned", subject, "majority",
                other, settings);
        assertEquals("paired_bootstrap", t.test());
        assertEquals("macro_f1", t.metric());
        assertEquals(6, t.n());
        assertEquals(2.0 / 3.0, t.difference(), 1e-12);
        assertTrue(t.ciLow() <= t.difference() && t.difference() <= t.ciHigh());
        assertTrue(t.ciLow() >= 0, "the subject is never worse on any resample: " + t.ciLow());
    }
}
