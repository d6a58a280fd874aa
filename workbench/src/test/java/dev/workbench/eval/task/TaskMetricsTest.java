package dev.workbench.eval.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.recipe.TaskFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every task metric against its reference implementation's values on the same inputs: rouge-score's ROUGE-L, the
 * SQuAD v2 script's F1, lm-eval's regex filter with Hugging Face evaluate's exact_match (gsm8k options), and lm-eval's
 * acc / acc_norm with numpy. The fixture is written by scripts/task_metrics_reference.py.
 */
class TaskMetricsTest {
    static final TaskFile.MetricSpec GSM8K = new TaskFile.MetricSpec("exact_match", true, false,
            List.of(",", "\\$", "(?s).*#### ", "\\.$"));
    static final TaskFile.AnswerFilter STRICT = new TaskFile.AnswerFilter("#### (\\-?[0-9\\.\\,]+)", 1, 0,
            "[invalid]");

    static JsonNode golden() throws IOException {
        try (InputStream in = TaskMetricsTest.class.getResourceAsStream("task-metrics-golden.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void rougeLAndF1MatchTheReferenceImplementations() throws IOException {
        JsonNode text = golden().get("text");
        assertEquals(12, text.size());
        for (JsonNode c : text) {
            String pred = c.get("prediction").asText();
            String ref = c.get("reference").asText();
            assertEquals(c.get("rouge_l").asDouble(), TaskMetrics.rougeL(pred, ref), 1e-12, "rouge_l " + pred);
            assertEquals(c.get("f1").asDouble(), TaskMetrics.f1(pred, ref), 1e-12, "f1 " + pred);
        }
    }

    @Test
    void gsm8kFilterAndExactMatchMatchLmEval() throws IOException {
        JsonNode cases = golden().get("gsm8k");
        assertEquals(9, cases.size());
        TaskFile.AnswerFilter last = new TaskFile.AnswerFilter(STRICT.regex(), 1, -1, "[invalid]");
        for (JsonNode c : cases) {
            String output = c.get("output").asText();
            String target = c.get("target").asText();
            String answer = TaskMetrics.filter(output, STRICT);
            assertEquals(c.get("answer").asText(), answer, output);
            assertEquals(c.get("exact_match").asDouble(), TaskMetrics.exactMatch(answer, target, GSM8K), output);
            String lastAnswer = TaskMetrics.filter(output, last);
            assertEquals(c.get("answer_last").asText(), lastAnswer, output);
            assertEquals(c.get("exact_match_last").asDouble(), TaskMetrics.exactMatch(lastAnswer, target, GSM8K),
                    output);
        }
    }

    @Test
    void accAndAccNormMatchLmEval() throws IOException {
        for (JsonNode c : golden().get("multiple_choice")) {
            double[] ll = new double[c.get("loglikelihoods").size()];
            for (int i = 0; i < ll.length; i++) {
                ll[i] = c.get("loglikelihoods").get(i).asDouble();
            }
            List<String> choices = new ArrayList<>();
            c.get("choices").forEach(n -> choices.add(n.asText()));
            int gold = c.get("gold").asInt();
            assertEquals(c.get("acc").asDouble(), TaskMetrics.acc(ll, gold), c.toString());
            assertEquals(c.get("acc_norm").asDouble(), TaskMetrics.accNorm(ll, choices, gold), c.toString());
        }
    }

    @Test
    void exactMatchOptionsApplyInHuggingFaceOrder() {
        TaskFile.MetricSpec plain = TaskFile.MetricSpec.of("exact_match");
        assertEquals(0, TaskMetrics.exactMatch("Paris", "paris", plain));
        assertEquals(1, TaskMetrics.exactMatch("Paris", "paris", new TaskFile.MetricSpec("exact_match", true, false,
                List.of())));
        assertEquals(1, TaskMetrics.exactMatch("it's 5!", "its 5", new TaskFile.MetricSpec("exact_match", false,
                true, List.of())));
        // no stripping: a leading space is a difference unless a regex removes it
        assertEquals(0, TaskMetrics.exactMatch(" 18", "18", plain));
        assertEquals(1, TaskMetrics.exactMatch(" 18", "18", new TaskFile.MetricSpec("exact_match", false, false,
                List.of("^\\s+"))));
    }
}
