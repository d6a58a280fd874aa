package dev.workbench.synth;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The critic's analytic input gradient (used for WGAN-GP because DJL cannot build the graph of a gradient) against
 * central finite differences, in float64: first dD/dx itself, then d(penalty)/dW through the analytic expression,
 * which is what a PyTorch double backward would give.
 */
class CriticGradientPenaltyTest {
    private static final double H = 1e-6;

    @Test
    void inputGradientMatchesFiniteDifferences() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(7);
            Critic critic = new Critic(manager, DataType.FLOAT64, 6, List.of(5, 4), 0.5, random);
            double[] x = randomValues(3 * 6, random);
            List<NDArray> masks = critic.dropoutMasks(manager, 3, random);
            double[] analytic = critic.inputGradient(critic.forward(array(manager, x, 3, 6), masks)).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                double[] plus = x.clone();
                double[] minus = x.clone();
                plus[i] += H;
                minus[i] -= H;
                int row = i / 6;
                double dPlus = critic.forward(array(manager, plus, 3, 6), masks).output().toDoubleArray()[row];
                double dMinus = critic.forward(array(manager, minus, 3, 6), masks).output().toDoubleArray()[row];
                assertEquals((dPlus - dMinus) / (2 * H), analytic[i], 1e-7, "dD/dx at " + i);
            }
        }
    }

    @Test
    void penaltyWeightGradientMatchesFiniteDifferences() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(11);
            Critic critic = new Critic(manager, DataType.FLOAT64, 6, List.of(5, 4), 0.5, random);
            NDArray real = array(manager, randomValues(18, random), 3, 6);
            NDArray fake = array(manager, randomValues(18, random), 3, 6);
            NDArray alpha = array(manager, new double[] {0.2, 0.7, 0.5}, 3, 1);
            List<NDArray> masks = critic.dropoutMasks(manager, 3, random);
            critic.parameters().zeroGradients();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(critic.gradientPenalty(real, fake, alpha, masks, 10));
            }
            for (String name : List.of("critic.seq.0.weight", "critic.seq.3.weight", "critic.seq.6.weight",
                    "critic.seq.3.bias")) {
                NDArray weight = critic.parameters().get(name);
                // Hidden biases reach the penalty only through the LeakyReLU slopes (piecewise constant), so their
                // gradient is zero, as in PyTorch; DJL then returns a float32 zero array.
                double[] analytic = weight.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                double[] original = weight.toDoubleArray();
                for (int i = 0; i < original.length; i += 3) {
                    double[] values = original.clone();
                    values[i] = original[i] + H;
                    weight.set(values);
                    double plus = critic.gradientPenalty(real, fake, alpha, masks, 10).getDouble();
                    values[i] = original[i] - H;
                    weight.set(values);
                    double minus = critic.gradientPenalty(real, fake, alpha, masks, 10).getDouble();
                    weight.set(original);
                    double numeric = (plus - minus) / (2 * H);
                    assertEquals(numeric, analytic[i], 1e-6 * Math.max(1, Math.abs(numeric)), name + "[" + i + "]");
                }
            }
        }
    }

    private static double[] randomValues(int n, Random random) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    private static NDArray array(NDManager manager, double[] values, int rows, int columns) {
        return manager.create(values, new Shape(rows, columns));
    }
}
