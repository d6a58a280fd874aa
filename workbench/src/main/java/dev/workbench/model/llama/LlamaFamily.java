package dev.workbench.model.llama;

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
import dev.workbench.model.io.TensorSource;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The Llama-architecture decoder family ({@code "llama"}): RMSNorm, rotary positions, SwiGLU MLP, grouped-query
 * attention, optional q/k/v biases (Qwen2) and q/k norms (Qwen3), tied or untied output ({@link LlamaModel},
 * {@link LlamaConfig}). Imports and exports Hugging Face {@code model_type} llama, mistral, qwen2 and qwen3
 * ({@link HfLlamaConfig}, {@link LlamaWeights}). It has no presets: its architectures come from a config.json.
 */
public final class LlamaFamily implements ModelFamily {
    /** Stateless: the one value {@code ModelFamilies} lists. */
    public static final LlamaFamily INSTANCE = new LlamaFamily();
    public static final String NAME = "llama";
    /** transformers' {@code initializer_range} default for every one of these model types. */
    private static final double STD = 0.02;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LlamaFamily() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Presets are GPT-style; a Llama architecture always comes from a Hugging Face folder or a checkpoint. */
    @Override
    public Architecture architecture(BaseModel base, int vocabSize) {
        throw WorkbenchException.invalid("the llama family has no presets: start from a Hugging Face folder "
                + "(base_model.hf) or a workbench checkpoint of one");
    }

    @Override
    public LlamaConfig readArchitecture(JsonNode model) throws JsonProcessingException {
        return JSON.treeToValue(model, LlamaConfig.class);
    }

    @Override
    public LlamaModel languageModel(Architecture architecture) {
        return new LlamaModel(config(architecture));
    }

    @Override
    public Trunk trunk(Architecture architecture) {
        return new LlamaTrunk(config(architecture));
    }

    /**
     * transformers' scheme for these models: linear and embedding weights Normal(0, initializer_range = 0.02), biases
     * 0, RMSNorm weights 1. Seeded per parameter name ({@link Init}); used for a classifier head on a Llama trunk.
     */
    @Override
    public BiFunction<String, Parameter, Initializer> initializers(Architecture architecture, long seed) {
        return (name, parameter) -> switch (parameter.getType()) {
            case GAMMA -> Init.constant(1f);
            case BIAS, BETA -> Init.constant(0f);
            case WEIGHT -> Init.normal(seed, name, STD);
            default -> throw new IllegalStateException("no initial value for " + name + " of type "
                    + parameter.getType());
        };
    }

    @Override
    public Set<String> hfModelTypes() {
        return Set.copyOf(LlamaConfig.MODEL_TYPES);
    }

    @Override
    public String hfDescription() {
        return "Llama-architecture decoders (model_type \"llama\", \"mistral\", \"qwen2\", \"qwen3\": Llama 2/3, "
                + "Mistral, Qwen2.5, Qwen3, SmolLM2 and fine-tunes)";
    }

    @Override
    public HfArchitecture readHfConfig(JsonNode config, Path file) {
        return HfLlamaConfig.parse(config, file);
    }

    @Override
    public String hfConfigJson(Architecture architecture, int endOfTextId) {
        return HfLlamaConfig.toJson(config(architecture), endOfTextId);
    }

    @Override
    public boolean isHfBuffer(String hfName) {
        return LlamaWeights.isBuffer(hfName);
    }

    @Override
    public TensorSource fromHf(TensorSource stored, Architecture architecture, String source) {
        return LlamaWeights.toWorkbench(stored, config(architecture), source);
    }

    @Override
    public Map<String, Safetensors.Tensor> fromHf(Map<String, Safetensors.Tensor> stored, Architecture architecture,
                                                  String source) {
        return fromHf(TensorSource.of(stored), architecture, source).readAll();
    }

    @Override
    public Map<String, Safetensors.Tensor> toHf(Map<String, Safetensors.Tensor> named, Architecture architecture) {
        return LlamaWeights.toHf(named, config(architecture));
    }

    /** {@code model.layers.N.self_attn.q_proj} ... {@code model.layers.N.mlp.down_proj}, as PEFT names them. */
    @Override
    public Optional<String> hfModule(Architecture architecture, int layer, String role) {
        return Optional.of(LlamaWeights.hfModule(layer, role));
    }

    static LlamaConfig config(Architecture architecture) {
        if (architecture instanceof LlamaConfig config) {
            return config;
        }
        throw new IllegalArgumentException("not a " + NAME + " architecture: " + architecture);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
