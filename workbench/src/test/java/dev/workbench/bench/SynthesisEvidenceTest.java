package dev.workbench.bench;

import dev.workbench.data.Table;
import dev.workbench.synth.CtganConfig;
import dev.workbench.synth.SyntheticCsv;
import dev.workbench.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Evidence for issue 4: ctgan keeps pair-wise relationships clearly better than the independent baseline, on a shipped
 * table and on Adult, and copies no real rows. The scores are {@link SynthesisEvidence}'s (the measures are defined
 * there; {@code workbench bench synth-evidence} prints them for any budget).
 *
 * <p>Budgets: CTGAN needs thousands of generator steps before relationships appear. At 300 steps neither this port nor
 * the PyTorch reference ({@code scripts/ctgan_reference.py}) beats independent (quickstart mean |rho diff| 0.12 / 0.13
 * vs 0.107); at 3,000 steps both do, by the same margins on Adult (BENCHMARKS.md, "Synthesis quality").
 */
@Tag("slow")
class SynthesisEvidenceTest {
    /** Quickstart (500 rows): library networks and batch, 3,000 generator steps at Adam 5e-4 (~100 s, one core). */
    static final CtganConfig QUICKSTART_BUDGET = CtganConfig.defaults().withBudget(1, 3000)
            .withLearningRates(5e-4, 5e-4);
    /** Adult (5,000-row seeded subsample): the library defaults, 3,000 generator steps (~3 min, one core). */
    static final CtganConfig ADULT_BUDGET = CtganConfig.defaults().withBudget(1, 3000);
    static final Path ROOT = Path.of(System.getProperty("workbench.repo.root", "..")).toAbsolutePath().normalize();
    static final Path ADULT = SharedData.file("benchmark/adult_train.csv");
    static final List<String> METHODS = List.of("independent", "gaussian-copula", "ctgan");

    @Test
    void quickstartTable() throws Exception {
        Table real = SyntheticCsv.read(ROOT.resolve("datasets/quickstart/table.csv"));
        Map<String, SynthesisEvidence.Scores> scores = fitAll("quickstart", real, QUICKSTART_BUDGET);
        SynthesisEvidence.Scores independent = scores.get("independent");
        SynthesisEvidence.Scores ctgan = scores.get("ctgan");
        // measured: ctgan 0.059 vs independent 0.107 (mean |rho| of the real pairs is 0.100: independent loses them)
        assertTrue(ctgan.meanAbsCorrelationDiff() < 0.75 * independent.meanAbsCorrelationDiff(), scores.toString());
        // measured over 8 related pairs: ctgan 0.096 vs independent 0.280
        assertTrue(ctgan.associationError() < 0.5 * independent.associationError(), scores.toString());
        // the measures can see kept relationships: the copula keeps them too
        assertTrue(scores.get("gaussian-copula").meanAbsCorrelationDiff()
                < 0.5 * independent.meanAbsCorrelationDiff(), scores.toString());
        assertNoCopies(scores);
    }

    /** A benchmark on the shared data folder (skipped when it is absent). */
    @Test
    void adultBenchmark() throws Exception {
        assumeTrue(Files.isRegularFile(ADULT), "no " + ADULT);
        Table real = SynthesisEvidence.adultSample(ADULT);
        Map<String, SynthesisEvidence.Scores> scores = fitAll("adult", real, ADULT_BUDGET);
        SynthesisEvidence.Scores independent = scores.get("independent");
        SynthesisEvidence.Scores ctgan = scores.get("ctgan");
        // measured: ctgan 0.036 vs independent 0.071; association error over 13 related pairs 0.180 vs 0.424;
        // thresholded pair trends 0.791 vs 0.765 (the PyTorch reference at the same budget, scored by its own script:
        // mean |rho diff| 0.038 vs 0.066, thresholded pair trends 0.790 vs 0.761)
        assertTrue(ctgan.meanAbsCorrelationDiff() < 0.8 * independent.meanAbsCorrelationDiff(), scores.toString());
        assertTrue(ctgan.associationError() < 0.6 * independent.associationError(), scores.toString());
        assertTrue(ctgan.pairTrendsThresholded() > independent.pairTrendsThresholded(), scores.toString());
        assertNoCopies(scores);
    }

    private static Map<String, SynthesisEvidence.Scores> fitAll(String table, Table real, CtganConfig config)
            throws Exception {
        return SynthesisEvidence.fitAll(real, config, METHODS, null, (method, scores) ->
                System.out.printf(Locale.ROOT, "evidence: %s %s: %s%n", table, method, scores));
    }

    private static void assertNoCopies(Map<String, SynthesisEvidence.Scores> scores) {
        for (Map.Entry<String, SynthesisEvidence.Scores> entry : scores.entrySet()) {
            // thousands of rows of 15-16 columns: an exact copy by chance is vanishingly rare (0 measured everywhere)
            assertTrue(entry.getValue().copies() <= 5, entry.getKey() + " copies real rows: " + entry.getValue());
        }
    }
}
