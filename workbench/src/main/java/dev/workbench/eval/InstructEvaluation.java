package dev.workbench.eval;

import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The instruct task's language-model figures, as {@link EvaluateStage} reads the language_model task's: from the
 * fine-tune stage's per-conversation scores ({@link RunFolder#INSTRUCT_PREDICTIONS}: summed NLL in nats of each held-out
 * conversation's trained tokens, base and fine-tuned), the loss per trained token {@code Σ nll / Σ tokens} and its
 * perplexity {@code exp(loss)} with bootstrap intervals over conversations (the same ratio-of-sums statistic as bits
 * per byte), and the paired bootstrap of fine-tuned − base on the same resampled conversations.
 *
 * <p>The conversations are the instruction data's test split when the recipe keeps one, else its validation split
 * (the file's {@code split} column says which; the rows carry it). On the validation split the fine-tuned model is the
 * checkpoint with the lowest loss on those same conversations, so its figure leans optimistic (the report says so).
 */
final class InstructEvaluation {
    /** The split of files written before the {@code split} column existed. */
    static final String DEFAULT_SPLIT = "validation";

    private InstructEvaluation() {
    }

    static void evaluate(Path file, EvaluationSettings s, List<MetricRow> rows, List<PairedTestResult> tests)
            throws IOException {
        List<CsvFiles.Row> cells = CsvFiles.readRows(file, List.of("trained_tokens", "base_nll", "finetuned_nll"));
        int n = cells.size();
        if (n == 0) {
            return;
        }
        long[] tokens = new long[n];
        double[] base = new double[n];
        double[] tuned = new double[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = (long) cells.get(i).number("trained_tokens");
            base[i] = cells.get(i).number("base_nll");
            tuned[i] = cells.get(i).number("finetuned_nll");
        }
        String dataset = s.dataset("instructions");
        String split = cells.get(0).get("split").isBlank() ? DEFAULT_SPLIT : cells.get(0).get("split");
        for (String subject : List.of("base", "finetuned")) {
            double[] nll = subject.equals("base") ? base : tuned;
            // a ratio of sums: bitsPerByte computes Σ a / Σ b, here nats over trained tokens
            Bootstrap.Result loss = Bootstrap.run(n, s.bootstrapSamples(), s.confidence(), s.seed(),
                    idx -> LanguageModelMetrics.bitsPerByte(nll, tokens, idx));
            rows.add(MetricRow.of(EvaluateStage.STAGE, subject, dataset, split, Metric.LOSS, loss.observed(), n)
                    .withInterval(loss.interval().low(), loss.interval().high()));
            // exp is monotone, so the percentile interval maps through it unchanged
            rows.add(MetricRow.of(EvaluateStage.STAGE, subject, dataset, split, Metric.PERPLEXITY,
                    Math.exp(loss.observed()), n)
                    .withInterval(Math.exp(loss.interval().low()), Math.exp(loss.interval().high())));
        }
        PairedTests.PairedBootstrap diff = PairedTests.pairedBootstrap(n, s.bootstrapSamples(), s.confidence(),
                s.seed(), idx -> LanguageModelMetrics.bitsPerByte(tuned, tokens, idx)
                        - LanguageModelMetrics.bitsPerByte(base, tokens, idx));
        rows.add(MetricRow.of(EvaluateStage.STAGE, "finetuned", dataset, split, Metric.LOSS_DELTA_VS_BASE,
                diff.observed(), n).withInterval(diff.interval().low(), diff.interval().high()));
        tests.add(PairedTestResult.bootstrap("language_model", dataset, "finetuned", "base", Metric.LOSS.key(), n,
                diff));
    }
}
