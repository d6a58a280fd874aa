package dev.workbench.synth;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BayesianGaussianMixtureTest {

    /**
     * 600 draws from N(-5, 1) and 400 from N(5, 1.5). With scikit-learn's budget (100 iterations) the
     * Dirichlet-process prior prunes most of the ten components but may keep a small extra one inside a cluster (as
     * scikit-learn does), so the test checks the two modes, not the component count: every kept component sits in one
     * of the two clusters, both clusters are found, and each cluster's weight and weighted mean match the truth.
     * Tolerances: 4 standard errors (mean: 4 sigma / sqrt(n_cluster); weight: 4 sqrt(0.6 * 0.4 / 1000) = 0.062).
     */
    @Test
    void recoversTwoModesOfABimodalSample() {
        Random random = new Random(3);
        double[] x = new double[1000];
        for (int i = 0; i < 1000; i++) {
            x[i] = i < 600 ? -5 + random.nextGaussian() : 5 + 1.5 * random.nextGaussian();
        }
        BayesianGaussianMixture.Mixture mixture = BayesianGaussianMixture.fit(x);
        int[] valid = mixture.validComponents();
        assertTrue(valid.length >= 2 && valid.length <= 4, "kept " + Arrays.toString(mixture.weights()));
        double[] weight = new double[2];
        double[] weightedMean = new double[2];
        for (int k : valid) {
            double mean = mixture.means()[k];
            assertTrue(Math.abs(mean + 5) < 3 || Math.abs(mean - 5) < 4.5, "component mean " + mean);
            int cluster = mean < 0 ? 0 : 1;
            weight[cluster] += mixture.weights()[k];
            weightedMean[cluster] += mixture.weights()[k] * mean;
        }
        assertTrue(weight[0] > 0 && weight[1] > 0, "both modes found");
        assertEquals(-5, weightedMean[0] / weight[0], 4 * 1 / Math.sqrt(600) + 0.01);
        assertEquals(5, weightedMean[1] / weight[1], 4 * 1.5 / Math.sqrt(400) + 0.01);
        assertEquals(0.6, weight[0], 0.062);
        assertEquals(0.4, weight[1], 0.062);
        double[] posterior = mixture.posterior(-5);
        int best = 0;
        for (int k = 1; k < posterior.length; k++) {
            best = posterior[k] > posterior[best] ? k : best;
        }
        assertTrue(mixture.means()[best] < 0, "x = -5 belongs to the low mode");
    }

    @Test
    void constantColumnKeepsOneMode() {
        double[] x = new double[50];
        Arrays.fill(x, 3.0);
        BayesianGaussianMixture.Mixture mixture = BayesianGaussianMixture.fit(x);
        assertTrue(mixture.validComponents().length >= 1);
        for (int k : mixture.validComponents()) {
            assertEquals(3.0, mixture.means()[k], 1e-9);
        }
    }

    /** Reference values: python3 -c "import scipy.special as s; print(s.digamma([0.1, 1, 2.5, 10]))" (scipy 1.x). */
    @Test
    void digammaMatchesKnownValues() {
        assertEquals(-10.423754940411076, BayesianGaussianMixture.digamma(0.1), 1e-10);
        assertEquals(-0.5772156649015329, BayesianGaussianMixture.digamma(1), 1e-10);
        assertEquals(0.7031566406452432, BayesianGaussianMixture.digamma(2.5), 1e-10);
        assertEquals(2.251752589066721, BayesianGaussianMixture.digamma(10), 1e-10);
    }
}
