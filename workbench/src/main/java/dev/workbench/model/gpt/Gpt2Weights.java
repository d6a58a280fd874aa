package dev.workbench.model.gpt;

import dev.workbench.model.io.Safetensors.Tensor;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.WorkbenchException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renames and reshapes weights between Hugging Face GPT-2 and the workbench's {@link GptModel}.
 *
 * <pre>
 * HF (optional "transformer." prefix)   shape        workbench ("transformer." + ...)   shape
 * wte.weight                            (V, D)       token_embedding.weight             (V, D)
 * wpe.weight                            (P, D)       position_embedding.weight          (P, D)
 * h.N.ln_1.{weight,bias}                (D)          blocks.N.ln1.{weight,bias}         (D)
 * h.N.attn.c_attn.weight                (D, 3D)      blocks.N.attention.{q,k,v}.weight  (D, D) each, transposed
 * h.N.attn.c_attn.bias                  (3D)         blocks.N.attention.{q,k,v}.bias    (D) each
 * h.N.attn.c_proj.{weight,bias}         (D, D)       blocks.N.attention.o.*             transposed
 * h.N.ln_2.*                                         blocks.N.ln2.*
 * h.N.mlp.c_fc.{weight,bias}            (D, 4D)      blocks.N.mlp.up.*                  (4D, D) transposed
 * h.N.mlp.c_proj.{weight,bias}          (4D, D)      blocks.N.mlp.down.*                (D, 4D) transposed
 * ln_f.{weight,bias}                    (D)          final_norm.*                       (D)
 * lm_head.weight (if stored)            (V, D)       tied to token_embedding: must equal wte
 * </pre>
 *
 * GPT-2's Conv1D stores weights as (in, out) and computes {@code x W + b}; DJL's Linear stores (out, in) and computes
 * {@code x W^T + b}, hence the transposes. {@code h.N.attn.bias} and {@code h.N.attn.masked_bias} are causal-mask
 * buffers older files carry; they are not weights and are skipped.
 */
final class Gpt2Weights {
    private static final String WB = "transformer.";
    private static final String HF_PREFIX = "transformer.";
    static final String LM_HEAD = "lm_head.weight";

    private Gpt2Weights() {
    }

    /** True for stored tensors that are not parameters (GPT-2's causal mask buffers). */
    static boolean isBuffer(String hfName) {
        return hfName.endsWith(".attn.bias") || hfName.endsWith(".attn.masked_bias");
    }

