package dev.workbench.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.recipe.Synthesize;

/**
 * The one recipe setting of the closed-form baselines ({@link IndependentSynthesizer},
 * {@link GaussianCopulaSynthesizer}).
 *
 * @param clipToRange clip generated numbers to the range seen in the real data
 */
public record BaselineConfig(boolean clipToRange) {

    /** The recipe's synthesize section. */
    public static BaselineConfig from(Synthesize s) {
        return new BaselineConfig(s.clipToRange());
    }

    /**
     * The start of a baseline's generator config.json: its method, this setting and the profile it was fitted on;
     * the baseline adds its fitted parameters.
     */
    ObjectNode checkpointJson(String method, TableProfile profile) {
        ObjectNode json = GeneratorCheckpoint.newConfig(method);
        json.put("clip_to_range", clipToRange);
        json.set("profile", GeneratorCheckpoint.JSON.valueToTree(profile));
        return json;
    }

    /** The setting as a baseline's generator config.json holds it (clipped where it does not say). */
    static BaselineConfig fromCheckpoint(JsonNode json) {
        return new BaselineConfig(json.path("clip_to_range").asBoolean(true));
    }
}
