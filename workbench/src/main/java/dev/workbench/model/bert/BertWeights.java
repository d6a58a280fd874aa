package dev.workbench.model.bert;

import dev.workbench.model.io.Safetensors.Tensor;
import dev.workbench.recipe.WorkbenchException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renames weights between Hugging Face encoders and the workbench's {@link BertEncoder}. Both keep linear weights as
 * (out, in), so nothing is transposed.
 *
 * <pre>
 * BERT / RoBERTa (optional "bert." / "roberta." prefix)     workbench ("transformer." + ...)
 * embeddings.word_embeddings.weight                         token_embedding.weight
 * embeddings.position_embeddings.weight                     position_embedding.weight
 * embeddings.token_type_embeddings.weight                   token_type_embedding.weight
 * embeddings.LayerNorm.{weight,bias} (or gamma,beta)        embedding_norm.{weight,bias}
 * encoder.layer.N.attention.self.{query,key,value}.*        blocks.N.attention.{q,k,v}.*
 * encoder.layer.N.attention.output.dense.*                  blocks.N.attention.o.*
 * encoder.layer.N.attention.output.LayerNorm.*              blocks.N.attention_norm.*
 * encoder.layer.N.intermediate.dense.*                      blocks.N.mlp.up.*
 * encoder.layer.N.output.dense.*                            blocks.N.mlp.down.*
 * encoder.layer.N.output.LayerNorm.*                        blocks.N.mlp_norm.*
 * pooler.dense.*                                            pooler.*     (when stored)
 *
 * DistilBERT (optional "distilbert." prefix)
 * embeddings.{word,position}_embeddings.weight, embeddings.LayerNorm.*   as above (no token types)
 * transformer.layer.N.attention.{q_lin,k_lin,v_lin,out_lin}.*            blocks.N.attention.{q,k,v,o}.*
 * transformer.layer.N.sa_layer_norm.*                                    blocks.N.attention_norm.*
 * transformer.layer.N.ffn.{lin1,lin2}.*                                  blocks.N.mlp.{up,down}.*
 * transformer.layer.N.output_layer_norm.*                                blocks.N.mlp_norm.*
 * </pre>
 *
 * Not read ({@link #isSkipped}): the buffers {@code embeddings.position_ids} / {@code token_type_ids}, and the task
 * heads of transformers' task models (BERT's {@code cls.*}, RoBERTa's {@code lm_head.*}, DistilBERT's
 * {@code vocab_*} and {@code pre_classifier.*}, everyone's {@code classifier.*} and {@code qa_outputs.*}): the
 * workbench puts its own head on the encoder. Any other tensor is refused.
 */
final class BertWeights {
    private static final String WB = "transformer.";
    /** The workbench classifier's head ({@code ClassifierModel.HEAD}). */
    private static final String HEAD = "head.";
    private static final List<String> HEADS = List.of("cls.", "lm_head.", "classifier.", "qa_outputs.",
            "pre_classifier.", "vocab_transform.", "vocab_layer_norm.", "vocab_projector.");
    private static final List<String> BUFFERS = List.of("embeddings.position_ids", "embeddings.token_type_ids");
    private static final List<String> PREFIXES = List.of("bert.", "roberta.", "distilbert.");
    /** The stored pooler weight of a BERT or RoBERTa checkpoint, without the model prefix. */
    static final String POOLER = "pooler.dense.weight";

    private BertWeights() {
    }

    /** True for stored tensors that are not encoder weights: buffers and task heads (skipped, never read). */
    static boolean isSkipped(String hfName) {
        String name = unprefixed(hfName);
        return BUFFERS.contains(name) || HEADS.stream().anyMatch(name::startsWith);
    }

    /** Whether the stored names include BERT's pooler (with or without the model prefix). */
    static boolean hasPooler(Iterable<String> hfNames) {
        for (String name : hfNames) {
            if (unprefixed(name).equals(POOLER)) {
                return true;
            }
        }
        return false;
    }

    private static String unprefixed(String hfName) {
        for (String prefix : PREFIXES) {
            if (hfName.startsWith(prefix)) {
                return hfName.substring(prefix.length());
            }
        }
        return hfName;
    }

    /**
     * Workbench-named tensors from HF-named ones (buffers and task heads already left out by the reader).
     *
     * @throws WorkbenchException INVALID_INPUT for a missing, unexpected or wrongly shaped tensor
     */
    static Map<String, Tensor> toWorkbench(Map<String, Tensor> stored, BertConfig config, String source) {
        Map<String, Tensor> hf = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : stored.entrySet()) {
            if (isSkipped(entry.getKey())) {
                continue;
            }
            String name = unprefixed(entry.getKey()).replace("LayerNorm.gamma", "LayerNorm.weight")
                    .replace("LayerNorm.beta", "LayerNorm.bias"); // TensorFlow-era names, as transformers renames
            if (hf.put(name, entry.getValue()) != null) {
                throw WorkbenchException.invalid(source + ": tensor '" + name + "' is stored twice (with and without "
                        + "the model prefix, or as gamma/beta and weight/bias)");
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        names(config).forEach((workbench, shaped) -> {
            Tensor tensor = hf.remove(shaped.hfName());
            if (tensor == null) {
                throw WorkbenchException.invalid(source + ": no tensor '" + shaped.hfName() + "' (expected for the "
                        + "architecture in config.json)");
            }
            if (!Arrays.equals(tensor.shape(), shaped.shape())) {
                throw WorkbenchException.invalid(source + ": tensor '" + shaped.hfName() + "' has shape "
                        + Arrays.toString(tensor.shape()) + " but config.json implies "
                        + Arrays.toString(shaped.shape()));
            }
            out.put(WB + workbench, tensor);
        });
        if (!config.pooler()) {
            hf.remove("pooler.dense.weight");
            hf.remove("pooler.dense.bias");
        }
        if (!hf.isEmpty()) {
            throw WorkbenchException.invalid(source + ": " + hf.size() + " tensors a " + config.variant().lower()
                    + " encoder of " + config.layers() + " layers does not have: " + new TreeSet<>(hf.keySet())
                    .stream().limit(5).toList() + " (another architecture, or more layers than config.json says?)");
        }
        return out;
    }

    /** HF-named tensors (the encoder model's own names, no prefix) from a plain workbench trunk's tensors. */
    static Map<String, Tensor> toHf(Map<String, Tensor> workbench, BertConfig config) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        names(config).forEach((name, shaped) -> {
            Tensor tensor = workbench.get(WB + name);
            if (tensor == null) {
                throw new IllegalArgumentException("not a plain " + config.variant().lower() + " encoder's "
                        + "parameters (LoRA not merged?): no " + WB + name);
            }
            out.put(shaped.hfName(), tensor);
        });
        return out;
    }

    /**
     * {@code BertForSequenceClassification}'s tensors from a plain workbench BERT classifier's (trunk with pooler and
     * {@code head.*}): {@code bert.} + the encoder's names, {@code classifier.weight} / {@code classifier.bias}.
     */
    static Map<String, Tensor> toHfClassifier(Map<String, Tensor> workbench, BertConfig config) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        toHf(workbench, config).forEach((name, tensor) -> out.put("bert." + name, tensor));
        for (String part : List.of("weight", "bias")) {
            Tensor tensor = workbench.get(HEAD + part);
            if (tensor == null) {
                throw new IllegalArgumentException("not a classifier's parameters: no " + HEAD + part);
            }
            out.put("classifier." + part, tensor);
        }
        if (workbench.size() != out.size()) {
            throw new IllegalArgumentException("a classifier of " + workbench.size() + " tensors, not the "
                    + out.size() + " of a bert encoder and its head (LoRA not merged?)");
        }
        return out;
    }

    private record Shaped(String hfName, long[] shape) {
    }

    /** Workbench name (relative to the trunk) -> Hugging Face name and shape, in the trunk's parameter order. */
    private static Map<String, Shaped> names(BertConfig config) {
        boolean distil = config.variant() == BertConfig.Variant.DISTILBERT;
        long d = config.embeddingDim();
        long i = config.intermediateSize();
        Map<String, Shaped> names = new LinkedHashMap<>();
        names.put("token_embedding.weight", new Shaped("embeddings.word_embeddings.weight",
                new long[] {config.vocabSize(), d}));
        names.put("position_embedding.weight", new Shaped("embeddings.position_embeddings.weight",
                new long[] {config.maxPositions(), d}));
        if (config.typeVocabSize() > 0) {
            names.put("token_type_embedding.weight", new Shaped("embeddings.token_type_embeddings.weight",
                    new long[] {config.typeVocabSize(), d}));
        }
        vector(names, "embedding_norm", "embeddings.LayerNorm", d);
        for (int n = 0; n < config.layers(); n++) {
            String b = "blocks." + n + ".";
            String h = (distil ? "transformer.layer." : "encoder.layer.") + n + ".";
            List<String> attention = distil ? List.of("attention.q_lin", "attention.k_lin", "attention.v_lin",
                    "attention.out_lin") : List.of("attention.self.query", "attention.self.key",
                    "attention.self.value", "attention.output.dense");
            List<String> roles = List.of("q", "k", "v", "o");
            for (int r = 0; r < roles.size(); r++) {
                linear(names, b + "attention." + roles.get(r), h + attention.get(r), d, d);
            }
            vector(names, b + "attention_norm", h + (distil ? "sa_layer_norm" : "attention.output.LayerNorm"), d);
            linear(names, b + "mlp.up", h + (distil ? "ffn.lin1" : "intermediate.dense"), i, d);
            linear(names, b + "mlp.down", h + (distil ? "ffn.lin2" : "output.dense"), d, i);
            vector(names, b + "mlp_norm", h + (distil ? "output_layer_norm" : "output.LayerNorm"), d);
        }
        if (config.pooler()) {
            linear(names, "pooler", "pooler.dense", d, d);
        }
        return names;
    }

    private static void linear(Map<String, Shaped> names, String workbench, String hf, long out, long in) {
        names.put(workbench + ".weight", new Shaped(hf + ".weight", new long[] {out, in}));
        names.put(workbench + ".bias", new Shaped(hf + ".bias", new long[] {out}));
    }

    private static void vector(Map<String, Shaped> names, String workbench, String hf, long size) {
        names.put(workbench + ".weight", new Shaped(hf + ".weight", new long[] {size}));
        names.put(workbench + ".bias", new Shaped(hf + ".bias", new long[] {size}));
    }
}
