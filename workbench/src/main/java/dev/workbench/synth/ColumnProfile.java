package dev.workbench.synth;

import dev.workbench.data.ColumnType;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One column as the profiler saw it.
 *
 * @param missingRate share of rows whose cell is missing (empty or one of {@link TableProfiler#MISSING_TOKENS})
 * @param missingToken the spelling of missing cells written back into synthetic rows ("" when none was seen)
 * @param min smallest value (numeric columns; datetimes as epoch seconds); NaN otherwise
 * @param max largest value, as {@code min}
 * @param decimals digits after the point seen in the data (numbers are written back with as many; 0 for integers)
 * @param categories distinct non-missing values, most frequent first (categorical and boolean columns); empty otherwise
 * @param datetimeFormat {@code date} (yyyy-MM-dd) or {@code datetime} (ISO local date-time) for datetime columns
 * @param overridden whether the type came from recipe corpus.table.column_types rather than inference
 */
public record ColumnProfile(
        @JsonProperty("name") String name,
        @JsonProperty("type") ColumnType type,
        @JsonProperty("missing_rate") double missingRate,
        @JsonProperty("missing_token") String missingToken,
        @JsonProperty("min") double min,
        @JsonProperty("max") double max,
        @JsonProperty("decimals") int decimals,
        @JsonProperty("categories") List<String> categories,
        @JsonProperty("datetime_format") String datetimeFormat,
        @JsonProperty("overridden") boolean overridden) {

    public boolean hasMissing() {
        return missingRate > 0;
    }
}
