package dev.workbench.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.workbench.optim.ModelParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CTGAN's conditional generator: input = noise ⊕ conditional vector; each residual layer computes
 * {@code out = ReLU(BatchNorm(Linear(h)))} and {@code h = out ⊕ h} (widths grow); a final Linear gives the raw
 * outputs; {@link #activate} applies tanh to alpha spans and Gumbel-softmax to one-hot spans.
 */
final class Generator {
    private static final double BN_EPS = 1e-5;
    private static final double BN_MOMENTUM = 0.1;

    private final ModelParameters parameters;
    private final List<Integer> dims;
    private final List<TableEncoder.Span> spans;
    private final int outputWidth;

    Generator(NDManager manager, DataType dataType, int inputWidth, List<Integer> dims, int outputWidth,
              List<TableEncoder.Span> spans, Random random) {
        this.dims = List.copyOf(dims);
        this.spans = List.copyOf(spans);
        this.outputWidth = outputWidth;
        NetworkBuilder network = new NetworkBuilder(manager, dataType);
        int in = inputWidth;
        for (int i = 0; i < dims.size(); i++) {
            network.linear("generator.seq." + i + ".fc", in, dims.get(i), random)
                    .batchNorm("generator.seq." + i + ".bn", dims.get(i));
            in += dims.get(i);
        }
        this.parameters = network.linear("generator.seq." + dims.size(), in, outputWidth, random).build();
    }

    ModelParameters parameters() {
        return parameters;
    }

    int outputWidth() {
        return outputWidth;
    }

    /**
     * Raw generator outputs (before activation). With {@code batchStatistics} BatchNorm normalises by the batch (and
     * updates the running statistics when {@code updateRunning}); otherwise it uses the running statistics.
     */
    NDArray forward(NDArray input, boolean batchStatistics, boolean updateRunning) {
        NDArray h = input;
        for (int i = 0; i < dims.size(); i++) {
            String prefix = "generator.seq." + i;
            NDArray z = Linear.linear(h, parameters.get(prefix + ".fc.weight"), parameters.get(prefix + ".fc.bias"))
                    .singletonOrThrow();
            NDArray runningMean = parameters.get(prefix + ".bn.running_mean");
            NDArray runningVar = parameters.get(prefix + ".bn.running_var");
            NDArray mean;
            NDArray variance;
            if (batchStatistics) {
                mean = z.mean(new int[] {0});
                variance = z.sub(mean).square().mean(new int[] {0});
                if (updateRunning) {
                    long n = z.getShape().get(0);
                    NDArray m = mean.stopGradient();
                    NDArray v = variance.stopGradient().mul(n / Math.max(1.0, n - 1.0));
                    runningMean.muli(1 - BN_MOMENTUM).addi(m.mul(BN_MOMENTUM));
                    runningVar.muli(1 - BN_MOMENTUM).addi(v.mul(BN_MOMENTUM));
                }
            } else {
                mean = runningMean;
                variance = runningVar;
            }
            NDArray normalised = z.sub(mean).div(variance.add(BN_EPS).sqrt());
            NDArray out = Activation.relu(normalised.mul(parameters.get(prefix + ".bn.weight"))
                    .add(parameters.get(prefix + ".bn.bias")));
            h = out.concat(h, 1);
        }
        String prefix = "generator.seq." + dims.size();
        return Linear.linear(h, parameters.get(prefix + ".weight"), parameters.get(prefix + ".bias"))
                .singletonOrThrow();
    }

    /**
     * tanh on alpha spans; Gumbel-softmax {@code softmax((logits + g) / tau)} with {@code g = -log(-log U)} on softmax
     * spans. {@code uniform} holds rows x outputWidth uniforms in (0,1) (drawn in Java so runs are seeded).
     */
    NDArray activate(NDArray raw, NDArray uniform, double tau) {
        NDArray gumbel = uniform.log().neg().log().neg();
        List<NDArray> parts = new ArrayList<>();
        for (TableEncoder.Span span : spans) {
            NDIndex slice = new NDIndex(":, {}:{}", span.start(), span.start() + span.width());
            NDArray logits = raw.get(slice);
            if (span.activation() == TableEncoder.Activation.TANH) {
                parts.add(logits.tanh());
            } else {
                // tau as an array, not div(Number): DJL frees that scalar before backward reads it (see model.Activations)
                parts.add(logits.add(gumbel.get(slice)).div(raw.getManager().create((float) tau)).softmax(1));
            }
        }
        return NDArrays.concat(new NDList(parts), 1);
    }

    /** Uniforms in (0,1), never exactly 0 or 1 (the double log would overflow). */
    static double[] openUniforms(int count, Random random) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble();
            values[i] = Math.min(1 - 1e-7, Math.max(1e-7, u));
        }
        return values;
    }
}
