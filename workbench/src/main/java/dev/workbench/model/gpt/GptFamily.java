package dev.workbench.model.gpt;

import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.model.Architecture;
import dev.workbench.model.Init;
import dev.workbench.model.ModelFamily;
import dev.workbench.model.Trunk;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.BaseModel;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The GPT-2-style decoder family ({@code "gpt"}): learned positions, pre-LayerNorm blocks, GELU MLP, tied output
 * projection ({@link GptModel}, {@link GptConfig}); imports and exports Hugging Face {@code model_type "gpt2"}
 * ({@link HfGpt2Config}, {@link Gpt2Weights}).
 */
public final class GptFamily implements ModelFamily {
    /** Stateless: the one value {@code ModelFamilies} lists. */
    public static final GptFamily INSTANCE = new GptFamily();
    public static final String NAME = "gpt";
    private static final double STD = 0.02;
    private static final ObjectMapper JSON = new ObjectMapper();

    private GptFamily() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GptConfig architecture(BaseModel base, int vocabSize) {
        return new GptConfig(vocabSize, base.contextLength(), base.layers(), base.heads(), base.embeddingDim(),
                base.dropout());
    }

    @Override
    public GptConfig readArchitecture(JsonNode model) throws JsonProcessingException {
        return JSON.treeToValue(model, GptConfig.class);
    }

    @Override
    public GptModel languageModel(Architecture architecture) {
        return new GptModel(config(architecture));
    }

    @Override
    public Trunk trunk(Architecture architecture) {
        return new Transformer(config(architecture));
    }

    /**
     * GPT-2's scheme: weights and embeddings Normal(0, 0.02); the projections that write into the residual stream
     * (attention {@code o}, mlp {@code down}) Normal(0, 0.02 / sqrt(2 * layers)); biases 0; LayerNorm weights 1. A
     * classifier head's weight is an ordinary weight.
     */
    @Override
    public BiFunction<String, Parameter, Initializer> initializers(Architecture architecture, long seed) {
        int layers = config(architecture).layers();
        return (name, parameter) -> switch (parameter.getType()) {
            case GAMMA -> Init.constant(1f);
            case BIAS, BETA -> Init.constant(0f);
            case WEIGHT -> {
                boolean residual = name.endsWith("attention.o.weight") || name.endsWith("mlp.down.weight");
                yield Init.normal(seed, name, residual ? STD / Math.sqrt(2.0 * layers) : STD);
            }
            default -> throw new IllegalStateException("no initial value for " + name + " of type "
                    + parameter.getType());
        };
    }

    @Override
    public Set<String> hfModelTypes() {
        return Set.of(HfGpt2Config.MODEL_TYPE);
    }

    @Override
    public String hfDescription() {
        return "GPT-2-family models (model_type \"gpt2\": gpt2, distilgpt2, gpt2-medium/large/xl and fine-tunes)";
    }

    @Override
    public HfArchitecture readHfConfig(JsonNode config, Path file) {
        return HfGpt2Config.parse(config, file);
    }

    @Override
    public String hfConfigJson(Architecture architecture, int endOfTextId) {
        return HfGpt2Config.toJson(config(architecture), endOfTextId);
    }

    @Override
    public boolean isHfBuffer(String hfName) {
        return Gpt2Weights.isBuffer(hfName);
    }

    @Override
    public Map<String, Safetensors.Tensor> fromHf(Map<String, Safetensors.Tensor> stored, Architecture architecture,
                                                  String source) {
        return Gpt2Weights.toWorkbench(stored, config(architecture), source);
    }

    @Override
    public Map<String, Safetensors.Tensor> toHf(Map<String, Safetensors.Tensor> named, Architecture architecture) {
        return Gpt2Weights.toHf(named, config(architecture));
    }

    /** {@code architecture} as this family's own config (it always is: an architecture names its family). */
    static GptConfig config(Architecture architecture) {
        if (architecture instanceof GptConfig config) {
            return config;
        }
        throw new IllegalArgumentException("not a " + NAME + " architecture: " + architecture);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
