package dev.workbench.model.llama;

import dev.workbench.model.io.Safetensors;
import dev.workbench.model.io.TensorSource;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Names of weights between Hugging Face Llama-style models and the workbench's {@link LlamaModel}. A renaming only:
 * transformers' {@code nn.Linear} stores (out, in) as DJL's Linear does, so no tensor is transposed, split or copied,
 * and loading can read one tensor at a time.
 *
 * <pre>
 * HF ("model." prefix optional)                    workbench ("transformer." + ...)
 * model.embed_tokens.weight                         token_embedding.weight
 * model.layers.N.input_layernorm.weight             layers.N.attention_norm.weight
 * model.layers.N.self_attn.{q,k,v,o}_proj.*         layers.N.attention.{q,k,v,o}.*   (weight, bias where present)
 * model.layers.N.self_attn.{q,k}_norm.weight        layers.N.attention.{q,k}_norm.weight   (Qwen3)
 * model.layers.N.post_attention_layernorm.weight    layers.N.mlp_norm.weight
 * model.layers.N.mlp.{gate,up,down}_proj.*          layers.N.mlp.{gate,up,down}.*
 * model.norm.weight                                 final_norm.weight
 * lm_head.weight                                    lm_head.weight (untied); skipped when tied, as transformers
 *                                                   ties it to the embedding after loading
 * </pre>
 *
 * Older files carry {@code model.layers.N.self_attn.rotary_emb.inv_freq}, a buffer computed from the config: skipped.
 */
final class LlamaWeights {
    private static final String HF = "model.";
    private static final String WB = "transformer.";

    private LlamaWeights() {
    }

    static boolean isBuffer(String hfName) {
        return hfName.endsWith("rotary_emb.inv_freq");
    }

    /** The module of projection {@code role} in layer {@code layer}: {@code model.layers.0.self_attn.q_proj}. */
    static String hfModule(int layer, String role) {
        String place = switch (role) {
            case "q", "k", "v", "o" -> "self_attn.";
            case "gate", "up", "down" -> "mlp.";
            default -> throw new IllegalArgumentException("a Llama layer has no projection '" + role + "'");
        };
        return HF + "layers." + layer + "." + place + role + "_proj";
    }

