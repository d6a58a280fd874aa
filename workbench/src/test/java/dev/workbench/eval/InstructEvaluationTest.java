package dev.workbench.eval;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluate stage's instruct rows from predictions/instruct_heldout.csv, against values worked by hand. */
class InstructEvaluationTest {
    @Test
    void lossPerTrainedTokenIsARatioOfSumsWithAPairedTest(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("predictions"));
        Files.writeString(dir.resolve(RunFolder.INSTRUCT_PREDICTIONS),
                "index,trained_tokens,base_nll,finetuned_nll,text_sha256\n0,2,4,1,a\n1,3,6,3,b\n2,5,10,6,c\n");
        PreparedData none = new PreparedData(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Map.of());
        EvaluationSettings s = new EvaluationSettings(1, "d", true, false, false, 200, 0.9, List.of(),
                Optional.empty(), Map.of(), Optional.empty(), 1.0);
        EvaluateStage.Outcome outcome = EvaluateStage.evaluate(dir, s, none,
                new PrintStream(new ByteArrayOutputStream()));
        // hand: base 20 nats over 10 trained tokens = 2.0; fine-tuned 10 / 10 = 1.0 (not the mean of per-row ratios)
        assertEquals(2.0, row(outcome.rows(), "base", "loss").value(), 1e-12);
        assertEquals(1.0, row(outcome.rows(), "finetuned", "loss").value(), 1e-12);
        assertEquals(Math.exp(2.0), row(outcome.rows(), "base", "perplexity").value(), 1e-12);
        assertEquals(-1.0, row(outcome.rows(), "finetuned", "loss_delta_vs_base").value(), 1e-12);
        MetricRow tuned = row(outcome.rows(), "finetuned", "loss");
        assertEquals("d/instructions", tuned.dataset());
        assertEquals("validation", tuned.split());
        assertEquals(3, tuned.n());
        assertTrue(tuned.ciLow() <= 1.0 && 1.0 <= tuned.ciHigh());
        MetricRow ppl = row(outcome.rows(), "finetuned", "perplexity");
        assertEquals(Math.exp(tuned.ciLow()), ppl.ciLow(), 1e-12, "the interval maps through exp");
        PairedTestResult test = outcome.tests().stream().filter(t -> t.dataset().equals("d/instructions"))
                .findFirst().orElseThrow();
        assertEquals("loss", test.metric());
        assertEquals("paired_bootstrap", test.test());
        assertEquals(-1.0, test.difference(), 1e-12);
        assertTrue(outcome.rows().stream().anyMatch(r -> r.dataset().equals("d/instructions")
                && r.metric().equals("p_value_bootstrap_vs_base")));
    }

    @Test
    void rowsCarryTheFilesSplit(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("predictions"));
        Files.writeString(dir.resolve(RunFolder.INSTRUCT_PREDICTIONS),
                "index,split,trained_tokens,base_nll,finetuned_nll,text_sha256\n0,test,4,8,4,a\n");
        PreparedData none = new PreparedData(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Map.of());
        EvaluationSettings s = new EvaluationSettings(1, "d", true, false, false, 20, 0.9, List.of(),
                Optional.empty(), Map.of(), Optional.empty(), 1.0);
        List<MetricRow> rows = EvaluateStage.evaluate(dir, s, none, new PrintStream(new ByteArrayOutputStream()))
                .rows();
        assertEquals("test", row(rows, "base", "loss").split());
        assertEquals(2.0, row(rows, "base", "loss").value(), 1e-12);
        assertEquals("test", row(rows, "finetuned", "loss_delta_vs_base").split());
    }

    private static MetricRow row(List<MetricRow> rows, String subject, String metric) {
        return rows.stream().filter(r -> r.subject().equals(subject) && r.metric().equals(metric)
                && r.dataset().equals("d/instructions")).findFirst().orElseThrow(() -> new AssertionError(metric));
    }
}
