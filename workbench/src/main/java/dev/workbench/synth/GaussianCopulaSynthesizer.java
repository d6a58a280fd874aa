package dev.workbench.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.data.Table;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Gaussian copula with empirical marginals (SDV GaussianCopulaSynthesizer with its marginal family replaced by the
 * empirical distribution). Numbers: normal scores {@code z = Phi^-1(mid-rank / n)}; categories: RDT's UniformEncoder
 * (each category owns a sub-interval of [0,1] as wide as its frequency; a value becomes a uniform draw inside it; a
 * missing cell is its own category). The correlation is the Pearson correlation of the normal scores (missing numbers
 * score 0). Sampling: {@code z ~ N(0, R)}, {@code u = Phi(z)}, then the empirical quantile function (linear between
 * up to {@value #QUANTILE_KNOTS} knots) or the category whose interval holds u; missing numbers at the column rate.
 */
public final class GaussianCopulaSynthesizer implements Synthesizer {
    public static final String NAME = "gaussian-copula";
    static final int QUANTILE_KNOTS = 1001;
    private static final double EPS = 1.1920929e-7;
    /** No random generator attached: only the CDF and its inverse are used. */
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    /** @param quantiles numbers: values at probabilities 0, 1/(K-1), ..., 1; categories: null
     *  @param intervals categories (missing last): upper ends of the cumulative intervals; numbers: null */
    public record Marginal(@JsonProperty("quantiles") double[] quantiles,
                           @JsonProperty("missing_rate") double missingRate,
                           @JsonProperty("intervals") double[] intervals) {
    }

    private final BaselineConfig config;
    private TableProfile profile;
    private List<Marginal> marginals;
    private double[][] correlation;
    private int lastForcedRows;

    public GaussianCopulaSynthesizer(BaselineConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The fitted correlation of normal scores (columns in profile order). */
    public double[][] correlation() {
        return correlation;
    }

    public int lastForcedRows() {
        return lastForcedRows;
    }

    /** Fitted in closed form: no steps. */
    @Override
    public Optional<StepBudget> budget(int trainRows) {
        return Optional.empty();
    }

    @Override
    public FitReport fit(Table train, TableProfile tableProfile, long seed, FitOptions options) {
        this.profile = tableProfile;
        this.marginals = new ArrayList<>();
        Random random = new Random(seed);
        int rows = train.rows().size();
        int columns = tableProfile.columns().size();
        double[][] scores = new double[columns][rows];
        for (int c = 0; c < columns; c++) {
            ColumnProfile column = tableProfile.columns().get(c);
            int index = train.columnIndex(column.name());
            if (column.type().numeric()) {
                double[] values = new double[rows];
                int present = 0;
                for (int r = 0; r < rows; r++) {
                    values[r] = TableProfiler.numericValue(column, train.rows().get(r).get(index));
                    if (!Double.isNaN(values[r])) {
                        present++;
                    }
                }
                double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
                if (sorted.length == 0) {
                    sorted = new double[] {0};
                }
                for (int r = 0; r < rows; r++) {
                    if (Double.isNaN(values[r])) {
                        scores[c][r] = 0;
                        continue;
                    }
                    int below = lowerBound(sorted, values[r]);
                    int upTo = upperBound(sorted, values[r]);
                    double u = (below + (upTo - below) / 2.0) / sorted.length;
                    scores[c][r] = STANDARD_NORMAL.inverseCumulativeProbability(clamp(u));
                }
                double[] knots = new double[Math.min(QUANTILE_KNOTS, Math.max(2, sorted.length))];
                for (int k = 0; k < knots.length; k++) {
                    knots[k] = quantile(sorted, (double) k / (knots.length - 1));
                }
                marginals.add(new Marginal(knots, rows == 0 ? 0 : 1 - (double) present / rows, null));
            } else {
                int categories = column.categories().size() + 1;
                int[] category = new int[rows];
                double[] counts = new double[categories];
                for (int r = 0; r < rows; r++) {
                    String cell = train.rows().get(r).get(index);
                    int k = TableProfiler.isMissing(cell) ? categories - 1 : column.categories().indexOf(cell);
                    category[r] = k < 0 ? categories - 1 : k;
                    counts[category[r]]++;
                }
                double[] upper = new double[categories];
                double cumulative = 0;
                for (int k = 0; k < categories; k++) {
                    cumulative += counts[k] / Math.max(1, rows);
                    upper[k] = cumulative;
                }
                upper[categories - 1] = 1;
                for (int r = 0; r < rows; r++) {
                    int k = category[r];
                    double lower = k == 0 ? 0 : upper[k - 1];
                    double u = lower + random.nextDouble() * (upper[k] - lower);
                    scores[c][r] = STANDARD_NORMAL.inverseCumulativeProbability(clamp(u));
                }
                marginals.add(new Marginal(null, 0, upper));
            }
        }
        correlation = new double[columns][columns];
        for (int a = 0; a < columns; a++) {
            correlation[a][a] = 1;
            for (int b = a + 1; b < columns; b++) {
                double r = pearson(scores[a], scores[b]);
                correlation[a][b] = Double.isNaN(r) ? 0 : r;
                correlation[b][a] = correlation[a][b];
            }
        }
        return FitReport.closedForm();
    }

    @Override
    public Table sample(int n, Map<String, String> conditions, long seed) {
        Map<Integer, String> resolved = ConditionalSampling.resolve(profile, n, conditions);
        Random random = new Random(seed);
        double[][] cholesky = cholesky(correlation);
        int batch = Math.max(n, 256);
        ConditionalSampling.Result result = ConditionalSampling.collect(profile, n, resolved,
                () -> draw(batch, cholesky, random), resolved.isEmpty() ? Integer.MAX_VALUE : 50);
        lastForcedRows = result.forcedRows();
        return result.table();
    }

    private Table draw(int n, double[][] cholesky, Random random) {
        int columns = marginals.size();
        List<List<String>> rows = new ArrayList<>(n);
        double[] e = new double[columns];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < columns; c++) {
                e[c] = random.nextGaussian();
            }
            List<String> row = new ArrayList<>(columns);
            for (int c = 0; c < columns; c++) {
                double z = 0;
                for (int k = 0; k <= c; k++) {
                    z += cholesky[c][k] * e[k];
                }
                double u = STANDARD_NORMAL.cumulativeProbability(z);
                ColumnProfile column = profile.columns().get(c);
                Marginal marginal = marginals.get(c);
                if (column.type().numeric()) {
                    boolean missing = random.nextDouble() < marginal.missingRate();
                    row.add(missing ? column.missingToken()
                            : TableProfiler.format(column, quantile(marginal.quantiles(), u),
                                    config.clipToRange()));
                } else {
                    int k = 0;
                    while (k < marginal.intervals().length - 1 && u > marginal.intervals()[k]) {
                        k++;
                    }
                    row.add(k >= column.categories().size() ? column.missingToken() : column.categories().get(k));
                }
            }
            rows.add(row);
        }
        return new Table(profile.columnNames(), rows);
    }

    private static double clamp(double u) {
        return Math.max(EPS, Math.min(1 - EPS, u));
    }

    /** Linear interpolation in sorted values at probability p (numpy's default 'linear' quantile). */
    static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(sorted.length - 1, low + 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** Lower Cholesky factor; adds a growing ridge when the matrix is not positive definite (as Copulas does). */
    static double[][] cholesky(double[][] matrix) {
        int n = matrix.length;
        for (double ridge = 0; ; ridge = ridge == 0 ? 1e-10 : ridge * 10) {
            double[][] l = new double[n][n];
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                for (int j = 0; j <= i; j++) {
                    double sum = matrix[i][j] + (i == j ? ridge : 0);
                    for (int k = 0; k < j; k++) {
                        sum -= l[i][k] * l[j][k];
                    }
                    if (i == j) {
                        if (sum <= 0) {
                            ok = false;
                            break;
                        }
                        l[i][i] = Math.sqrt(sum);
                    } else {
                        l[i][j] = sum / l[j][j];
                    }
                }
            }
            if (ok) {
                if (ridge > 0) {
                    // renormalise to unit variances so marginals stay standard normal
                    for (int i = 0; i < n; i++) {
                        double norm = 0;
                        for (int k = 0; k <= i; k++) {
                            norm += l[i][k] * l[i][k];
                        }
                        norm = Math.sqrt(norm);
                        for (int k = 0; k <= i; k++) {
                            l[i][k] /= norm;
                        }
                    }
                }
                return l;
            }
            if (ridge > 1) {
                throw new IllegalStateException("correlation matrix cannot be factorised");
            }
        }
    }

    @Override
    public void save(Path folder) throws IOException {
        ObjectNode json = config.checkpointJson(NAME, profile);
        json.set("marginals", GeneratorCheckpoint.JSON.valueToTree(marginals));
        json.set("correlation", GeneratorCheckpoint.JSON.valueToTree(correlation));
        GeneratorCheckpoint.write(folder, json, Map.of());
    }

    static GaussianCopulaSynthesizer fromCheckpoint(JsonNode json) throws IOException {
        GaussianCopulaSynthesizer synthesizer = new GaussianCopulaSynthesizer(BaselineConfig.fromCheckpoint(json));
        synthesizer.profile = GeneratorCheckpoint.profile(json);
        synthesizer.marginals = GeneratorCheckpoint.JSON.convertValue(json.get("marginals"),
                new TypeReference<List<Marginal>>() { });
        synthesizer.correlation = GeneratorCheckpoint.JSON.convertValue(json.get("correlation"), double[][].class);
        return synthesizer;
    }
}
