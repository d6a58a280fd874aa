package dev.workbench.synth;

import dev.workbench.data.Table;
import dev.workbench.eval.SyntheticMetrics;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evidence for issue 4 on a shipped table (datasets/quickstart/table.csv, 500 rows, 16 columns): how well each
 * synthesizer keeps pair-wise relationships, and that synthetic rows are not copies of real ones. Metric definitions
 * are the evaluate stage's (SDMetrics: CorrelationSimilarity, ContingencySimilarity with 10 equal-width bins,
 * KS/TV complements); all scores compare the synthetic rows with the rows the synthesizer was fitted on.
 *
 * <p>What holds at a test-sized budget, and so is asserted: no method copies real rows; the pair measure tells a
 * dependence-keeping method (gaussian-copula) from the independent baseline with a wide margin. What does NOT hold
 * and so is only printed (and reported in BENCHMARKS.md, "Synthesis"): ctgan keeping pair trends better than
 * independent. At 300-1,000 generator steps it does not (mean |rho_real - rho_syn| 0.12-0.13 vs independent's 0.107).
 */
class SynthesisEvidenceTest {
    /** A budget that fits the suite: 300 generator steps, batch 100, (128, 128) networks, noise 64 (~7 s). */
    static final CtganConfig BUDGET = CtganConfig.defaults().withBudget(1, 300)
            .withNetworks(100, 10, 64, List.of(128, 128), List.of(128, 128));

    record Scores(double meanAbsCorrelationDiff, double correlationSimilarity, double contingencySimilarity,
                  double columnShapes, long copies, double seconds) {
    }

    @Test
    void quickstartTablePairTrendsAndNoCopies() throws Exception {
        Path root = Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
        Table real = SyntheticCsv.read(root.resolve("datasets/quickstart/table.csv"));
        TableProfile profile = TableProfiler.profile(real);
        Map<String, Scores> scores = new java.util.LinkedHashMap<>();
        for (String method : List.of("independent", "gaussian-copula", "ctgan")) {
            scores.put(method, fitAndScore(method, BUDGET, real, profile));
            System.out.printf(Locale.ROOT, "evidence: quickstart %s: %s%n", method, scores.get(method));
        }
        for (Map.Entry<String, Scores> entry : scores.entrySet()) {
            // 500 rows of 16 columns: an exact copy by chance is vanishingly rare (0 copies measured for every method)
            assertTrue(entry.getValue().copies() <= 5, entry.getKey() + " copies real rows: " + entry.getValue());
        }
        Scores independent = scores.get("independent");
        // the measure can see kept relationships: the copula keeps them (0.030), independent loses them (0.107)
        assertTrue(scores.get("gaussian-copula").meanAbsCorrelationDiff()
                < independent.meanAbsCorrelationDiff() - 0.04, scores.toString());
        // independent's correlations are noise around zero, so its error is about the real mean |rho| (computed with
        // python3's csv module over the 8 numeric columns: 28 pairs, mean |rho| 0.100, strongest age-systolic_bp 0.427)
        assertTrue(independent.meanAbsCorrelationDiff() > 0.07, independent.toString());
        Scores ctgan = scores.get("ctgan");
        // ctgan's marginals are learned (column shapes 0.86 measured; a uniform guess scores far lower); its pair
        // trends are printed above, not asserted: they are no better than independent at this budget
        assertTrue(ctgan.columnShapes() > 0.75, ctgan.toString());
        assertTrue(Double.isFinite(ctgan.meanAbsCorrelationDiff()) && Double.isFinite(ctgan.contingencySimilarity()));
    }

    /**
     * Not a test: the numbers in BENCHMARKS.md ("Synthesis", pair trends). Run with
     * {@code -Dsynth.evidence.explore=true -Dev.steps=N -Dev.batch=B -Dev.width=W}.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "synth.evidence.explore", matches = "true")
    void explore() throws Exception {
        Path root = Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
        int steps = Integer.getInteger("ev.steps", 300);
        int batch = Integer.getInteger("ev.batch", 100);
        int width = Integer.getInteger("ev.width", 128);
        CtganConfig config = CtganConfig.defaults().withBudget(1, steps)
                .withNetworks(batch, 10, 64, List.of(width, width), List.of(width, width));
        Table real = SyntheticCsv.read(root.resolve("datasets/quickstart/table.csv"));
        TableProfile profile = TableProfiler.profile(real);
        for (String method : List.of("independent", "gaussian-copula", "ctgan")) {
            System.out.printf(Locale.ROOT, "EVIDENCE %s steps=%d batch=%d width=%d: %s%n", method, steps, batch,
                    width, fitAndScore(method, config, real, profile));
        }
        Table correlated = TinyTables.correlated(500, 0.9, 4);
        for (String method : List.of("independent", "gaussian-copula", "ctgan")) {
            Synthesizer s = Synthesizers.create(method, config);
            try {
                s.fit(correlated, TableProfiler.profile(correlated), 11);
                Table syn = s.sample(500, Map.of(), 12);
                System.out.printf(Locale.ROOT, "CORRELATED %s steps=%d: rho_syn %.3f (real %.3f)%n", method, steps,
                        SyntheticMetrics.pearson(TinyTables.numbers(syn, "x"), TinyTables.numbers(syn, "y")),
                        SyntheticMetrics.pearson(TinyTables.numbers(correlated, "x"),
                                TinyTables.numbers(correlated, "y")));
            } finally {
                if (s instanceof CtganSynthesizer c) {
                    c.close();
                }
            }
        }
    }

    private static Scores fitAndScore(String method, CtganConfig config, Table real, TableProfile profile) {
        long start = System.nanoTime();
        Synthesizer s = Synthesizers.create(method, config);
        try {
            s.fit(real, profile, 11);
            Table syn = s.sample(real.rows().size(), Map.of(), 12);
            return score(profile, real, syn, (System.nanoTime() - start) / 1e9);
        } finally {
            if (s instanceof CtganSynthesizer c) {
                c.close();
            }
        }
    }

    /** Mean |rho_real - rho_syn| and CorrelationSimilarity over numeric pairs, ContingencySimilarity over the rest,
     * mean column shape, and the number of synthetic rows equal to a real row in every column. */
    static Scores score(TableProfile profile, Table real, Table syn, double seconds) {
        List<ColumnProfile> cols = profile.columns();
        int n = cols.size();
        double absDiff = 0;
        double corrSim = 0;
        int numericPairs = 0;
        double cont = 0;
        int contPairs = 0;
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
                    if (Math.abs(rr) > 0.2) {
                        System.out.printf(Locale.ROOT, "evidence: pair %s-%s rho real %.3f synthetic %.3f%n",
                                ca.name(), cb.name(), rr, rs);
                    }
                    corrSim += 1 - Math.abs(rr - rs) / 2;
                    numericPairs++;
                } else {
                    cont += SyntheticMetrics.contingencySimilarity(categories(real, ca), categories(real, cb),
                            categories(syn, ca), categories(syn, cb));
                    contPairs++;
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
        return new Scores(absDiff / numericPairs, corrSim / numericPairs, cont / contPairs, shapes / n, copies, seconds);
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
        return c.type().numeric() ? SyntheticMetrics.binEqualWidth(numbers(t, c), SyntheticMetrics.PAIR_BINS)
                : cells(t, c);
    }
}
