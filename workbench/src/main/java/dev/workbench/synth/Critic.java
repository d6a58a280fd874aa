package dev.workbench.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.workbench.optim.ModelParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CTGAN's PacGAN critic: {@code pac} rows are concatenated into one input; each hidden layer is
 * Linear → LeakyReLU(0.2) → Dropout(p); the output is Linear(→1).
 *
 * <p>The WGAN-GP penalty needs the gradient of the critic output with respect to its input, differentiated again with
 * respect to the weights. DJL's public {@code GradientCollector.backward} never builds the graph of a gradient
 * ({@code createGraph=false}; the overload that can is private in {@code PtGradientCollector}), so this class
 * computes the input gradient <em>analytically inside the graph</em>:
 * {@code dD/dx = W1^T (m1 ⊙ s1 ⊙ W2^T (m2 ⊙ s2 ⊙ w_out))} per packed row, where {@code s} is the LeakyReLU slope at
 * the pre-activation (1 or 0.2, a constant almost everywhere) and {@code m} the dropout mask (already scaled by
 * 1/(1-p)) used in the same forward pass. It is built from ordinary differentiable ops, so a first-order backward of
 * the penalty gives exactly what PyTorch's double backward gives. {@code CriticGradientPenaltyTest} checks it against
 * finite differences.
 */
final class Critic {
    static final double LEAKY_SLOPE = 0.2;

    private final ModelParameters parameters;
    private final DataType dataType;
    private final List<Integer> hidden;
    private final int inputWidth;
    private final double dropout;

    /** Forward values needed by the analytic input gradient. */
    record Pass(NDArray output, List<NDArray> masks, List<NDArray> slopes) {
    }

    Critic(NDManager manager, DataType dataType, int inputWidth, List<Integer> hidden, double dropout, Random random) {
        this.dataType = dataType;
        this.hidden = List.copyOf(hidden);
        this.inputWidth = inputWidth;
        this.dropout = dropout;
        NetworkBuilder network = new NetworkBuilder(manager, dataType);
        int in = inputWidth;
        for (int i = 0; i < hidden.size(); i++) {
            network.linear(layer(i), in, hidden.get(i), random);
            in = hidden.get(i);
        }
        this.parameters = network.linear(layer(hidden.size()), in, 1, random).build();
    }

    /** PyTorch names: Linear layers sit at seq.0, seq.3, ... (LeakyReLU and Dropout in between). */
    private static String layer(int i) {
        return "critic.seq." + (3 * i);
    }

    ModelParameters parameters() {
        return parameters;
    }

    int inputWidth() {
        return inputWidth;
    }

    /** Fresh dropout masks (values 0 or 1/(1-p)) for {@code rows} packed rows, drawn from {@code random}. */
    List<NDArray> dropoutMasks(NDManager manager, int rows, Random random) {
        List<NDArray> masks = new ArrayList<>();
        double keep = 1 - dropout;
        for (int width : hidden) {
            double[] values = new double[rows * width];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextDouble() < keep ? 1 / keep : 0;
            }
            masks.add(manager.create(values, new Shape(rows, width)).toType(dataType, false));
        }
        return masks;
    }

    /** Critic scores of packed rows (shape rows x 1). */
    Pass forward(NDArray packed, List<NDArray> masks) {
        NDArray h = packed;
        List<NDArray> slopes = new ArrayList<>();
        for (int i = 0; i < hidden.size(); i++) {
            NDArray z = Linear.linear(h, parameters.get(layer(i) + ".weight"), parameters.get(layer(i) + ".bias"))
                    .singletonOrThrow();
            NDArray slope = z.gt(0).toType(dataType, false).mul(1 - LEAKY_SLOPE).add(LEAKY_SLOPE);
            slopes.add(slope);
            h = z.mul(slope).mul(masks.get(i));
        }
        int last = hidden.size();
        NDArray out = Linear.linear(h, parameters.get(layer(last) + ".weight"), parameters.get(layer(last) + ".bias"))
                .singletonOrThrow();
        return new Pass(out, masks, slopes);
    }

    /** dD/dx for every packed row of a forward pass (rows x inputWidth), as a differentiable expression. */
    NDArray inputGradient(Pass pass) {
        int last = hidden.size();
        NDArray outWeight = parameters.get(layer(last) + ".weight");
        NDArray g = pass.masks().get(last - 1).mul(pass.slopes().get(last - 1)).mul(outWeight);
        for (int i = last - 1; i >= 1; i--) {
            g = g.matMul(parameters.get(layer(i) + ".weight")).mul(pass.masks().get(i - 1)).mul(pass.slopes().get(i - 1));
        }
        return g.matMul(parameters.get(layer(0) + ".weight"));
    }

    /**
     * WGAN-GP: {@code weight * mean((||dD/dx(x̂)||_2 - 1)^2)} with {@code x̂ = a·real + (1-a)·fake}, one {@code a} per
     * packed row (CTGAN draws it once per pack and repeats it over the pac rows).
     *
     * @param interpolation {@code a}, shape rows x 1
     */
    NDArray gradientPenalty(NDArray realPacked, NDArray fakePacked, NDArray interpolation, List<NDArray> masks,
                            double weight) {
        NDArray mixed = realPacked.mul(interpolation).add(fakePacked.mul(interpolation.neg().add(1)));
        NDArray gradient = inputGradient(forward(mixed, masks));
        NDArray norm = gradient.square().sum(new int[] {1}).sqrt();
        // scale before the mean: a 0-d float32 times a Java double becomes float64 in PyTorch's promotion rules
        // and as an array, not mul(Number): DJL frees that scalar before backward reads it (see model.Activations)
        return norm.sub(1).square().mul(norm.getManager().create((float) weight)).mean();
    }
}
