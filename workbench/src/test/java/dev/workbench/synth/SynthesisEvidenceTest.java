package dev.workbench.synth;

import dev.workbench.data.Table;
import dev.workbench.eval.SyntheticMetrics;
import dev.workbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Evidence for issue 4: ctgan keeps pair-wise relationships clearly better than the independent baseline, on a shipped
 * table and on Adult, and copies no real rows. All scores compare the synthetic rows with the rows the synthesizer was
 * fitted on; metric definitions are the evaluate stage's (SDMetrics), see {@link #score}.
 *
 * <p>Two measures of relationships, both asserted:
 * <ul>
 *   <li>mean |rho_real - rho_syn| over every numeric pair (the correlation difference);</li>
 *   <li>association error: over the pairs that SDMetrics' current mode counts as related in the real table
 *       (|rho| &gt; 0.5 for two numbers, Cramér's V &gt; 0.3 otherwise, numbers in 10 equal-width bins), the mean
 *       |rho_real - rho_syn| or |V_real - V_syn|. Unlike ContingencySimilarity it does not charge a pair for its
 *       columns' marginal errors, which column shapes already count; the independent baseline has perfect marginals
 *       and no relationships, so this is where the two differ.</li>
 * </ul>
 *
 * <p>Budgets: CTGAN needs thousands of generator steps before relationships appear. At 300 steps neither this port nor
 * the PyTorch reference ({@code scripts/ctgan_reference.py}) beats independent (quickstart mean |rho diff| 0.12 / 0.13
 * vs 0.107); at 3,000 steps both do, by the same margins on Adult (BENCHMARKS.md, "Synthesis quality").
 */
@org.junit.jupiter.api.Tag("slow")
class SynthesisEvidenceTest {
    /** Quickstart (500 rows): library networks and batch, 3,000 generator steps at Adam 5e-4 (~100 s, one core). */
    static final CtganConfig QUICKSTART_BUDGET = CtganConfig.defaults().withBudget(1, 3000)
            .withLearningRates(5e-4, 5e-4);
    /** Adult (5,000-row seeded subsample): the library defaults, 3,000 generator steps (~3 min, one core). */
    static final CtganConfig ADULT_BUDGET = CtganConfig.defaults().withBudget(1, 3000);
    static final Path ROOT = Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
    static final Path ADULT = SharedData.file("benchmark/adult_train.csv");

    record Scores(double meanAbsCorrelationDiff, double associationError, int relatedPairs,
                  double pairTrendsThresholded, double columnShapes, long copies, double seconds) {
    }

    @Test
    void quickstartTable() throws Exception {
        Table real = SyntheticCsv.read(ROOT.resolve("datasets/quickstart/table.csv"));
        Map<String, Scores> scores = fitAll("quickstart", real, QUICKSTART_BUDGET, null);
        Scores independent = scores.get("independent");
        Scores ctgan = scores.get("ctgan");
        // measured: ctgan 0.059 vs independent 0.107 (mean |rho| of the real pairs is 0.100: independent loses them)
        assertTrue(ctgan.meanAbsCorrelationDiff() < 0.75 * independent.meanAbsCorrelationDiff(), scores.toString());
        // measured over 8 related pairs: ctgan 0.096 vs independent 0.280
        assertTrue(ctgan.associationError() < 0.5 * independent.associationError(), scores.toString());
        // the measures can see kept relationships: the copula keeps them too
        assertTrue(scores.get("gaussian-copula").meanAbsCorrelationDiff()
                < 0.5 * independent.meanAbsCorrelationDiff(), scores.toString());
        assertNoCopies(scores);
    }

    /** A benchmark on ../shared/data (skipped when the folder is absent). */
    @Test
    void adultBenchmark() throws Exception {
        assumeTrue(Files.isRegularFile(ADULT), "no " + ADULT);
        Table all = SyntheticCsv.read(ADULT);
        List<List<String>> rows = new ArrayList<>(all.rows());
        Collections.shuffle(rows, new Random(7));
        Table real = new Table(all.columns(), rows.subList(0, 5000));
        Map<String, Scores> scores = fitAll("adult", real, ADULT_BUDGET, null);
        Scores independent = scores.get("independent");
        Scores ctgan = scores.get("ctgan");
        // measured: ctgan 0.036 vs independent 0.071; association error over 13 related pairs 0.180 vs 0.424;
        // thresholded pair trends 0.791 vs 0.765 (the PyTorch reference at the same budget, scored by its own script:
        // mean |rho diff| 0.038 vs 0.066, thresholded pair trends 0.790 vs 0.761)
        assertTrue(ctgan.meanAbsCorrelationDiff() < 0.8 * independent.meanAbsCorrelationDiff(), scores.toString());
        assertTrue(ctgan.associationError() < 0.6 * independent.associationError(), scores.toString());
        assertTrue(ctgan.pairTrendsThresholded() > independent.pairTrendsThresholded(), scores.toString());
        assertNoCopies(scores);
    }

    /** Fits and scores every method; with {@code dump}, also writes each synthetic table there as METHOD.csv. */
    private static Map<String, Scores> fitAll(String table, Table real, CtganConfig config, Path dump)
            throws java.io.IOException {
        TableProfile profile = TableProfiler.profile(real);
        Map<String, Scores> scores = new LinkedHashMap<>();
        for (String method : List.of("independent", "gaussian-copula", "ctgan")) {
            long start = System.nanoTime();
            try (Synthesizer s = Synthesizers.create(method, config.asSection(List.of(method)))) {
                s.fit(real, profile, 11);
                Table syn = s.sample(real.rows().size(), Map.of(), 12);
                scores.put(method, score(profile, real, syn, (System.nanoTime() - start) / 1e9));
                if (dump != null) {
                    SyntheticCsv.write(dump.resolve(method + ".csv"), syn);
                }
            }
            System.out.printf(Locale.ROOT, "evidence: %s %s: %s%n", table, method, scores.get(method));
        }
        return scores;
    }

    private static void assertNoCopies(Map<String, Scores> scores) {
        for (Map.Entry<String, Scores> entry : scores.entrySet()) {
            // thousands of rows of 15-16 columns: an exact copy by chance is vanishingly rare (0 measured everywhere)
            assertTrue(entry.getValue().copies() <= 5, entry.getKey() + " copies real rows: " + entry.getValue());
        }
    }

    /**
     * Not a test: the budget sweep behind BENCHMARKS.md. Run with {@code -Dsynth.evidence.explore=true
     * -Dev.steps=N -Dev.batch=B -Dev.width=W -Dev.lr=LR [-Dev.table=CSV] [-Dev.dump=DIR]}; with ev.dump the synthetic
     * tables are written there (for {@code scripts/ctgan_reference.py score} and {@code workbench evaluate-synthetic}).
     */
    @Test
    @EnabledIfSystemProperty(named = "synth.evidence.explore", matches = "true")
    void explore() throws Exception {
        int steps = Integer.getInteger("ev.steps", 300);
        int batch = Integer.getInteger("ev.batch", 500);
        int width = Integer.getInteger("ev.width", 256);
        double lr = Double.parseDouble(System.getProperty("ev.lr", "2e-4"));
        CtganConfig config = CtganConfig.defaults().withBudget(1, steps)
                .withNetworks(batch, 10, 128, List.of(width, width), List.of(width, width)).withLearningRates(lr, lr);
        Table real = SyntheticCsv.read(ROOT.resolve(System.getProperty("ev.table", "datasets/quickstart/table.csv")));
        String dump = System.getProperty("ev.dump");
        fitAll(String.format(Locale.ROOT, "steps=%d batch=%d width=%d lr=%g", steps, batch, width, lr), real, config,
                dump == null ? null : Path.of(dump));
    }

    /**
     * Mean |rho_real - rho_syn| over numeric pairs; over the related pairs (see the class comment) the association
     * error and the mean pair-trend score (CorrelationSimilarity or ContingencySimilarity: SDMetrics' thresholded
     * Column Pair Trends); the mean column shape (KS / TV complement); and the number of synthetic rows equal to a
     * real row in every column.
     */
    static Scores score(TableProfile profile, Table real, Table syn, double seconds) {
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

    static double[] numbers(Table t, ColumnProfile c) {
        int i = t.columnIndex(c.name());
        return t.rows().stream().mapToDouble(r -> TableProfiler.isMissing(r.get(i)) ? Double.NaN
                : TableProfiler.numericValue(c, r.get(i))).toArray();
    }

    static List<String> cells(Table t, ColumnProfile c) {
        int i = t.columnIndex(c.name());
        return t.rows().stream().map(r -> TableProfiler.isMissing(r.get(i)) ? "" : r.get(i)).toList();
    }

    static List<String> categories(Table t, ColumnProfile c) {
        double[] values = c.type().numeric() ? numbers(t, c) : null;
        return values != null ? SyntheticMetrics.digitize(values, SyntheticMetrics.histogramEdges(values,
                SyntheticMetrics.PAIR_BINS)) : cells(t, c);
    }
}
