package dev.workbench.eval;

import dev.workbench.data.ColumnType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Published SDMetrics figures where its unit tests pin one (TVComplement, ContingencySimilarity); the rest computed by
 * hand or with python3/numpy (np.corrcoef, an explicit ECDF walk for KS, chi-square by formula for Cramér's V).
 */
class SyntheticMetricsTest {

    @Test
    void tvComplementReproducesSdmetricsUnitTest() {
        // sdv-dev/SDMetrics tests/unit/single_column/statistical/test_tv_complement.py::test_compute -> 0.8333333333333333
        assertEquals(0.8333333333333333, SyntheticMetrics.tvComplement(List.of("a", "b", "c", "a", "a", "b"),
                List.of("a", "b", "c", "a", "b", "c")), 1e-15);
        // Synthetic-only value 'd' is ignored; hand: |.25-.5| + |.5-.25| + |0-.25| = .75 -> 1 - .375
        assertEquals(0.625, SyntheticMetrics.tvComplement(List.of("a", "a", "b", "c"), List.of("a", "b", "b", "d")),
                1e-15);
        // Missing cells are dropped (SDMetrics test_compute_one_data_point -> 1).
        assertEquals(1.0, SyntheticMetrics.tvComplement(List.of("", "", "b"), List.of("b", "", "")), 0);
    }

    @Test
    void contingencySimilarityReproducesSdmetricsUnitTest() {
        // test_contingency_similarity.py::test_compute -> 0.25 (only the pair (1.0, 1) is shared)
        assertEquals(0.25, SyntheticMetrics.contingencySimilarity(List.of("1.0", "2.4", "2.6", "0.8"),
                List.of("1", "2", "3", "5"), List.of("1.0", "1.8", "2.6", "1.0"), List.of("2", "3", "4", "1")), 1e-15);
    }

    @Test
    void correlationSimilarityReproducesSdmetricsUnitTest() {
        // test_correlation_similarity.py::test_compute_breakdown_with_real_correlation_threshold, threshold 0:
        // real rho 0.498212, synthetic 0.3 -> 0.9008941765855183 (atol 1e-6 there)
        double[] x = {1, 2, 3, 4};
        assertEquals(0.9008941765855183, SyntheticMetrics.correlationSimilarity(x,
                new double[]{0.2, -1.0895, -0.6425, 1.5365}, x,
                new double[]{0.616536, -1.216536, -0.916536, 1.516536}), 1e-6);
    }

    @Test
    void contingencyWithBinningReproducesSdmetricsUnitTest() {
        // test_contingency_similarity.py::test_compute_with_discretization (col2 continuous, 4 bins) -> 0.25: edges
        // from the real column [1, 1.75, 2.5, 3.25, 4], outer ones opened to +-inf, both tables cut by them
        double[] shared = SyntheticMetrics.openOuterEdges(SyntheticMetrics.histogramEdges(new double[]{1, 2, 3, 4}, 4));
        List<String> realBins = SyntheticMetrics.digitize(new double[]{1, 2, 3, 4}, shared);
        List<String> synBins = SyntheticMetrics.digitize(new double[]{2, 3, 7, -10}, shared);
        assertEquals(List.of("1", "2", "3", "4"), realBins);
        assertEquals(List.of("2", "3", "4", "1"), synBins);
        assertEquals(0.25, SyntheticMetrics.contingencySimilarity(List.of("1.0", "2.4", "2.6", "0.8"), realBins,
                List.of("1.0", "1.8", "2.6", "1.0"), synBins), 1e-15);
    }

    /**
     * Numeric x categorical by hand, shared real edges. Real age (0, 10, ..., 90) with sex (F x5 then M x5): edges
     * 0, 9, ..., 90 opened to +-inf, so the ten real ages fall in bins 1..10 (90, the maximum, in bin 10, not an 11th).
     * The synthetic ages are the real ones + 1000 (all beyond the real range) with the same sexes: every synthetic
     * row lands in bin 10: synthetic cells (10, F) = (10, M) = 5/10, real cells ten of 1/10, (10, M) among them, so
     * 1 - (9 x 0.1 + |0.1 - 0.5| + |0 - 0.5|) / 2 = 1 - (0.9 + 0.4 + 0.5) / 2 = 0.1. Binned by their own edges
     * (SDMetrics 0.29's report) the shifted table would score a perfect 1.0: the defect shared edges fix.
     */
    @Test
    void numericByCategoricalUsesTheRealColumnsEdgesForBothTables() {
        double[] real = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90};
        double[] synthetic = new double[10];
        for (int i = 0; i < 10; i++) {
            synthetic[i] = real[i] + 1000;
        }
        List<String> sex = List.of("F", "F", "F", "F", "F", "M", "M", "M", "M", "M");
        List<List<String>> shared = SyntheticMetrics.binPair(real, synthetic, SyntheticMetrics.PairBinning.REAL_EDGES);
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), shared.get(0));
        assertEquals(java.util.Collections.nCopies(10, "10"), shared.get(1));
        // real cells: 10 cells of 0.1; synthetic: (10,F) 0.5 and (10,M) 0.5; only (10,M) overlaps the real 0.1
        assertEquals(0.1, SyntheticMetrics.contingencySimilarity(shared.get(0), sex, shared.get(1), sex), 1e-12);
        List<List<String>> own = SyntheticMetrics.binPair(real, synthetic, SyntheticMetrics.PairBinning.OWN_EDGES);
        // own edges, outer kept: each maximum gets an 11th bin of its own (numpy digitize)
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "11"), own.get(0));
        assertEquals(own.get(0), own.get(1));
        assertEquals(1.0, SyntheticMetrics.contingencySimilarity(own.get(0), sex, own.get(1), sex), 1e-12);
        // a missing cell sorts last: bin edges.length = 11, beside the maximum in the own-edges mode
        assertEquals(List.of("11"), SyntheticMetrics.digitize(new double[]{Double.NaN},
                SyntheticMetrics.histogramEdges(real, 10)));
    }

    @Test
    void ksComplement() {
        // F_real(2) = .5, F_syn(2) = 0 -> D = .5
        assertEquals(0.5, SyntheticMetrics.ksComplement(new double[]{1, 2, 3, 4}, new double[]{3, 4, 5, 6}), 1e-15);
        // with ties, python ECDF walk: D = 0.3
        assertEquals(0.3, SyntheticMetrics.ksStatistic(new double[]{1, 1, 2, 3}, new double[]{1, 2, 2, 2, 5}), 1e-15);
        assertEquals(1.0, SyntheticMetrics.ksComplement(new double[]{1, Double.NaN, 2}, new double[]{2, 1}), 0);
    }

    @Test
    void correlationSimilarity() {
        double[] rx = {1, 2, 3, 4, 5};
        double[] ry = {2, 4, 5, 4, 5};
        double[] sy = {5, 3, 4, 2, 1};
        // numpy: corrcoef(rx, ry) = 0.7745966692414834, corrcoef(rx, sy) = -0.9
        assertEquals(0.7745966692414834, SyntheticMetrics.pearson(rx, ry), 1e-12);
        assertEquals(0.16270166537925834, SyntheticMetrics.correlationSimilarity(rx, ry, rx, sy), 1e-12);
        assertTrue(Double.isNaN(SyntheticMetrics.pearson(rx, new double[]{1, 1, 1, 1, 1})));
    }

    @Test
    void cramersV() {
        // python: O = [[3,0],[1,2]] -> chi2 = 3 -> V = sqrt(3 / 6) = 0.7071
        assertEquals(0.7071067811865476, SyntheticMetrics.cramersV(List.of("x", "x", "y", "y", "x", "y"),
                List.of("p", "p", "q", "q", "p", "p")), 1e-12);
    }

    @Test
    void histogramEdgesAsNumpy() {
        // numpy.histogram_bin_edges([0, 1, 5, 9.99, 10, nan dropped], 10) -> 0, 1, ..., 10; a constant widens by 0.5
        double[] edges = SyntheticMetrics.histogramEdges(new double[]{0, 1, 5, 9.99, 10, Double.NaN}, 10);
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, edges, 1e-12);
        assertArrayEquals(new double[]{2.5, 2.6, 2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5},
                SyntheticMetrics.histogramEdges(new double[]{3, 3}, 10), 1e-12);
        assertEquals(List.of("1", "2", "6", "10", "11", "0"), SyntheticMetrics.digitize(new double[]{0, 1, 5, 9.99, 10,
                -1}, edges));
    }

    @Test
    void distanceToClosestRecordByHand() {
        List<ColumnType> types = List.of(ColumnType.CONTINUOUS, ColumnType.CATEGORICAL);
        List<List<String>> reference = List.of(List.of("0", "a"), List.of("10", "b"));
        double[] ranges = Privacy.ranges(reference, types);
        assertArrayEquals(new double[]{10, 0}, ranges, 0);
        // [2,a]: min((.2+0)/2, (.8+1)/2) = .1; [9,c]: min(.95, .55); [missing,b]: min(1, .5)
        double[] dcr = Privacy.dcr(List.of(List.of("2", "a"), List.of("9", "c"), List.of("", "b")), reference, types,
                ranges);
        assertArrayEquals(new double[]{0.1, 0.55, 0.5}, dcr, 1e-12);
        assertEquals(0.5, Privacy.median(dcr), 1e-12);
        assertEquals(1.0, Privacy.overfittingProtection(new double[]{0.1, 0.5}, new double[]{0.3, 0.2}), 0);
        assertEquals(0.0, Privacy.overfittingProtection(new double[]{0.1, 0.1}, new double[]{0.3, 0.3}), 0);
    }

    @Test
    void rocAucWithTies() {
        assertEquals(0.75, SyntheticEvaluation.rocAuc(new double[]{0.1, 0.4, 0.35, 0.8},
                new boolean[]{false, false, true, true}), 1e-15);
        // python pairwise count with ties as 1/2 -> 0.8333333333333334
        assertEquals(0.8333333333333334, SyntheticEvaluation.rocAuc(new double[]{0.5, 0.5, 0.2, 0.9, 0.5},
                new boolean[]{true, false, false, true, true}), 1e-12);
    }

    @Test
    void columnTypesBySimpleInferenceWithOverrides() {
        List<List<String>> rows = List.of(List.of("1.5", "yes", "0", "3"), List.of("2", "no", "1", "4"),
                List.of("", "no", "1", "5"), List.of("7", "yes", "0", "6"));
        // d = 3, 4, 5, 6: whole numbers with at most 10 levels are codes, categorical (the profiler's rule)
        List<ColumnType> types = ColumnType.forColumns(List.of("a", "b", "c", "d"), rows, Map.of());
        assertEquals(List.of(ColumnType.CONTINUOUS, ColumnType.BOOLEAN, ColumnType.CATEGORICAL,
                ColumnType.CATEGORICAL), types);
        assertEquals(List.of("numeric", "categorical", "categorical", "categorical"),
                types.stream().map(ColumnType::evaluationKind).toList());
        assertEquals(ColumnType.INTEGER,
                ColumnType.forColumns(List.of("a", "b", "c", "d"), rows, Map.of("d", "integer")).get(3));
        assertEquals(ColumnType.CATEGORICAL,
                ColumnType.forColumns(List.of("a", "b", "c", "d"), rows, Map.of("d", "categorical")).get(3));
    }

    /**
     * By hand: real rows (age, sex) = (20, F), (40, M), (60, F); age range 40, so 1% tolerance = 0.4 years.
     * Synthetic (20.3, F) matches (20, F); (40, F) matches nothing (sex differs); (59.5, F) is 0.5 away from 60: new;
     * (60, F) copies a row. New rows: 2 of 4 = 0.5.
     */
    @Test
    void newRowSynthesisCountsRowsMatchingNoRealRowWithinTolerance() {
        List<ColumnType> types = List.of(ColumnType.CONTINUOUS, ColumnType.CATEGORICAL);
        List<List<String>> real = List.of(List.of("20", "F"), List.of("40", "M"), List.of("60", "F"));
        List<List<String>> synthetic = List.of(List.of("20.3", "F"), List.of("40", "F"), List.of("59.5", "F"),
                List.of("60", "F"));
        double[] ranges = Privacy.ranges(real, types);
        assertEquals(40, ranges[0], 1e-12);
        assertEquals(0.5, Privacy.newRowShare(synthetic, real, types, ranges, Privacy.NEW_ROW_TOLERANCE), 1e-12);
    }

    /**
     * Thresholded quality by hand: x, y perfectly correlated in the real rows (|rho| = 1 > 0.5), z unrelated to x
     * (|rho| = 0 on these rows); only the (x, y) pair counts in the thresholded mode.
     */
    @Test
    void thresholdedPairTrendsCountOnlyStronglyAssociatedRealPairs() {
        List<String> columns = List.of("x", "y", "z");
        List<ColumnType> types = List.of(ColumnType.CONTINUOUS, ColumnType.CONTINUOUS, ColumnType.CONTINUOUS);
        // x = 1..4, y = 2x, z = (1, -1, -1, 1): rho(x, z) = 0, rho(y, z) = 0 (computed by hand: z is symmetric)
        List<List<String>> real = List.of(List.of("1", "2", "1"), List.of("2", "4", "-1"), List.of("3", "6", "-1"),
                List.of("4", "8", "1"));
        SyntheticEvaluation.Inputs in = new SyntheticEvaluation.Inputs(columns, types, real, List.of(), real,
                java.util.Optional.empty());
        List<SyntheticEvaluation.PairScore> pairs = SyntheticEvaluation.pairTrends(in);
        assertEquals(3, pairs.size());
        assertEquals(1.0, pairs.get(0).realAssociation(), 1e-12);
        assertEquals(0.0, pairs.get(1).realAssociation(), 1e-12);
        assertEquals(List.of(true, false, false), pairs.stream().map(SyntheticEvaluation.PairScore::strong).toList());
    }
}
