package dev.workbench.synth;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
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

    /**
     * The shipped quickstart table's bmi column (the non-missing cells) against scikit-learn 1.2.1 started from the same
     * k-means responsibilities: {@code awk -F, 'NR>1 && $3!="" {print $3}' datasets/quickstart/table.csv |
     * python3 scripts/bgm_reference.py}. Both run the 100 iterations (the bound still moves by more than 1e-3) and
     * keep the same five components.
     */
    @Test
    void matchesScikitLearnOnAShippedColumn() throws Exception {
        Path root = Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
        double[] bmi = Files.readAllLines(root.resolve("datasets/quickstart/table.csv")).stream().skip(1)
                .map(line -> line.split(",", -1)[2]).filter(cell -> !cell.isEmpty())
                .mapToDouble(Double::parseDouble).toArray();
        BayesianGaussianMixture.Mixture mixture = BayesianGaussianMixture.fit(bmi);
        double[] expectedWeights = {0.4863389442875485, 0.19253064408857887, 0.19234559416891353,
            0.10118381263837577, 0.0275990259775562};
        double[] expectedMeans = {26.29447855366934, 29.296781720190328, 30.320542910313826, 31.318559305292123,
            32.37459675071434};
        int[] kept = mixture.validComponents();
        assertEquals(100, mixture.iterations());
        assertEquals(expectedMeans.length, kept.length, Arrays.toString(mixture.weights()));
        Integer[] byMean = Arrays.stream(kept).boxed().sorted(Comparator.comparingDouble(k -> mixture.means()[k]))
                .toArray(Integer[]::new);
        for (int i = 0; i < kept.length; i++) {
            assertEquals(expectedMeans[i], mixture.means()[byMean[i]], 1e-4, "mean " + i);
        }
        double[] weights = Arrays.stream(byMean).mapToDouble(k -> mixture.weights()[k]).toArray();
        double[] sortedExpected = expectedWeights.clone();
        for (int i = 0; i < kept.length; i++) {
            assertEquals(sortedExpected[i], weights[i], 1e-5, "weight " + i);
        }
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

}
