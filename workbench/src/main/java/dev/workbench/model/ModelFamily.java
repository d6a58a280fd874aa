package dev.workbench.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.io.TensorSource;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * One kind of model (GPT-2-style decoder, later Llama-style decoders and BERT-style encoders): everything the rest of
 * the workbench needs to know about it, and nothing else. A family lives in its own package
 * ({@code model/<family>/}) and is listed once in {@link ModelFamilies}; stages, plans and commands reach it only
 * through this interface, {@link Architecture}, {@link LanguageModel}, {@link Trunk} and {@link ClassifierModel}.
 *
 * <p>Architectures handed to a family's methods are its own (what {@link Architecture#family()} says).
 */
public interface ModelFamily {

    /** What checkpoints record ({@code "family": "gpt"} in config.json) and {@link ModelFamilies#byName} finds. */
    String name();

    // ---- architecture --------------------------------------------------------------------------------------------

    /** The architecture a recipe's {@code base_model} asks for, with the vocabulary of the tokenizer actually built. */
    Architecture architecture(BaseModel base, int vocabSize);

    /**
     * The architecture stored under {@code "model"} in a checkpoint's config.json.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException or {@link dev.workbench.recipe.WorkbenchException}
     *     for a value this family does not accept (the caller names the file)
     */
    Architecture readArchitecture(JsonNode model) throws com.fasterxml.jackson.core.JsonProcessingException;

    // ---- models --------------------------------------------------------------------------------------------------

    /** An uninitialised language model (fill it with {@link TunableModel#initializeParameters}). */
    LanguageModel languageModel(Architecture architecture);

    /** An uninitialised trunk, e.g. for a {@link ClassifierModel}. */
    Trunk trunk(Architecture architecture);

    /**
     * The family's initial values for a fresh model, head included: deterministic given {@code seed} and the parameter
     * name, whatever the device or the order in which blocks are initialised.
     */
    BiFunction<String, Parameter, Initializer> initializers(Architecture architecture, long seed);

    /** A freshly initialised language model with arrays on {@code manager}. */
    default LanguageModel newLanguageModel(Architecture architecture, long seed, NDManager manager) {
        LanguageModel model = languageModel(architecture);
        model.initializeParameters(manager, initializers(architecture, seed));
        return model;
    }

    /** A freshly initialised classifier (trunk and head) with arrays on {@code manager}. */
    default ClassifierModel newClassifier(Architecture architecture, int numClasses, Finetune.Pooling pooling,
                                          long seed, NDManager manager) {
        ClassifierModel model = ClassifierModel.of(architecture, numClasses, pooling);
        model.initializeParameters(manager, initializers(architecture, seed));
        return model;
    }

    // ---- what the family can be fine-tuned for -------------------------------------------------------------------

    /**
     * Whether the family predicts tokens ({@link #languageModel}); an encoder-only family (BERT) does not, and a
     * {@code language_model} task on it is refused when the recipe is checked.
     */
    default boolean hasLanguageModel() {
        return true;
    }

    /**
     * The classifier poolings that make sense on this family's trunk, the default (what a recipe without
     * {@code finetune.classifier_pooling} gets) first. A causal decoder: MEAN, LAST (its first position has seen
     * only itself, so CLS is refused).
     */
    default List<Finetune.Pooling> poolings() {
        return List.of(Finetune.Pooling.MEAN, Finetune.Pooling.LAST);
    }

    // ---- Hugging Face layout -------------------------------------------------------------------------------------

    /** config.json {@code model_type} values this family imports ({@code gpt2}); empty when it imports none. */
    Set<String> hfModelTypes();

    /** What this family imports, for the refusal of any other model_type: {@code model_type "gpt2" (gpt2, ...)}. */
    String hfDescription();

    /**
     * The architecture in a Hugging Face config.json of one of {@link #hfModelTypes()}; every field that would change
     * the forward pass is checked and a value the family does not implement is refused, naming the field.
     *
     * @param file named in every error
     */
    HfArchitecture readHfConfig(JsonNode config, Path file);

    /** The config.json of an exported model, which {@link #readHfConfig} reads back to {@code architecture}. */
    String hfConfigJson(Architecture architecture, int endOfTextId);

    /** True for a stored Hugging Face tensor that is a buffer, not a weight (skipped on import). */
    boolean isHfBuffer(String hfName);

    /**
     * The workbench-named tensors of a language model from Hugging Face-named ones (renamed, reshaped).
     *
     * @param source names the origin in errors
     * @throws dev.workbench.recipe.WorkbenchException INVALID_INPUT for a missing, unexpected or misshapen tensor
     */
    Map<String, Safetensors.Tensor> fromHf(Map<String, Safetensors.Tensor> stored, Architecture architecture,
                                           String source);

    /**
     * The workbench-named tensors of a language model from Hugging Face-named ones, read lazily: a family whose mapping
     * is a renaming (no transposing or splitting) overrides this so that loading holds one tensor at a time in Java
     * memory ({@link TensorSource}). By default every stored tensor is read and handed to {@link #fromHf(Map,
     * Architecture, String)}.
     */
    default TensorSource fromHf(TensorSource stored, Architecture architecture, String source) {
        return TensorSource.of(fromHf(stored.readAll(), architecture, source));
    }

    /** Hugging Face-named tensors from a plain (adapters merged) language model's named tensors. */
    Map<String, Safetensors.Tensor> toHf(Map<String, Safetensors.Tensor> named, Architecture architecture);

    /**
     * The Hugging Face module that holds projection {@code role} of layer {@code layer}, as PEFT names LoRA targets
     * ({@code model.layers.0.self_attn.q_proj}); empty when the family's Hugging Face layout has no module of its own
     * for it (GPT-2 fuses q, k and v into one Conv1D), and then a LoRA adapter is exported merged only.
     */
    default java.util.Optional<String> hfModule(Architecture architecture, int layer, String role) {
        return java.util.Optional.empty();
    }

    /**
     * A fine-tuned classifier in a transformers {@code ...ForSequenceClassification} layout that computes the same
     * logits: config.json (with the labels) and the Hugging Face-named tensors, from the plain (adapters merged)
     * classifier's named tensors ({@link ClassifierModel#namedParameters()}: trunk and {@code head.*}). Only where
     * transformers has a class with the same function; otherwise refused, saying why (by default: every family).
     *
     * @param pooling the checkpoint's pooling; {@code architecture} is the classifier's trunk architecture
     * @throws dev.workbench.recipe.WorkbenchException INVALID_INPUT where no transformers class is the same model
     */
    default HfClassifier toHfClassifier(Architecture architecture, Finetune.Pooling pooling, List<String> labels,
                                        Map<String, Safetensors.Tensor> named) {
        throw dev.workbench.recipe.WorkbenchException.invalid("a " + name() + " classifier has no Hugging Face "
                + "equivalent here: --format hf exports language models, and classifiers of the bert family (bert "
                + "with cls pooling through the pooler) only");
    }

    /** An exported classifier: config.json's text and the tensors of model.safetensors, Hugging Face-named. */
    record HfClassifier(String configJson, Map<String, Safetensors.Tensor> tensors) {
    }

    /**
     * What a Hugging Face config.json says in workbench terms.
     *
     * @param endOfTextId {@code eos_token_id}, or -1 when the file has none
     */
    record HfArchitecture(Architecture architecture, int endOfTextId) {
    }
}
