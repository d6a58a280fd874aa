package dev.workbench.store;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a run folder: enough to say what ran, on what data, with which software.
 *
 * @param inputs input file -> SHA-256
 * @param versions component -> version (java, djl, pytorch, tribuo, workbench)
 * @param overrides the {@code --set} overrides, as given
 * @param status running, completed, failed, diverged
 */
public record RunManifest(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("run_id") String runId,
        @JsonProperty("recipe_name") String recipeName,
        @JsonProperty("recipe_file") String recipeFile,
        @JsonProperty("recipe_sha256") String recipeSha256,
        @JsonProperty("overrides") List<String> overrides,
        @JsonProperty("seed") long seed,
        @JsonProperty("inputs") Map<String, String> inputs,
        @JsonProperty("versions") Map<String, String> versions,
        @JsonProperty("device") String device,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("ended_at") String endedAt,
        @JsonProperty("status") String status,
        @JsonProperty("stages") List<StageRecord> stages) {

    public static final int SCHEMA_VERSION = 1;

    /** @param status completed, failed, diverged, skipped */
    public record StageRecord(@JsonProperty("name") String name, @JsonProperty("status") String status,
                              @JsonProperty("seconds") double seconds, @JsonProperty("message") String message) {
    }
}
