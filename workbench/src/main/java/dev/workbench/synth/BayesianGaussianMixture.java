package dev.workbench.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

import java.util.Arrays;

/**
 * A one-dimensional variational Gaussian mixture with a Dirichlet-process (stick-breaking) weight prior: the model
 * behind CTGAN's mode-specific normalisation (RDT ClusterBasedNormalizer = scikit-learn
 * {@code BayesianGaussianMixture(n_components=10, weight_concentration_prior_type='dirichlet_process',
 * weight_concentration_prior=0.001)}), with components whose expected weight is at most 0.005 pruned.
 *
 * <p>Hand-written because no Java library has it: Tribuo's clustering offers k-means and (4.3) a maximum-likelihood
 * GMM without a weight prior, Smile/Commons Math have EM mixtures without a Dirichlet-process prior, and DJL has no
 * mixtures at all. Without the prior, surplus components keep weight and the number of modes is not learnt.
 *
 * <p>Follows scikit-learn's updates for n_features = 1: priors mean = sample mean, mean precision 1, degrees of
 * freedom 1, covariance = sample variance (ddof 1), reg_covar 1e-6; responsibilities initialised from k-means. One
 * documented difference: k-means starts from the sample quantiles (deterministic, no seed needed). Convergence is
 * scikit-learn's: the variational lower bound changes by less than 1e-3, or 100 iterations. Started from the same
 * responsibilities, the two agree to 1e-5 ({@code scripts/bgm_reference.py}, BayesianGaussianMixtureTest).
 */
public final class BayesianGaussianMixture {
    public static final int MAX_COMPONENTS = 10;
    public static final double WEIGHT_THRESHOLD = 0.005;
    public static final double WEIGHT_CONCENTRATION_PRIOR = 1e-3;
    private static final double REG_COVAR = 1e-6;
    private static final double MEAN_PRECISION_PRIOR = 1.0;
    private static final double DEGREES_OF_FREEDOM_PRIOR = 1.0;
    private static final double EPS = 2.220446049250313e-16;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private BayesianGaussianMixture() {
    }