    /** Workbench name -> Hugging Face name (with the "model." prefix), for every parameter of a model of config. */
    static Map<String, String> hfNames(LlamaConfig config) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put(WB + LlamaTrunk.TOKEN_EMBEDDING, HF + "embed_tokens.weight");
        for (int i = 0; i < config.layers(); i++) {
            String wb = WB + LlamaTrunk.LAYERS + i + ".";
            String hf = HF + "layers." + i + ".";
            names.put(wb + "attention_norm.weight", hf + "input_layernorm.weight");
            for (String role : List.of("q", "k", "v", "o")) {
                names.put(wb + "attention." + role + ".weight", hf + "self_attn." + role + "_proj.weight");
                boolean bias = role.equals("o") ? config.outputBias() : config.qkvBias();
                if (bias) {
                    names.put(wb + "attention." + role + ".bias", hf + "self_attn." + role + "_proj.bias");
                }
            }
            if (config.qkNorm()) {
                names.put(wb + "attention.q_norm.weight", hf + "self_attn.q_norm.weight");
                names.put(wb + "attention.k_norm.weight", hf + "self_attn.k_norm.weight");
            }
            names.put(wb + "mlp_norm.weight", hf + "post_attention_layernorm.weight");
            for (String role : List.of("gate", "up", "down")) {
                names.put(wb + "mlp." + role + ".weight", hf + "mlp." + role + "_proj.weight");
                if (config.mlpBias()) {
                    names.put(wb + "mlp." + role + ".bias", hf + "mlp." + role + "_proj.bias");
                }
            }
        }
        names.put(WB + LlamaTrunk.FINAL_NORM + ".weight", HF + "norm.weight");
        if (!config.tiedEmbeddings()) {
            names.put(LlamaModel.OUTPUT, "lm_head.weight");
        }
        return names;
    }

    /**
     * The stored tensors under workbench names, nothing read yet. Stored names may lack the {@code model.} prefix (a
     * bare {@code LlamaModel} save). Every parameter must be there and nothing else may be (listed in the error).
     */
    static TensorSource toWorkbench(TensorSource stored, LlamaConfig config, String source) {
        Map<String, String> bare = new LinkedHashMap<>(); // stored name without prefix -> stored name
        for (String name : stored.names()) {
            String key = name.startsWith(HF) ? name.substring(HF.length()) : name;
            if (bare.put(key, name) != null) {
                throw WorkbenchException.invalid(source + ": tensor '" + key + "' is stored both with and without "
                        + "the model. prefix");
            }
        }
        Map<String, String> originals = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        TreeSet<String> unused = new TreeSet<>(bare.keySet());
        hfNames(config).forEach((workbench, hf) -> {
            String key = hf.startsWith(HF) ? hf.substring(HF.length()) : hf;
            String storedName = bare.get(key);
            if (storedName == null) {
                missing.add(hf);
            } else {
                originals.put(workbench, storedName);
                unused.remove(key);
            }
        });
        if (config.tiedEmbeddings()) {
            unused.remove("lm_head.weight"); // tied: transformers ignores a stored copy and uses the embedding
        }
        if (!missing.isEmpty() || !unused.isEmpty()) {
            throw WorkbenchException.invalid(source + ": weights do not match config.json (" + config.modelType()
                    + ", " + config.layers() + " layers" + (config.tiedEmbeddings() ? ", tied embeddings" : "")
                    + "): " + missing.size() + " missing " + firstFew(missing) + ", " + unused.size()
                    + " unexpected " + firstFew(new ArrayList<>(unused)));
        }
        return TensorSource.renamed(stored, originals);
    }

    /** The shape of every Hugging Face tensor of a model of {@code config}, by name, in {@link #hfNames} order. */
    static Map<String, long[]> hfShapes(LlamaConfig config) {
        long d = config.embeddingDim();
        long q = config.queryDim();
        long kv = config.keyValueDim();
        long i = config.intermediateSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String name : hfNames(config).values()) {
            String local = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            boolean bias = name.endsWith(".bias");
            long[] shape = switch (local.replace(".bias", ".weight")) {
                case "embed_tokens.weight" -> new long[] {config.vocabSize(), d};
                case "input_layernorm.weight", "post_attention_layernorm.weight", "norm.weight" -> new long[] {d};
                case "q_proj.weight" -> bias ? new long[] {q} : new long[] {q, d};
                case "k_proj.weight", "v_proj.weight" -> bias ? new long[] {kv} : new long[] {kv, d};
                case "o_proj.weight" -> bias ? new long[] {d} : new long[] {d, q};
                case "q_norm.weight", "k_norm.weight" -> new long[] {config.headDim()};
                case "gate_proj.weight", "up_proj.weight" -> bias ? new long[] {i} : new long[] {i, d};
                case "down_proj.weight" -> bias ? new long[] {d} : new long[] {d, i};
                default -> name.equals("lm_head.weight") ? new long[] {config.vocabSize(), d} : null;
            };
            if (shape == null) {
                throw new IllegalStateException("no shape for " + name);
            }
            shapes.put(name, shape);
        }
        return shapes;
    }

    /** Hugging Face-named tensors (with the {@code model.} prefix) of a plain model's workbench-named tensors. */
    static Map<String, Safetensors.Tensor> toHf(Map<String, Safetensors.Tensor> named, LlamaConfig config) {
        Map<String, Safetensors.Tensor> hf = new LinkedHashMap<>();
        hfNames(config).forEach((workbench, hfName) -> {
            Safetensors.Tensor tensor = named.get(workbench);
            if (tensor == null) {
                throw new IllegalArgumentException("model has no parameter " + workbench);
            }
            hf.put(hfName, tensor);
        });
        return hf;
    }

    private static List<String> firstFew(List<String> names) {
        return names.size() <= 5 ? names : names.subList(0, 5);
    }
}
