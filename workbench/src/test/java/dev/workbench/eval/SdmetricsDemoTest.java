package dev.workbench.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SDMetrics' own demo pair (student_placements, 215 real and 215 synthetic rows, its V1 metadata) scored by workbench
 * and compared, column by column and pair by pair, with what SDMetrics computes on it (sdmetrics_expected.json,
 * written by scripts/sdmetrics_reference.py running SDMetrics 0.29): its QualityReport (each table binned by its own
 * edges, {@code own_edges}) and its metric classes with shared real edges ({@code real_edges}), in the thresholded
 * mode (0.5 / 0.3) and with every pair counted.
 */
class SdmetricsDemoTest {
    static final double TOLERANCE = 1e-3;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(SdmetricsDemoTest.class.getResource("/sdmetrics-demo/" + name).toURI());
    }

    static JsonNode expected() throws Exception {
        return new ObjectMapper().readTree(resource("sdmetrics_expected.json").toFile());
    }

    static SyntheticEvaluation.Result workbench(SyntheticMetrics.PairBinning binning) throws Exception {
        return SyntheticFileEvaluation.evaluate(resource("student_placements_real.csv"),
                resource("student_placements_synthetic.csv"), Optional.empty(),
                Optional.of(resource("metadata.json")), Optional.empty(), Optional.empty(), binning, 42);
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    @Test
    void columnShapesMatchSdmetricsColumnByColumn() throws Exception {
        JsonNode report = expected().get("modes").get("all_pairs").get("quality_report");
        SyntheticEvaluation.Result r = workbench(SyntheticMetrics.PairBinning.OWN_EDGES);
        Map<String, SyntheticEvaluation.ColumnScore> ours = new HashMap<>();
        r.columns().forEach(c -> ours.put(c.column(), c));
        assertEquals(report.get("columns").size(), ours.size(), ours.keySet().toString());
        for (JsonNode c : report.get("columns")) {
            SyntheticEvaluation.ColumnScore mine = ours.get(c.get("column").asText());
            assertNotNull(mine, c.toString());
            assertEquals(c.get("metric").asText().equals("KSComplement") ? "ks_complement" : "tv_complement",
                    mine.metric(), c.toString());
            assertEquals(c.get("score").asDouble(), mine.score(), TOLERANCE, c.toString());
        }
        assertEquals(report.get("column_shapes").asDouble(), r.columnShapes(), TOLERANCE);
    }

    @Test
    void ownEdgesReproduceTheQualityReportPairByPairInBothModes() throws Exception {
        comparePairs(SyntheticMetrics.PairBinning.OWN_EDGES, "quality_report");
    }

    @Test
    void realEdgesReproduceSdmetricsMetricClassesPairByPairInBothModes() throws Exception {
        comparePairs(SyntheticMetrics.PairBinning.REAL_EDGES, "real_edges");
    }

    private static void comparePairs(SyntheticMetrics.PairBinning binning, String source) throws Exception {
        SyntheticEvaluation.Result r = workbench(binning);
        Map<String, SyntheticEvaluation.PairScore> ours = new HashMap<>();
        r.pairs().forEach(p -> ours.put(key(p.columnA(), p.columnB()), p));
        Map<String, SyntheticEvaluation.UndefinedPair> undefined = new HashMap<>();
        r.undefinedPairs().forEach(p -> undefined.put(key(p.columnA(), p.columnB()), p));
        for (String mode : new String[]{"all_pairs", "thresholded"}) {
            JsonNode expected = expected().get("modes").get(mode).get(source);
            assertEquals(120, expected.get("pairs").size());
            int counted = 0;
            for (JsonNode p : expected.get("pairs")) {
                String k = key(p.get("column_a").asText(), p.get("column_b").asText());
                String metric = p.get("metric").asText().equals("CorrelationSimilarity") ? "correlation_similarity"
                        : "contingency_similarity";
                boolean meets = p.get("meets_threshold").asBoolean();
                if (mode.equals("all_pairs")) {
                    if (p.get("score").isNull()) {
                        // salary x experience_years: the synthetic experience_years is constant where salary is
                        // present, so no synthetic correlation; SDMetrics lists it with no score, as we do
                        assertTrue(undefined.containsKey(k), k);
                        assertEquals(metric, undefined.get(k).metric());
                        continue;
                    }
                    SyntheticEvaluation.PairScore mine = ours.get(k);
                    assertNotNull(mine, k);
                    assertEquals(metric, mine.metric(), k);
                    assertEquals(p.get("score").asDouble(), mine.score(), TOLERANCE, k);
                } else {
                    SyntheticEvaluation.PairScore mine = ours.get(k);
                    boolean strong = mine != null && mine.strong();
                    assertEquals(meets && !p.get("score").isNull(), strong, k + " strong in the real data");
                    if (strong) {
                        counted++;
                        assertEquals(p.get("score").asDouble(), mine.score(), TOLERANCE, k);
                    }
                }
            }
            if (mode.equals("thresholded")) {
                assertEquals(expected.get("pairs").findValues("meets_threshold").stream()
                        .filter(JsonNode::asBoolean).count(), counted);
            }
        }
        assertEquals(119, r.pairs().size());
        assertEquals(1, r.undefinedPairs().size());
        JsonNode all = expected().get("modes").get("all_pairs").get(source);
        JsonNode thresholded = expected().get("modes").get("thresholded").get(source);
        assertEquals(all.get("column_pair_trends").asDouble(), r.columnPairTrends(), TOLERANCE);
        assertEquals(thresholded.get("column_pair_trends").asDouble(), r.columnPairTrendsThresholded(), TOLERANCE);
        if (source.equals("quality_report")) {
            assertEquals(all.get("score").asDouble(), r.quality(), TOLERANCE);
            assertEquals(thresholded.get("score").asDouble(), r.qualityThresholded(), TOLERANCE);
        }
    }

    /**
     * SDMetrics' own integration test, tests/integration/reports/single_table/test_quality_report.py
     * ::test_report_end_to_end (sdv-dev/SDMetrics 0.29): the demo with its metadata cut to student_id, degree_type,
     * start_date, second_perc and work_experience, thresholds 0 (every pair). Columns the metadata does not name are
     * not scored, as in SDMetrics. The expected numbers are that test's.
     */
    @Test
    void reproducesSdmetricsIntegrationTestOnFiveColumns(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path metadata = java.nio.file.Files.writeString(dir.resolve("five.json"), """
                {"METADATA_SPEC_VERSION": "V1", "tables": {"student_placements": {"primary_key": "student_id",
                 "columns": {"start_date": {"sdtype": "datetime", "datetime_format": "%Y-%m-%d"},
                             "student_id": {"sdtype": "id", "regex_format": "\\\\d{30}"},
                             "second_perc": {"sdtype": "numerical", "computer_representation": "Float"},
                             "work_experience": {"sdtype": "boolean"}, "degree_type": {"sdtype": "categorical"}}}}}
                """);
        SyntheticEvaluation.Result r = SyntheticFileEvaluation.evaluate(resource("student_placements_real.csv"),
                resource("student_placements_synthetic.csv"), Optional.empty(), Optional.of(metadata),
                Optional.empty(), Optional.empty(), SyntheticMetrics.PairBinning.OWN_EDGES, 42);
        Map<String, Double> shapes = new HashMap<>();
        r.columns().forEach(c -> shapes.put(c.column(), c.score()));
        assertEquals(Map.of("start_date", 0.6621621621621622, "second_perc", 0.8976744186046511,
                "work_experience", 0.9953488372093023, "degree_type", 0.9395348837209302).keySet(), shapes.keySet());
        assertEquals(0.6621621621621622, shapes.get("start_date"), 1e-9);
        assertEquals(0.8976744186046511, shapes.get("second_perc"), 1e-9);
        assertEquals(0.9953488372093023, shapes.get("work_experience"), 1e-9);
        assertEquals(0.9395348837209302, shapes.get("degree_type"), 1e-9);
        Map<String, Double> pairs = new HashMap<>();
        r.pairs().forEach(p -> pairs.put(key(p.columnA(), p.columnB()), p.score()));
        assertEquals(6, pairs.size());
        assertEquals(0.9187918131436303, pairs.get(key("start_date", "second_perc")), 1e-9);
        assertEquals(0.6744186046511629, pairs.get(key("start_date", "work_experience")), 1e-9);
        assertEquals(0.7162790697674419, pairs.get(key("start_date", "degree_type")), 1e-9);
        assertEquals(0.813953488372093, pairs.get(key("second_perc", "work_experience")), 1e-9);
        assertEquals(0.772093023255814, pairs.get(key("second_perc", "degree_type")), 1e-9);
        assertEquals(0.9348837209302325, pairs.get(key("work_experience", "degree_type")), 1e-9);
        assertEquals(0.8393750143888287, r.quality(), 1e-9);
    }
}