    /**
     * Workbench-named tensors from HF-named ones.
     *
     * @throws WorkbenchException INVALID_INPUT for a missing, unexpected or wrongly shaped tensor, or an output head
     *                            that is not tied to wte
     */
    static Map<String, Tensor> toWorkbench(Map<String, Tensor> stored, GptConfig config, String source) {
        Map<String, Tensor> hf = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : stored.entrySet()) {
            String name = entry.getKey().startsWith(HF_PREFIX) ? entry.getKey().substring(HF_PREFIX.length())
                    : entry.getKey();
            if (isBuffer(name)) {
                continue;
            }
            if (hf.put(name, entry.getValue()) != null) {
                throw WorkbenchException.invalid(source + ": tensor '" + name + "' is stored twice (with and without "
                        + "the transformer. prefix)");
            }
        }
        int d = config.embeddingDim();
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor wte = take(hf, "wte.weight", source, config.vocabSize(), d);
        out.put(WB + "token_embedding.weight", wte);
        out.put(WB + "position_embedding.weight", take(hf, "wpe.weight", source, config.contextLength(), d));
        for (int n = 0; n < config.layers(); n++) {
            String h = "h." + n + ".";
            String b = WB + "blocks." + n + ".";
            out.put(b + "ln1.weight", take(hf, h + "ln_1.weight", source, d));
            out.put(b + "ln1.bias", take(hf, h + "ln_1.bias", source, d));
            Tensor qkv = take(hf, h + "attn.c_attn.weight", source, d, 3L * d);
            Tensor qkvBias = take(hf, h + "attn.c_attn.bias", source, 3L * d);
            List<String> parts = List.of("q", "k", "v");
            for (int p = 0; p < 3; p++) {
                out.put(b + "attention." + parts.get(p) + ".weight", transposedColumns(qkv, p * d, d));
                out.put(b + "attention." + parts.get(p) + ".bias",
                        f32(new long[] {d}, Arrays.copyOfRange(qkvBias.values(), p * d, (p + 1) * d)));
            }
            out.put(b + "attention.o.weight", transposed(take(hf, h + "attn.c_proj.weight", source, d, d)));
            out.put(b + "attention.o.bias", take(hf, h + "attn.c_proj.bias", source, d));
            out.put(b + "ln2.weight", take(hf, h + "ln_2.weight", source, d));
            out.put(b + "ln2.bias", take(hf, h + "ln_2.bias", source, d));
            out.put(b + "mlp.up.weight", transposed(take(hf, h + "mlp.c_fc.weight", source, d, 4L * d)));
            out.put(b + "mlp.up.bias", take(hf, h + "mlp.c_fc.bias", source, 4L * d));
            out.put(b + "mlp.down.weight", transposed(take(hf, h + "mlp.c_proj.weight", source, 4L * d, d)));
            out.put(b + "mlp.down.bias", take(hf, h + "mlp.c_proj.bias", source, d));
        }
        out.put(WB + "final_norm.weight", take(hf, "ln_f.weight", source, d));
        out.put(WB + "final_norm.bias", take(hf, "ln_f.bias", source, d));
        Tensor head = hf.remove(LM_HEAD);
        if (head != null && !Arrays.equals(head.values(), wte.values())) {
            throw WorkbenchException.invalid(source + ": " + LM_HEAD + " differs from wte.weight; an untied output "
                    + "head is not supported (the workbench ties the output projection to the token embedding)");
        }
        if (!hf.isEmpty()) {
            throw WorkbenchException.invalid(source + ": " + hf.size() + " tensors a GPT-2 language model of "
                    + config.layers() + " layers does not have: " + new TreeSet<>(hf.keySet()).stream().limit(5)
                    .toList() + " (another architecture, a task head, or more layers than config.json says?)");
        }
        return out;
    }

    /** HF-named tensors ("transformer." prefix, no lm_head: it is tied) from a plain workbench language model. */
    static Map<String, Tensor> toHf(Map<String, Tensor> workbench, GptConfig config) {
        int d = config.embeddingDim();
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(HF_PREFIX + "wte.weight", workbench.get(WB + "token_embedding.weight"));
        out.put(HF_PREFIX + "wpe.weight", workbench.get(WB + "position_embedding.weight"));
        for (int n = 0; n < config.layers(); n++) {
            String h = HF_PREFIX + "h." + n + ".";
            String b = WB + "blocks." + n + ".";
            out.put(h + "ln_1.weight", workbench.get(b + "ln1.weight"));
            out.put(h + "ln_1.bias", workbench.get(b + "ln1.bias"));
            float[] qkv = new float[3 * d * d];
            float[] qkvBias = new float[3 * d];
            List<String> parts = List.of("q", "k", "v");
            for (int p = 0; p < 3; p++) {
                float[] w = workbench.get(b + "attention." + parts.get(p) + ".weight").values(); // (out=d, in=d)
                for (int o = 0; o < d; o++) {
                    for (int i = 0; i < d; i++) {
                        qkv[i * 3 * d + p * d + o] = w[o * d + i];
                    }
                }
                System.arraycopy(workbench.get(b + "attention." + parts.get(p) + ".bias").values(), 0, qkvBias,
                        p * d, d);
            }
            out.put(h + "attn.c_attn.weight", f32(new long[] {d, 3L * d}, qkv));
            out.put(h + "attn.c_attn.bias", f32(new long[] {3L * d}, qkvBias));
            out.put(h + "attn.c_proj.weight", transposed(workbench.get(b + "attention.o.weight")));
            out.put(h + "attn.c_proj.bias", workbench.get(b + "attention.o.bias"));
            out.put(h + "ln_2.weight", workbench.get(b + "ln2.weight"));
            out.put(h + "ln_2.bias", workbench.get(b + "ln2.bias"));
            out.put(h + "mlp.c_fc.weight", transposed(workbench.get(b + "mlp.up.weight")));
            out.put(h + "mlp.c_fc.bias", workbench.get(b + "mlp.up.bias"));
            out.put(h + "mlp.c_proj.weight", transposed(workbench.get(b + "mlp.down.weight")));
            out.put(h + "mlp.c_proj.bias", workbench.get(b + "mlp.down.bias"));
        }
        out.put(HF_PREFIX + "ln_f.weight", workbench.get(WB + "final_norm.weight"));
        out.put(HF_PREFIX + "ln_f.bias", workbench.get(WB + "final_norm.bias"));
        if (out.containsValue(null) || out.size() != workbench.size() - config.layers() * 4) {
            throw new IllegalArgumentException("not a plain GPT language model's parameters (LoRA not merged?): "
                    + new TreeSet<>(workbench.keySet()).stream().limit(5).toList());
        }
        return out;
    }

    private static Tensor take(Map<String, Tensor> hf, String name, String source, long... shape) {
        Tensor tensor = hf.remove(name);
        if (tensor == null) {
            throw WorkbenchException.invalid(source + ": no tensor '" + name + "' (expected for the "
                    + "architecture in config.json)");
        }
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw WorkbenchException.invalid(source + ": tensor '" + name + "' has shape "
                    + Arrays.toString(tensor.shape()) + " but config.json implies " + Arrays.toString(shape));
        }
        return tensor;
    }

    /** The (rows, cols) matrix transposed to (cols, rows). */
    static Tensor transposed(Tensor matrix) {
        int rows = Math.toIntExact(matrix.shape()[0]);
        int cols = Math.toIntExact(matrix.shape()[1]);
        float[] in = matrix.values();
        float[] out = new float[in.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = in[r * cols + c];
            }
        }
        return f32(new long[] {cols, rows}, out);
    }

    /** Columns [from, from + width) of a (rows, cols) matrix, transposed to (width, rows). */
    private static Tensor transposedColumns(Tensor matrix, int from, int width) {
        int rows = Math.toIntExact(matrix.shape()[0]);
        int cols = Math.toIntExact(matrix.shape()[1]);
        float[] in = matrix.values();
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                out[c * rows + r] = in[r * cols + from + c];
            }
        }
        return f32(new long[] {width, rows}, out);
    }

    private static Tensor f32(long[] shape, float[] values) {
        return new Tensor(Safetensors.DType.F32, shape, values);
    }
}
