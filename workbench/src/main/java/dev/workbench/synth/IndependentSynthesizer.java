package dev.workbench.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.data.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Independent marginals (as SDGym's IndependentSynthesizer): every column is sampled on its own, numbers from the
 * column's empirical quantile function (linear between up to 1001 knots, so values are new but the distribution,
 * spikes included, is kept; SDGym's 5-component GMM and our Dirichlet-process mixture both smear a spike such as
 * Adult's capital-loss = 0 over its prior variance), categories from their frequencies; missing cells at the column's
 * missing rate. It keeps every marginal and breaks every dependence: the floor a real synthesizer must beat on pair
 * trends.
 */
public final class IndependentSynthesizer implements Synthesizer {
    public static final String NAME = "independent";

    /** One column's marginal: a mixture for numbers, probabilities (missing last, when present) for categories. */
    public record Marginal(@JsonProperty("quantiles") double[] quantiles,
                           @JsonProperty("missing_rate") double missingRate,
                           @JsonProperty("probabilities") double[] probabilities) {
    }

    private final BaselineConfig config;
    private TableProfile profile;
    private List<Marginal> marginals;

    public IndependentSynthesizer(BaselineConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
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
        int rows = train.rows().size();
        for (ColumnProfile column : tableProfile.columns()) {
            int index = train.columnIndex(column.name());
            if (column.type().numeric()) {
                double[] values = train.rows().stream()
                        .mapToDouble(row -> TableProfiler.numericValue(column, row.get(index)))
                        .filter(v -> !Double.isNaN(v)).toArray();
                double missingRate = rows == 0 ? 0 : 1 - (double) values.length / rows;
                double[] sorted = values.length == 0 ? new double[] {0} : values.clone();
                java.util.Arrays.sort(sorted);
                double[] knots = new double[Math.min(GaussianCopulaSynthesizer.QUANTILE_KNOTS,
                        Math.max(2, sorted.length))];
                for (int k = 0; k < knots.length; k++) {
                    knots[k] = GaussianCopulaSynthesizer.quantile(sorted, (double) k / (knots.length - 1));
                }
                marginals.add(new Marginal(knots, missingRate, null));
            } else {
                double[] probabilities = new double[column.categories().size() + 1];
                for (List<String> row : train.rows()) {
                    String cell = row.get(index);
                    int category = TableProfiler.isMissing(cell) ? column.categories().size()
                            : column.categories().indexOf(cell);
                    probabilities[category < 0 ? column.categories().size() : category]++;
                }
                for (int i = 0; i < probabilities.length; i++) {
                    probabilities[i] /= Math.max(1, rows);
                }
                marginals.add(new Marginal(null, 0, probabilities));
            }
        }
        return FitReport.closedForm();
    }

    @Override
    public Table sample(int n, Map<String, String> conditions, long seed) {
        Map<Integer, String> resolved = ConditionalSampling.resolve(profile, n, conditions);
        Random random = new Random(seed);
        List<List<String>> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            List<String> row = new ArrayList<>(marginals.size());
            for (int c = 0; c < marginals.size(); c++) {
                ColumnProfile column = profile.columns().get(c);
                Marginal marginal = marginals.get(c);
                if (column.type().numeric()) {
                    if (random.nextDouble() < marginal.missingRate()) {
                        row.add(column.missingToken());
                    } else {
                        row.add(TableProfiler.format(column,
                                GaussianCopulaSynthesizer.quantile(marginal.quantiles(), random.nextDouble()),
                                config.clipToRange()));
                    }
                } else {
                    int category = draw(marginal.probabilities(), random);
                    row.add(category >= column.categories().size() ? column.missingToken()
                            : column.categories().get(category));
                }
            }
            // Columns are independent, so conditioning is exactly overwriting the conditioned cells.
            resolved.forEach(row::set);
            rows.add(row);
        }
        return new Table(profile.columnNames(), rows);
    }

    static int draw(double[] probabilities, Random random) {
        double u = random.nextDouble();
        for (int i = 0; i < probabilities.length; i++) {
            u -= probabilities[i];
            if (u <= 0) {
                return i;
            }
        }
        for (int i = probabilities.length - 1; i >= 0; i--) {
            if (probabilities[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    @Override
    public void save(Path folder) throws IOException {
        ObjectNode json = config.checkpointJson(NAME, profile);
        json.set("marginals", GeneratorCheckpoint.JSON.valueToTree(marginals));
        GeneratorCheckpoint.write(folder, json, Map.of());
    }

    static IndependentSynthesizer fromCheckpoint(JsonNode json) throws IOException {
        IndependentSynthesizer synthesizer = new IndependentSynthesizer(BaselineConfig.fromCheckpoint(json));
        synthesizer.profile = GeneratorCheckpoint.profile(json);
        synthesizer.marginals = GeneratorCheckpoint.JSON.convertValue(json.get("marginals"),
                new TypeReference<List<Marginal>>() { });
        return synthesizer;
    }
}
