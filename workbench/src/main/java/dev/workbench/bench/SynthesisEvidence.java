package dev.workbench.bench;

import dev.workbench.data.Table;
import dev.workbench.eval.SyntheticMetrics;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.synth.ColumnProfile;
import dev.workbench.synth.CtganConfig;
import dev.workbench.synth.Synthesizer;
import dev.workbench.synth.Synthesizers;
import dev.workbench.synth.SyntheticCsv;
import dev.workbench.synth.TableProfile;
import dev.workbench.synth.TableProfiler;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code workbench bench synth-evidence}: how well each synthesizer keeps pair-wise relationships at a training
 * budget (issue 4's evidence; BENCHMARKS.md, "Synthesis quality"). Every method is fitted (seed 11) on the whole table
 * and samples as many rows (seed 12); the scores compare the synthetic rows with the rows it was fitted on, and
 * {@code SynthesisEvidenceTest} asserts them at the budgets the documentation quotes.
 *
 * <p>Two measures of relationships:
 * <ul>
 *   <li>mean |rho_real - rho_syn| over every numeric pair (the correlation difference);</li>
 *   <li>association error: over the pairs that SDMetrics' current mode counts as related in the real table
 *       (|rho| &gt; 0.5 for two numbers, Cramér's V &gt; 0.3 otherwise, numbers in 10 equal-width bins), the mean
 *       |rho_real - rho_syn| or |V_real - V_syn|. Unlike ContingencySimilarity it does not charge a pair for its
 *       columns' marginal errors, which column shapes already count; the independent baseline has perfect marginals
 *       and no relationships, so this is where the two differ.</li>
 * </ul>
 */
public final class SynthesisEvidence {
    /** The fit and sample seeds of every figure in BENCHMARKS.md's "Synthesis quality". */
    public static final long FIT_SEED = 11;
    public static final long SAMPLE_SEED = 12;
    /** Adult is measured on a seeded 5,000-row sample of its training file. */
    public static final int ADULT_ROWS = 5000;
    private static final long ADULT_SEED = 7;

    /**
     * @param meanAbsCorrelationDiff mean |rho_real - rho_syn| over every numeric pair
     * @param associationError mean |rho| or |Cramér's V| difference over the related pairs
     * @param relatedPairs pairs counted as related in the real table
     * @param pairTrendsThresholded mean CorrelationSimilarity / ContingencySimilarity over the related pairs
     * @param columnShapes mean KS / TV complement over the columns
     * @param copies synthetic rows equal to a real row in every column
     * @param seconds fit + sample
     */
    public record Scores(double meanAbsCorrelationDiff, double associationError, int relatedPairs,
                         double pairTrendsThresholded, double columnShapes, long copies, double seconds) {
    }

    /**
     * @param table the real table; null: datasets/quickstart/table.csv of the checkout, or Adult with {@code adult}
     * @param adult the seeded 5,000-row sample of Adult's training file in the shared data folder
     * @param dump where each method's synthetic table (METHOD.csv) and generator folder (METHOD/) go; null: nowhere
     */
    public record Settings(Path table, boolean adult, List<String> methods, int steps, int batchSize, int width,
                           double learningRate, Path dump) {
    }

    private SynthesisEvidence() {
    }

    public static void run(Settings settings, PrintWriter out) throws IOException {
        Table real;
        String name;
        if (settings.adult()) {
            Path adult = BenchTables.adultTrain();
            if (!Files.isRegularFile(adult)) {
                throw WorkbenchException.environment("bench synth-evidence: no Adult table " + adult + " (set "
                        + Checkout.SHARED_DATA_VARIABLE + " to the shared data folder, or give --table)");
            }
            real = adultSample(adult);
            name = "Adult (" + ADULT_ROWS + "-row seeded sample)";
        } else {
            Path table = settings.table() != null ? settings.table()
                    : Checkout.root().resolve("datasets/quickstart/table.csv");
            real = SyntheticCsv.read(table);
            name = table.getFileName().toString();
        }
        CtganConfig config = CtganConfig.defaults().withBudget(1, settings.steps())
                .withNetworks(settings.batchSize(), 10, 128, List.of(settings.width(), settings.width()),
                        List.of(settings.width(), settings.width()))
                .withLearningRates(settings.learningRate(), settings.learningRate());
        out.printf(Locale.ROOT, "table: %s, %d rows; ctgan/tvae %d steps, batch %d; ctgan networks (%d, %d), Adam %g; "
                        + "fit seed %d, sample seed %d%n", name, real.rows().size(), settings.steps(),
                settings.batchSize(), settings.width(), settings.width(), settings.learningRate(), FIT_SEED,
                SAMPLE_SEED);
        out.printf(Locale.ROOT, "%n| method | mean abs(ρ diff) | assoc. error | related pairs | thresholded pair trends "
                + "| column shapes | copies | seconds |%n|---|---|---|---|---|---|---|---|%n");
        out.flush();
        fitAll(real, config, settings.methods(), settings.dump(), (method, s) -> {
            out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %d | %.3f | %.3f | %d | %.1f |%n", method,
                    s.meanAbsCorrelationDiff(), s.associationError(), s.relatedPairs(), s.pairTrendsThresholded(),
                    s.columnShapes(), s.copies(), s.seconds());
            out.flush();
        });
    }

    /** Receives each method's scores as soon as they are measured. */
    @FunctionalInterface
    public interface Listener {
        void scored(String method, Scores scores);
    }

    /**
     * Fits and scores {@code methods} in order, each from {@code config}'s settings; with {@code dump}, also writes
     * each synthetic table there as METHOD.csv and its generator as METHOD/.
     */
    public static Map<String, Scores> fitAll(Table real, CtganConfig config, List<String> methods, Path dump,
                                             Listener listener) throws IOException {
        TableProfile profile = TableProfiler.profile(real);
        if (dump != null) {
            Files.createDirectories(dump);
        }
        Map<String, Scores> scores = new LinkedHashMap<>();
        for (String method : methods) {
            long start = System.nanoTime();
            try (Synthesizer s = Synthesizers.create(method, config.asSection(List.of(method)))) {
                s.fit(real, profile, FIT_SEED);
                Table syn = s.sample(real.rows().size(), Map.of(), SAMPLE_SEED);
                scores.put(method, score(profile, real, syn, (System.nanoTime() - start) / 1e9));
                if (dump != null) {
                    SyntheticCsv.write(dump.resolve(method + ".csv"), syn);
                    s.save(dump.resolve(method));
                }
            }
            listener.scored(method, scores.get(method));
        }
        return scores;
    }

    /** The seeded {@value #ADULT_ROWS}-row sample of Adult's training file that the figures use. */
    public static Table adultSample(Path adultTrain) throws IOException {
        Table all = SyntheticCsv.read(adultTrain);
        return all.withRows(BenchTables.sample(all.rows(), ADULT_ROWS, ADULT_SEED));
    }

    /**
     * Mean |rho_real - rho_syn| over numeric pairs; over the related pairs (see the class comment) the association
     * error and the mean pair-trend score (CorrelationSimilarity or ContingencySimilarity: SDMetrics' thresholded
     * Column Pair Trends); the mean column shape (KS / TV complement); and the number of synthetic rows equal to a
     * real row in every column.
     */
    public static Scores score(TableProfile profile, Table real, Table syn, double seconds) {
        List<ColumnProfile> cols = profile.columns();
        int n = cols.size();
        double absDiff = 0;
        int numericPairs = 0;
        double associationError = 0;
        double thresholded = 0;
        int related = 0;
        double shapes = 0;
        for (int a = 0; a < n; a++) {
            ColumnProfile ca = cols.get(a);
            shapes += ca.type().numeric()
                    ? SyntheticMetrics.ksComplement(numbers(real, ca), numbers(syn, ca))
                    : SyntheticMetrics.tvComplement(cells(real, ca), cells(syn, ca));
            for (int b = a + 1; b < n; b++) {
                ColumnProfile cb = cols.get(b);
                if (ca.type().numeric() && cb.type().numeric()) {
                    double rr = SyntheticMetrics.pearson(numbers(real, ca), numbers(real, cb));
                    double rs = SyntheticMetrics.pearson(numbers(syn, ca), numbers(syn, cb));
                    absDiff += Math.abs(rr - rs);
                    numericPairs++;
                    if (Math.abs(rr) > 0.5) {
                        associationError += Math.abs(rr - rs);
                        thresholded += 1 - Math.abs(rr - rs) / 2;
                        related++;
                    }
                } else {
                    double vr = SyntheticMetrics.cramersV(categories(real, ca), categories(real, cb));
                    if (vr > 0.3) {
                        double vs = SyntheticMetrics.cramersV(categories(syn, ca), categories(syn, cb));
                        associationError += Math.abs(vr - (Double.isNaN(vs) ? 0 : vs));
                        thresholded += SyntheticMetrics.contingencySimilarity(categories(real, ca),
                                categories(real, cb), categories(syn, ca), categories(syn, cb));
                        related++;
                    }
                }
            }
        }
        Set<List<String>> realRows = new HashSet<>();
        int[] idx = cols.stream().mapToInt(c -> real.columnIndex(c.name())).toArray();
        for (List<String> row : real.rows()) {
            List<String> key = new ArrayList<>();
            for (int i : idx) {
                key.add(row.get(i));
            }
            realRows.add(key);
        }
        long copies = syn.rows().stream().filter(realRows::contains).count();
        return new Scores(absDiff / numericPairs, associationError / related, related, thresholded / related,
                shapes / n, copies, seconds);
    }

    private static double[] numbers(Table t, ColumnProfile c) {
        int i = t.columnIndex(c.name());
        return t.rows().stream().mapToDouble(r -> TableProfiler.isMissing(r.get(i)) ? Double.NaN
                : TableProfiler.numericValue(c, r.get(i))).toArray();
    }

    private static List<String> cells(Table t, ColumnProfile c) {
        int i = t.columnIndex(c.name());
        return t.rows().stream().map(r -> TableProfiler.isMissing(r.get(i)) ? "" : r.get(i)).toList();
    }

    private static List<String> categories(Table t, ColumnProfile c) {
        double[] values = c.type().numeric() ? numbers(t, c) : null;
        return values != null ? SyntheticMetrics.digitize(values, SyntheticMetrics.histogramEdges(values,
                SyntheticMetrics.PAIR_BINS)) : cells(t, c);
    }
}
