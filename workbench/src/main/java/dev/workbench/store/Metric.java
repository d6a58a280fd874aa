package dev.workbench.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The metric vocabulary of {@code metrics.jsonl}: every name a stage writes in a {@link MetricRow}, with the direction
 * it is read in. Writers build rows from these ({@link MetricRow#of(String, String, String, String, Metric, double,
 * long)}, so a name and its direction never disagree) and readers look rows up with {@link MetricRow#is(Metric)}. A new
 * metric is one constant here. The only names outside the list are the p-values of paired tests, which carry the
 * compared subject in the name ({@link #pValue}).
 */
public enum Metric {
    // ---- language model: finetune and evaluate stages ----
    LOSS("loss", false),
    BITS_PER_BYTE("bits_per_byte", false),
    PERPLEXITY("perplexity", false),
    WORD_PERPLEXITY("word_perplexity", false),
    TOKEN_PERPLEXITY("token_perplexity", false),
    BITS_PER_BYTE_DELTA_VS_BASE("bits_per_byte_delta_vs_base", false),
    // the instruct task: loss (nats) per trained token, fine-tuned minus base on the same conversations
    LOSS_DELTA_VS_BASE("loss_delta_vs_base", false),
    TOKENS_PER_S("tokens_per_s", true),

    // ---- classifier ----
    ACCURACY("accuracy", true),
    MACRO_F1("macro_f1", true),
    EXPECTED_CALIBRATION_ERROR("expected_calibration_error", false),
    // with an out-of-scope class (evaluate.out_of_scope_label; CLINC150's metrics, eval.OutOfScopeMetrics)
    IN_SCOPE_ACCURACY("in_scope_accuracy", true),
    OOS_RECALL("oos_recall", true),
    OOS_PRECISION("oos_precision", true),

    // ---- evaluation tasks (lm-evaluation-harness definitions; eval.task.TaskMetrics) ----
    ACC("acc", true),
    ACC_NORM("acc_norm", true),
    EXACT_MATCH("exact_match", true),
    ROUGE_L("rouge_l", true),
    F1("f1", true),

    // ---- synthetic tables: fidelity (SDMetrics definitions) ----
    KS_COMPLEMENT("ks_complement", true),
    TV_COMPLEMENT("tv_complement", true),
    COLUMN_SHAPES("column_shapes", true),
    CORRELATION_SIMILARITY("correlation_similarity", true),
    CONTINGENCY_SIMILARITY("contingency_similarity", true),
    COLUMN_PAIR_TRENDS("column_pair_trends", true),
    QUALITY_SCORE("quality_score", true),
    COLUMN_PAIR_TRENDS_THRESHOLDED("column_pair_trends_thresholded", true),
    QUALITY_SCORE_THRESHOLDED("quality_score_thresholded", true),
    DETECTION_AUC("detection_auc", false),
    DETECTION_SCORE("detection_score", true),
    DETECTION_TREE_AUC("detection_tree_auc", false),
    DETECTION_TREE_SCORE("detection_tree_score", true),

    // ---- synthetic tables: efficacy (train on synthetic / real, test on real); boosted trees, then logistic ----
    TSTR_ACCURACY("tstr_accuracy", true),
    TSTR_MACRO_F1("tstr_macro_f1", true),
    TRTR_ACCURACY("trtr_accuracy", true),
    TRTR_MACRO_F1("trtr_macro_f1", true),
    TSTR_ACCURACY_LOGISTIC("tstr_accuracy_logistic", true),
    TSTR_MACRO_F1_LOGISTIC("tstr_macro_f1_logistic", true),
    TRTR_ACCURACY_LOGISTIC("trtr_accuracy_logistic", true),
    TRTR_MACRO_F1_LOGISTIC("trtr_macro_f1_logistic", true),

    // ---- synthetic tables: privacy ----
    DCR_MEDIAN("dcr_median", true),
    DCR_HOLDOUT_MEDIAN("dcr_holdout_median", true),
    DCR_RATIO("dcr_ratio", true),
    DCR_OVERFITTING_PROTECTION("dcr_overfitting_protection", true),
    NEW_ROW_SYNTHESIS("new_row_synthesis", true),
    EXACT_COPY_RATE("exact_copy_rate", false),

    // ---- augmentation: the downstream model trained on real + synthetic rows ----
    AUGMENTED_ACCURACY("augmented_accuracy", true),
    AUGMENTED_MACRO_F1("augmented_macro_f1", true),
    AUGMENTED_ACCURACY_DELTA("augmented_accuracy_delta", true),
    AUGMENTED_ACCURACY_LOGISTIC("augmented_accuracy_logistic", true),
    AUGMENTED_MACRO_F1_LOGISTIC("augmented_macro_f1_logistic", true),
    AUGMENTED_ACCURACY_DELTA_LOGISTIC("augmented_accuracy_delta_logistic", true),

    // ---- synthesize stage: fitting ----
    FIT_SECONDS("fit_seconds", false),
    SAMPLE_SECONDS("sample_seconds", false),
    GENERATOR_LOSS_FINAL("generator_loss_final", false),
    CRITIC_LOSS_FINAL("critic_loss_final", false),
    GENERATOR_STEPS("generator_steps", true),
    LOSS_FINAL("loss_final", false),
    TRAINING_STEPS("training_steps", true),
    SKIPPED_STEPS("skipped_steps", false);

    /** Start of every p-value row's name: test results, not scores (no "best", no win rate). */
    public static final String P_VALUE_PREFIX = "p_value_";
    /** End of the Holm-adjusted twin of a p-value row's name. */
    public static final String HOLM_SUFFIX = "_holm";

    private final String key;
    private final boolean higherIsBetter;

    Metric(String key, boolean higherIsBetter) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
    }

    /** The name in {@code metrics.jsonl} (lowercase, snake_case). */
    public String key() {
        return key;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The metric of a name, if it is one of the vocabulary (p-values are not). */
    public static Optional<Metric> of(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
    }

    /** The names of {@code metrics}, in order. */
    public static List<String> keys(Metric... metrics) {
        return Arrays.stream(metrics).map(Metric::key).toList();
    }

    /** The name of a paired test's p-value row: {@code p_value_<test>_vs_<against>} (lower is not "better"). */
    public static String pValue(String test, String against) {
        return P_VALUE_PREFIX + test + "_vs_" + against;
    }

    public static boolean isPValue(String key) {
        return key.startsWith(P_VALUE_PREFIX);
    }
}
