package dev.workbench.model.fused;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.workbench.model.AttentionBias;
import dev.workbench.model.TunableModel;
import dev.workbench.model.bert.BertFixtures;
import dev.workbench.recipe.Finetune;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.llama.LlamaFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fused scaled_dot_product_attention of the workbench's libtorch extension gives the outputs and gradients of the
 * unfused ops (within 1e-5) for causal, padded and packed-document masks, at the op and at the model level (GPT, and a
 * grouped-query Llama-family fixture). Runs only where the extension is loaded: own-libtorch mode with
 * {@code workbench native build} (scripts/native/check-own-libtorch.sh); skipped with the bundled natives.
 */
class FusedAttentionTest {
    private static final float TOLERANCE = 1e-5f;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @BeforeEach
    void needsTheExtension() {
        assumeTrue(FusedOps.present(), () -> "no libtorch extension: " + FusedOps.absence().orElse(""));
    }

    @AfterAll
    static void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void causalAttentionMatches() {
        compareOps("causal (is_causal)", m -> AttentionBias.causal(m, 7, null));
    }

    @Test
    void paddedAttentionMatches() {
        // row 0 full, row 1 with three padding keys at the end
        compareOps("causal + padding", m -> AttentionBias.causal(m, 7, m.create(new float[][] {
            {1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0, 0}})));
    }

    @Test
    void packedDocumentAttentionMatches() {
        // two documents per row (boundaries at 3 and 5): causal within a document, nothing across
        int[][] documents = {{0, 0, 0, 1, 1, 1, 1}, {0, 0, 0, 0, 0, 1, 1}};
        compareOps("packed documents", m -> {
            float[] bias = new float[2 * 7 * 7];
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 7; i++) {
                    for (int j = 0; j < 7; j++) {
                        boolean visible = j <= i && documents[b][i] == documents[b][j];
                        bias[(b * 7 + i) * 7 + j] = visible ? 0f : AttentionBias.MASKED;
                    }
                }
            }
            return m.create(bias, new Shape(2, 1, 7, 7));
        });
    }

    /** Fused vs softmax(q k^T / sqrt(d) + bias) v on random (2, 3, 7, 8) inputs: outputs and dq, dk, dv. */
    private static void compareOps(String mask, Function<NDManager, NDArray> biasOf) {
        Random random = new Random(5);
        float[][] inputs = new float[3][2 * 3 * 7 * 8];
        for (float[] input : inputs) {
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextGaussian();
            }
        }
        float[][] fused = attention(inputs, biasOf, true);
        float[][] unfused = attention(inputs, biasOf, false);
        float worst = 0;
        for (int i = 0; i < fused.length; i++) {
            float diff = maxAbsDiff(fused[i], unfused[i]);
            assertTrue(diff <= TOLERANCE, new String[] {"output", "dq", "dk", "dv"}[i] + " differs by " + diff);
            worst = Math.max(worst, diff);
        }
        // quoted by scripts/native/check-own-libtorch.sh
        System.out.println("fused vs unfused attention, " + mask + " mask, max abs diff over output and gradients: " + worst);
    }

    /** The output and the gradients of q, k, v for a fixed weighting of the output. */
    private static float[][] attention(float[][] inputs, Function<NDManager, NDArray> biasOf, boolean fused) {
        try (NDManager m = manager.newSubManager()) {
            Shape shape = new Shape(2, 3, 7, 8);
            NDArray q = m.create(inputs[0], shape);
            NDArray k = m.create(inputs[1], shape);
            NDArray v = m.create(inputs[2], shape);
            for (NDArray x : new NDArray[] {q, k, v}) {
                x.setRequiresGradient(true);
            }
            NDArray bias = biasOf.apply(m);
            NDArray weights = m.arange(2 * 3 * 7 * 8).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .mod(13f).sub(6f).reshape(shape);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out;
                if (fused) {
                    out = FusedOps.scaledDotProductAttention(q, k, v, bias, 0f);
                } else {
                    NDArray scale = m.create((float) (1 / Math.sqrt(8)));
                    out = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(bias).softmax(-1).matMul(v);
                }
                collector.backward(out.mul(weights).sum());
                return new float[][] {out.toFloatArray(), q.getGradient().toFloatArray(),
                    k.getGradient().toFloatArray(), v.getGradient().toFloatArray()};
            }
        }
    }

    @Test
    void gptLogitsAndGradientsMatch() {
        compareModel("GPT", () -> GptModel.create(new GptConfig(300, 12, 2, 2, 16, 0.0), 8, manager));
    }

    @Test
    void groupedQueryLlamaLogitsAndGradientsMatch() {
        compareModel("Llama-family (qwen3 fixture, GQA)", () -> HfImporter.loadModel(LlamaFixtures.folder("qwen3"), manager));
    }

    @Test
    void bertEncoderLogitsAndGradientsMatch() {
        // bidirectional: only the key-padding bias, passed to the kernel as its additive mask
        compareModel("BERT classifier (bert fixture, CLS pooling)", () -> HfImporter.loadClassifierBase(
                BertFixtures.folder("bert"), 2, Finetune.Pooling.CLS, 1, manager));
    }

    /** The same weights run fused and unfused on a padded batch: logits and every parameter's gradient agree. */
    private static void compareModel(String family, java.util.function.Supplier<? extends TunableModel> create) {
        // a fresh model per pass (same seed or same files, same weights): DJL accumulates gradients across passes
        Map<String, float[]> fused = logitsAndGradients(create.get(), true);
        Map<String, float[]> unfused = logitsAndGradients(create.get(), false);
        assertTrue(fused.size() > 3, "parameters: " + fused.keySet());
        float worst = 0;
        for (Map.Entry<String, float[]> e : fused.entrySet()) {
            float diff = maxAbsDiff(e.getValue(), unfused.get(e.getKey()));
            assertTrue(diff <= TOLERANCE, e.getKey() + " differs by " + diff);
            worst = Math.max(worst, diff);
        }
        System.out.println("fused vs unfused " + family + " on a padded batch, max abs diff over logits and " + (fused.size() - 1)
                + " parameter gradients: " + worst);
    }

    private static Map<String, float[]> logitsAndGradients(TunableModel model, boolean fused) {
        Map<String, float[]> out = new LinkedHashMap<>();
        if (!fused) {
            System.setProperty(FusedOps.SWITCH, "off");
        }
        try (NDManager m = manager.newSubManager()) {
            assertTrue(FusedOps.enabled() == fused);
            Map<String, Parameter> parameters = model.namedParameters();
            parameters.values().forEach(p -> p.getArray().setRequiresGradient(true));
            NDArray ids = m.create(new long[][] {{1, 5, 9, 2, 7, 3, 4, 8}, {6, 2, 8, 1, 0, 0, 0, 0}});
            NDArray mask = m.create(new long[][] {{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0, 0, 0}});
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // training=false: no dropout (BERT's fixture has some), autograd records all the same
                NDArray logits = model.forward(new ParameterStore(m, false), new NDList(ids, mask), false).head();
                NDArray weights = m.arange(logits.size()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                        .mod(7f).sub(3f).mul(0.01f).reshape(logits.getShape());
                collector.backward(logits.mul(weights).sum());
                out.put("logits", logits.toFloatArray());
            }
            parameters.forEach((name, p) -> out.put(name, p.getArray().getGradient().toFloatArray()));
        } finally {
            System.clearProperty(FusedOps.SWITCH);
        }
        return out;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertTrue(a.length == b.length, "lengths " + a.length + " vs " + b.length);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
