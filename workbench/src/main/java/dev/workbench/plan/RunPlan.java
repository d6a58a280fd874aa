package dev.workbench.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * What {@code workbench run} would do with a recipe: sizes, step counts and costs derived from the recipe and the data,
 * shown by {@code workbench plan} before anything is trained.
 */
public record RunPlan(
        @JsonProperty("corpora") Map<String, SplitSizes> corpora,
        @JsonProperty("classes") List<String> classes,
        @JsonProperty("effective_batch_size") int effectiveBatchSize,
        @JsonProperty("tasks") List<TaskPlan.Figures> tasks,
        @JsonProperty("parameters") long parameters,
        @JsonProperty("trainable_parameters") long trainableParameters,
        @JsonProperty("memory_estimate_mib") double memoryEstimateMib,
        @JsonProperty("synthesis") List<String> synthesis,
        @JsonProperty("notes") List<String> notes) {

    public record SplitSizes(@JsonProperty("train") int train, @JsonProperty("validation") int validation,
                             @JsonProperty("test") int test) {
    }

}
