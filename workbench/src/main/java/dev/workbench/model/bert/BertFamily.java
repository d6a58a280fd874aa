package dev.workbench.model.bert;

import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.model.Architecture;
import dev.workbench.model.Init;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.ModelFamily;
import dev.workbench.model.Trunk;
import dev.workbench.model.hf.ShardedSafetensors;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The BERT-style encoder family ({@code "bert"}): learned absolute positions, token types where present,
 * post-LayerNorm layers with bidirectional attention, GELU, an optional pooler ({@link BertEncoder},
 * {@link BertConfig}); imports Hugging Face {@code model_type} {@code bert}, {@code roberta} and {@code distilbert}
 * ({@link HfBertConfig}, {@link BertWeights}). An encoder is fine-tuned as a classifier only: it has no
 * language-model head, and pools by CLS (the default, as transformers' {@code BertForSequenceClassification}) or MEAN.
 */
public final class BertFamily implements ModelFamily {
    /** Stateless: the one value {@code ModelFamilies} lists. */
    public static final BertFamily INSTANCE = new BertFamily();
    public static final String NAME = "bert";
    /** transformers' {@code initializer_range} of every published BERT, RoBERTa and DistilBERT. */
    private static final double STD = 0.02;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BertFamily() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** An encoder of BERT's own design with the recipe's sizes (presets are GPTs; this serves tests and tools). */
    @Override
    public BertConfig architecture(BaseModel base, int vocabSize) {
        return BertConfig.bert(vocabSize, base.contextLength(), base.layers(), base.heads(), base.embeddingDim(),
                base.dropout());
    }

    @Override
    public BertConfig readArchitecture(JsonNode model) throws JsonProcessingException {
        return JSON.treeToValue(model, BertConfig.class);
    }

    /** Refused: an encoder predicts no tokens (the plan refuses a language_model task on one before this). */
    @Override
    public LanguageModel languageModel(Architecture architecture) {
        throw WorkbenchException.invalid("a " + config(architecture).variant().lower() + " encoder has no "
                + "language-model head: it cannot generate, score text or be fine-tuned as a language_model; use it "
                + "as a classifier's base");
    }

    @Override
    public Trunk trunk(Architecture architecture) {
        return new BertEncoder(config(architecture));
    }

    /**
     * BERT's scheme (transformers' {@code _init_weights}): weights, embeddings and a classifier head's weight
     * Normal(0, 0.02); biases 0; LayerNorm weights 1.
     */
    @Override
    public BiFunction<String, Parameter, Initializer> initializers(Architecture architecture, long seed) {
        config(architecture);
        return (name, parameter) -> switch (parameter.getType()) {
            case GAMMA -> Init.constant(1f);
            case BIAS, BETA -> Init.constant(0f);
            case WEIGHT -> Init.normal(seed, name, STD);
            default -> throw new IllegalStateException("no initial value for " + name + " of type "
                    + parameter.getType());
        };
    }

    @Override
    public boolean hasLanguageModel() {
        return false;
    }

    /** CLS first: what users of BERT fine-tuning expect; MEAN as sentence-embedding models pool. */
    @Override
    public List<Finetune.Pooling> poolings() {
        return List.of(Finetune.Pooling.CLS, Finetune.Pooling.MEAN);
    }

    @Override
    public Set<String> hfModelTypes() {
        return Set.of("bert", "roberta", "distilbert");
    }

    @Override
    public String hfDescription() {
        return "BERT-family encoders (model_type \"bert\", \"roberta\", \"distilbert\": bert-base-uncased, "
                + "roberta-base, distilbert-base-uncased and fine-tunes) for classification";
    }

    /** config.json, plus the weights' header: whether they hold a pooler is not in config.json. */
    @Override
    public HfArchitecture readHfConfig(JsonNode config, Path file) {
        Path folder = file.toAbsolutePath().getParent();
        return HfBertConfig.parse(config, file, BertWeights.hasPooler(ShardedSafetensors.storedNames(folder)));
    }

    @Override
    public String hfConfigJson(Architecture architecture, int endOfTextId) {
        return HfBertConfig.toJson(config(architecture));
    }

    @Override
    public boolean isHfBuffer(String hfName) {
        return BertWeights.isSkipped(hfName);
    }

    @Override
    public Map<String, Safetensors.Tensor> fromHf(Map<String, Safetensors.Tensor> stored, Architecture architecture,
                                                  String source) {
        return BertWeights.toWorkbench(stored, config(architecture), source);
    }

    @Override
    public Map<String, Safetensors.Tensor> toHf(Map<String, Safetensors.Tensor> named, Architecture architecture) {
        return BertWeights.toHf(named, config(architecture));
    }

    /**
     * Only BERT with CLS pooling through its pretrained pooler is exported: that is exactly transformers'
     * {@code BertForSequenceClassification} (pooler dense + tanh on the first token, dropout, a Linear). Everything
     * else is refused, saying why: transformers' RoBERTa and DistilBERT heads have layers the workbench's head has not,
     * and no transformers class pools by mean or reads the first token without a pooler.
     */
    @Override
    public HfClassifier toHfClassifier(Architecture architecture, Finetune.Pooling pooling, List<String> labels,
                                       Map<String, Safetensors.Tensor> named) {
        BertConfig config = config(architecture);
        String supported = "; export supports bert classifiers with cls pooling through the pretrained pooler "
                + "(BertForSequenceClassification)";
        switch (config.variant()) {
            case ROBERTA -> throw WorkbenchException.invalid("cannot export a roberta classifier: transformers' "
                    + "RobertaForSequenceClassification has a dense + tanh head the workbench classifier does not "
                    + "have" + supported);
            case DISTILBERT -> throw WorkbenchException.invalid("cannot export a distilbert classifier: transformers' "
                    + "DistilBertForSequenceClassification has a pre_classifier dense + ReLU the workbench classifier "
                    + "does not have" + supported);
            default -> {
            }
        }
        if (pooling != Finetune.Pooling.CLS) {
            throw WorkbenchException.invalid("cannot export a bert classifier with " + pooling.name().toLowerCase()
                    + " pooling: BertForSequenceClassification pools the first token through the pooler"
                    + supported);
        }
        if (!config.pooler()) {
            throw WorkbenchException.invalid("cannot export this bert classifier: it pools the raw first token (its "
                    + "base had no pooler weights), while BertForSequenceClassification always applies the pooler's "
                    + "dense + tanh" + supported);
        }
        return new HfClassifier(HfBertConfig.classifierJson(config, labels),
                BertWeights.toHfClassifier(named, config));
    }

    /** {@code architecture} as this family's own config (it always is: an architecture names its family). */
    static BertConfig config(Architecture architecture) {
        if (architecture instanceof BertConfig config) {
            return config;
        }
        throw new IllegalArgumentException("not a " + NAME + " architecture: " + architecture);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
