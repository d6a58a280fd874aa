package dev.workbench.eval;

import dev.workbench.data.PreparedData;
import dev.workbench.store.MetricRow;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class LmPerplexityRowsTest {
    private static List<MetricRow> evaluate(Path dir, String csv) throws Exception {
        Files.createDirectories(dir.resolve("predictions"));
        Files.writeString(dir.resolve("predictions/lm_test.csv"), csv);
        PreparedData none = new PreparedData(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Map.of());
        EvaluationSettings s = new EvaluationSettings(1, "d", true, false, false, 50, 0.9, List.of(),
                Optional.empty(), Map.of(), Optional.empty(), 1.0);
        return EvaluateStage.evaluate(dir, s, none, new PrintStream(new ByteArrayOutputStream())).rows();
    }

    @Test
    void wordAndTokenPerplexityAreRatiosOfSums(@TempDir Path dir) throws Exception {
        List<MetricRow> rows = evaluate(dir, "id,bytes,base_bits,finetuned_bits,words,tokens\n"
                + "a,10,30,20,2,5\nb,20,50,45,3,10\n");
        // hand: base 80 bits over 5 words -> 2^16; fine-tuned 65/5 -> 2^13; tokens: 2^(80/15), 2^(65/15)
        assertEquals(65536.0, value(rows, "base", "word_perplexity"), 1e-9);
        assertEquals(8192.0, value(rows, "finetuned", "word_perplexity"), 1e-9);
        assertEquals(Math.pow(2, 80.0 / 15), value(rows, "base", "token_perplexity"), 1e-9);
        assertEquals(Math.pow(2, 65.0 / 15), value(rows, "finetuned", "token_perplexity"), 1e-9);
        MetricRow word = EvaluateStageTest.row(rows, "base", "word_perplexity").orElseThrow();
        assertTrue(word.ciLow() <= word.value() && word.value() <= word.ciHigh());
    }

    @Test
    void theOldLayoutWithoutCountsStillEvaluates(@TempDir Path dir) throws Exception {
        List<MetricRow> rows = evaluate(dir, "id,bytes,base_bits,finetuned_bits\na,10,30,20\n");
        assertEquals(3.0, value(rows, "base", "bits_per_byte"), 1e-12);
        assertTrue(EvaluateStageTest.row(rows, "base", "word_perplexity").isEmpty());
        assertTrue(EvaluateStageTest.row(rows, "base", "token_perplexity").isEmpty());
    }

    private static double value(List<MetricRow> rows, String subject, String metric) {
        return EvaluateStageTest.row(rows, subject, metric).orElseThrow(() -> new AssertionError(metric)).value();
    }
}
