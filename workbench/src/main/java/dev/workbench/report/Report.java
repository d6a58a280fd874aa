package dev.workbench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.data.ConfusionMatrix;
import dev.workbench.eval.ColumnDistribution;
import dev.workbench.eval.PairedTestResult;
import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.store.MetricRow;

import java.util.List;
import java.util.Map;

/**
 * Everything a report shows, as values built only from a run folder ({@link ReportBuilder}); renderers
 * ({@link JsonReport}, {@link MarkdownReport}, {@link HtmlReport}) only format it. A section that has no input in the
 * run folder is null (and left out of the JSON).
 *
 * @param summary headline comparisons in plain words
 * @param metrics every metric row of the run, sorted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("title") String title,
        @JsonProperty("summary") List<Headline> summary,
        @JsonProperty("run") RunInfo run,
        @JsonProperty("data") DataSection data,
        @JsonProperty("language_model") LanguageModelSection languageModel,
        @JsonProperty("classifier") ClassifierSection classifier,
        @JsonProperty("generations") List<Generation> generations,
        @JsonProperty("synthetic") SyntheticSection synthetic,
        @JsonProperty("caveats") List<String> caveats,
        @JsonProperty("metrics") List<MetricRow> metrics) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * One headline comparison.
     *
     * @param verdict improved, worse, or no clear difference
     * @param ciLow interval of {@code delta} when the run has one, else of {@code value}
     * @param pValue the paired test's p-value (Holm-adjusted when it is part of a family); null when none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Headline(@JsonProperty("area") String area, @JsonProperty("metric") String metric,
                           @JsonProperty("subject") String subject, @JsonProperty("against") String against,
                           @JsonProperty("value") double value, @JsonProperty("against_value") Double againstValue,
                           @JsonProperty("delta") Double delta, @JsonProperty("ci_low") Double ciLow,
                           @JsonProperty("ci_high") Double ciHigh, @JsonProperty("p_value") Double pValue,
                           @JsonProperty("verdict") String verdict, @JsonProperty("sentence") String sentence) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunInfo(@JsonProperty("run_id") String runId, @JsonProperty("recipe_name") String recipeName,
                          @JsonProperty("recipe_file") String recipeFile,
                          @JsonProperty("recipe_sha256") String recipeSha256, @JsonProperty("seed") Long seed,
                          @JsonProperty("status") String status, @JsonProperty("device") String device,
                          @JsonProperty("started_at") String startedAt, @JsonProperty("ended_at") String endedAt,
                          @JsonProperty("overrides") List<String> overrides,
                          @JsonProperty("inputs") Map<String, String> inputs,
                          @JsonProperty("versions") Map<String, String> versions,
                          @JsonProperty("stages") List<StageTiming> stages,
                          @JsonProperty("recipe_yaml") String recipeYaml) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StageTiming(@JsonProperty("name") String name, @JsonProperty("status") String status,
                              @JsonProperty("seconds") double seconds, @JsonProperty("message") String message) {
    }

    /**
     * @param splits corpus → split → size
     * @param notes what data preparation recorded (per corpus: file, hash, rows read/skipped, duplicates, ...), as
     *              JSON values
     * @param classCounts corpus → rows per label (or target class) over all splits, largest first
     */
    public record DataSection(@JsonProperty("splits") Map<String, Map<String, Integer>> splits,
                              @JsonProperty("notes") Map<String, Object> notes,
                              @JsonProperty("class_counts") Map<String, List<ClassCount>> classCounts) {
    }

    public record ClassCount(@JsonProperty("label") String label, @JsonProperty("count") long count) {
    }

    /** A metric of one subject with its interval (a compact view of a metric row). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Value(@JsonProperty("subject") String subject, @JsonProperty("metric") String metric,
                        @JsonProperty("dataset") String dataset, @JsonProperty("value") double value,
                        @JsonProperty("ci_low") Double ciLow, @JsonProperty("ci_high") Double ciHigh,
                        @JsonProperty("n") Long n, @JsonProperty("higher_is_better") boolean higherIsBetter) {
        static Value of(MetricRow r) {
            return new Value(r.subject(), r.metric(), r.dataset(), r.value(), r.ciLow(), r.ciHigh(), r.n(),
                    r.higherIsBetter());
        }
    }

    /** Per-step training curve of one task ({@code finetune/<task>/metrics.csv}). */
    public record Curve(@JsonProperty("task") String task, @JsonProperty("step") List<Long> step,
                        @JsonProperty("loss") List<Double> loss, @JsonProperty("val_step") List<Long> valStep,
                        @JsonProperty("val_loss") List<Double> valLoss) {
    }

    public record LanguageModelSection(@JsonProperty("values") List<Value> values,
                                       @JsonProperty("tests") List<PairedTestResult> tests,
                                       @JsonProperty("curves") List<Curve> curves) {
    }

    /**
     * @param confusion subject → confusion matrix; @param perClass subject → per-class precision/recall/F1
     * @param notes how to read metrics that need it (the out-of-scope ones), shown under the values
     */
    public record ClassifierSection(@JsonProperty("values") List<Value> values,
                                    @JsonProperty("confusion") Map<String, ConfusionMatrix> confusion,
                                    @JsonProperty("per_class") Map<String, List<ConfusionMatrix.PerClass>> perClass,
                                    @JsonProperty("tests") List<PairedTestResult> tests,
                                    @JsonProperty("curves") List<Curve> curves,
                                    @JsonProperty("notes") List<String> notes) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Generation(@JsonProperty("prompt") String prompt, @JsonProperty("base") String base,
                             @JsonProperty("finetuned") String finetuned, @JsonProperty("seed") Long seed,
                             @JsonProperty("max_new_tokens") Integer maxNewTokens,
                             @JsonProperty("temperature") Double temperature) {
    }

    /**
     * @param methods synthesizers found under {@code synthetic/}
     * @param columns method → per-column scores; @param distributions real vs synthetic shares of every column
     * @param pairs method → per-pair scores (correlation and contingency similarity), for the pair-trend heat map
     * @param columnTypes column → numeric|categorical, the one type decision the profiler and the evaluator share
     * @param basis figure group → what real rows it compares with: whole_real_table (SDMetrics QualityReport
     *              figures, new-row synthesis) or true_holdout / split_of_real (detection, TSTR/TRTR, DCR)
     * @param notes warnings about the figures (e.g. TSTR on a split of the generator's own training rows)
     */
    public record SyntheticSection(@JsonProperty("methods") List<String> methods,
                                   @JsonProperty("values") List<Value> values,
                                   @JsonProperty("columns") Map<String, List<SyntheticEvaluation.ColumnScore>> columns,
                                   @JsonProperty("distributions") List<ColumnDistribution> distributions,
                                   @JsonProperty("tests") List<PairedTestResult> tests,
                                   @JsonProperty("pairs") Map<String, List<SyntheticEvaluation.PairScore>> pairs,
                                   @JsonProperty("column_types") Map<String, String> columnTypes,
                                   @JsonProperty("basis") Map<String, String> basis,
                                   @JsonProperty("notes") List<String> notes) {
    }
}