    /**
     * The fitted variational parameters of every component (pruned ones included: the posterior needs them) and
     * which components are kept.
     */
    public record Mixture(
            @JsonProperty("concentration_a") double[] concentrationA,
            @JsonProperty("concentration_b") double[] concentrationB,
            @JsonProperty("means") double[] means,
            @JsonProperty("mean_precisions") double[] meanPrecisions,
            @JsonProperty("degrees_of_freedom") double[] degreesOfFreedom,
            @JsonProperty("covariances") double[] covariances,
            @JsonProperty("weights") double[] weights,
            @JsonProperty("valid") boolean[] valid,
            @JsonProperty("iterations") int iterations) {

        public int components() {
            return means.length;
        }

        /** Indices of the kept components, ascending. */
        public int[] validComponents() {
            int[] out = new int[components()];
            int n = 0;
            for (int k = 0; k < components(); k++) {
                if (valid[k]) {
                    out[n++] = k;
                }
            }
            return Arrays.copyOf(out, n);
        }

        public double std(int k) {
            return Math.sqrt(covariances[k]);
        }

        /** Posterior component probabilities of {@code x} over all components (scikit-learn predict_proba). */
        public double[] posterior(double x) {
            return posterior(x, offsets());
        }

        /** Per-component log weight plus the x-independent part of the expected log density. */
        double[] offsets() {
            double[] logWeights = logWeights(concentrationA, concentrationB);
            double[] out = new double[components()];
            for (int k = 0; k < out.length; k++) {
                out[k] = logWeights[k] + logProbabilityOffset(covariances[k], meanPrecisions[k], degreesOfFreedom[k]);
            }
            return out;
        }

        /** {@link #posterior(double)} with {@link #offsets()} computed once by the caller (for whole columns). */
        double[] posterior(double x, double[] offsets) {
            double[] out = new double[components()];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < out.length; k++) {
                double y = x - means[k];
                out[k] = offsets[k] - 0.5 * y * y / covariances[k];
                max = Math.max(max, out[k]);
            }
            double sum = 0;
            for (int k = 0; k < out.length; k++) {
                out[k] = Math.exp(out[k] - max);
                sum += out[k];
            }
            for (int k = 0; k < out.length; k++) {
                out[k] /= sum;
            }
            return out;
        }
    }

    /** Fits with the CTGAN settings: min(n, 10) components, prior 0.001, threshold 0.005. */
    public static Mixture fit(double[] x) {
        return fit(x, Math.min(MAX_COMPONENTS, x.length), WEIGHT_CONCENTRATION_PRIOR, 100, 1e-3);
    }

    public static Mixture fit(double[] x, int components, double weightConcentrationPrior, int maxIterations,
                              double tolerance) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("cannot fit a mixture to no values");
        }
        int k = Math.max(1, Math.min(components, n));
        double meanPrior = 0;
        for (double v : x) {
            meanPrior += v;
        }
        meanPrior /= n;
        double covariancePrior = 0;
        for (double v : x) {
            covariancePrior += (v - meanPrior) * (v - meanPrior);
        }
        covariancePrior = n > 1 ? covariancePrior / (n - 1) : 0;

        double[][] resp = kMeansResponsibilities(x, k);
        Params params = mStep(x, resp, k, weightConcentrationPrior, meanPrior, covariancePrior);
        double previous = Double.NEGATIVE_INFINITY;
        int iteration = 0;
        for (iteration = 1; iteration <= maxIterations; iteration++) {
            eStep(x, params, resp);
            params = mStep(x, resp, k, weightConcentrationPrior, meanPrior, covariancePrior);
            // scikit-learn's test: the change of the variational lower bound. The data log-likelihood is no substitute:
            // it stops changing while surplus components are still being emptied, leaving 9 modes where the bound,
            // still rising, goes on to keep 2-5 (measured on the quickstart table's columns).
            double bound = lowerBound(resp, params);
            if (Math.abs(bound - previous) < tolerance) {
                break;
            }
            previous = bound;
        }
        double[] weights = new double[k];
        double remaining = 1;
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double total = params.a[c] + params.b[c];
            weights[c] = params.a[c] / total * remaining;
            remaining *= params.b[c] / total;
            sum += weights[c];
        }
        boolean[] valid = new boolean[k];
        boolean any = false;
        for (int c = 0; c < k; c++) {
            weights[c] /= sum;
            valid[c] = weights[c] > WEIGHT_THRESHOLD;
            any |= valid[c];
        }
        if (!any) {
            valid[argMax(weights)] = true;
        }
        return new Mixture(params.a, params.b, params.means, params.beta, params.nu, params.cov, weights, valid,
                Math.min(iteration, maxIterations));
    }

    private record Params(double[] a, double[] b, double[] means, double[] beta, double[] nu, double[] cov) {
    }

    private static Params mStep(double[] x, double[][] resp, int k, double gamma, double meanPrior,
                                double covariancePrior) {
        double[] nk = new double[k];
        double[] xk = new double[k];
        double[] sk = new double[k];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < k; c++) {
                nk[c] += resp[i][c];
                xk[c] += resp[i][c] * x[i];
            }
        }
        for (int c = 0; c < k; c++) {
            nk[c] += 10 * EPS;
            xk[c] /= nk[c];
        }
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < k; c++) {
                double d = x[i] - xk[c];
                sk[c] += resp[i][c] * d * d;
            }
        }
        double[] a = new double[k];
        double[] b = new double[k];
        double[] means = new double[k];
        double[] beta = new double[k];
        double[] nu = new double[k];
        double[] cov = new double[k];
        double tail = 0;
        for (int c = k - 1; c >= 0; c--) {
            a[c] = 1 + nk[c];
            b[c] = gamma + tail;
            tail += nk[c];
        }
        for (int c = 0; c < k; c++) {
            sk[c] = sk[c] / nk[c] + REG_COVAR;
            beta[c] = MEAN_PRECISION_PRIOR + nk[c];
            means[c] = (MEAN_PRECISION_PRIOR * meanPrior + nk[c] * xk[c]) / beta[c];
            nu[c] = DEGREES_OF_FREEDOM_PRIOR + nk[c];
            double diff = xk[c] - meanPrior;
            cov[c] = (covariancePrior + nk[c] * sk[c] + nk[c] * MEAN_PRECISION_PRIOR / beta[c] * diff * diff) / nu[c];
        }
        return new Params(a, b, means, beta, nu, cov);
    }

    /** Fills {@code resp} with normalised responsibilities. */
    private static void eStep(double[] x, Params p, double[][] resp) {
        int k = p.means.length;
        double[] offsets = logWeights(p.a, p.b);
        for (int c = 0; c < k; c++) {
            offsets[c] += logProbabilityOffset(p.cov[c], p.beta[c], p.nu[c]);
        }
        for (int i = 0; i < x.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double y = x[i] - p.means[c];
                resp[i][c] = offsets[c] - 0.5 * y * y / p.cov[c];
                max = Math.max(max, resp[i][c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                resp[i][c] = Math.exp(resp[i][c] - max);
                sum += resp[i][c];
            }
            for (int c = 0; c < k; c++) {
                resp[i][c] /= sum;
            }
        }
    }

    /**
     * scikit-learn's {@code BayesianGaussianMixture._compute_lower_bound} for one feature, up to its constant: the
     * entropy of the responsibilities minus the Wishart and stick-breaking normalisers and half the summed log mean
     * precisions.
     */
    private static double lowerBound(double[][] resp, Params p) {
        double entropy = 0;
        for (double[] row : resp) {
            for (double r : row) {
                if (r > 0) {
                    entropy -= r * Math.log(r);
                }
            }
        }
        double logWishart = 0;
        double logNormWeight = 0;
        double logMeanPrecision = 0;
        for (int c = 0; c < p.means.length; c++) {
            double nu = p.nu[c];
            double logDetPrecisionCholesky = -0.5 * Math.log(p.cov[c]) - 0.5 * Math.log(nu);
            logWishart -= nu * logDetPrecisionCholesky + nu * 0.5 * Math.log(2) + Gamma.logGamma(0.5 * nu);
            logNormWeight -= Beta.logBeta(p.a[c], p.b[c]);
            logMeanPrecision += Math.log(p.beta[c]);
        }
        return entropy - logWishart - logNormWeight - 0.5 * logMeanPrecision;
    }

    /** Expected log stick-breaking weights (scikit-learn {@code _estimate_log_weights}, dirichlet_process). */
    static double[] logWeights(double[] a, double[] b) {
        double[] out = new double[a.length];
        double cumulative = 0;
        for (int c = 0; c < a.length; c++) {
            double digammaSum = Gamma.digamma(a[c] + b[c]);
            out[c] = Gamma.digamma(a[c]) - digammaSum + cumulative;
            cumulative += Gamma.digamma(b[c]) - digammaSum;
        }
        return out;
    }

    /**
     * Expected log density under the Gaussian-Wishart posterior (scikit-learn {@code _estimate_log_prob}, d = 1) is
     * this offset minus {@code (x - mean)^2 / (2 covariance)}; the offset is computed once per component and pass.
     */
    static double logProbabilityOffset(double covariance, double meanPrecision, double degreesOfFreedom) {
        double logGauss = -0.5 * LOG_2PI - 0.5 * Math.log(covariance) - 0.5 * Math.log(degreesOfFreedom);
        double logLambda = Math.log(2) + Gamma.digamma(0.5 * degreesOfFreedom);
        return logGauss + 0.5 * (logLambda - 1 / meanPrecision);
    }

    private static double[][] kMeansResponsibilities(double[] x, int k) {
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double[] centers = new double[k];
        for (int c = 0; c < k; c++) {
            centers[c] = sorted[(int) Math.min(sorted.length - 1, Math.floor((c + 0.5) * sorted.length / k))];
        }
        int[] labels = new int[x.length];
        for (int iteration = 0; iteration < 50; iteration++) {
            boolean changed = false;
            double[] sums = new double[k];
            int[] counts = new int[k];
            for (int i = 0; i < x.length; i++) {
                int best = 0;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double d = Math.abs(x[i] - centers[c]);
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = c;
                    }
                }
                changed |= labels[i] != best || iteration == 0;
                labels[i] = best;
                sums[best] += x[i];
                counts[best]++;
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    centers[c] = sums[c] / counts[c];
                }
            }
            if (!changed) {
                break;
            }
        }
        double[][] resp = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            resp[i][labels[i]] = 1;
        }
        return resp;
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
