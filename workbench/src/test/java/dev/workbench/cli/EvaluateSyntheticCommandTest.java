package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code evaluate-synthetic} with --real/--synthetic, --holdout, --metadata and --out, through {@link Main#execute}. */
class EvaluateSyntheticCommandTest {
    private static final String HEADER = "id,age,code,sex,d,ok\n";
    /** Real "training" rows: code takes 1, 2 and 3, so without metadata it is a categorical code (profiler rule). */
    private static final String REAL = HEADER
            + "1,30,1,f,2020-01-01,true\n2,41,2,m,2020-01-02,false\n3,52,3,f,2020-01-03,true\n"
            + "4,33,1,m,2020-01-01,false\n5,47,2,f,2020-01-02,true\n6,58,3,m,2020-01-03,false\n"
            + "7,36,1,f,2020-01-01,true\n8,44,2,m,2020-01-02,false\n9,55,3,f,2020-01-03,true\n";
    /** Holdout: code 1,1,2,2,3,3; d two days, three rows each. */
    private static final String HOLDOUT = HEADER
            + "10,31,1,f,2020-01-01,true\n11,42,1,m,2020-01-01,false\n12,53,2,f,2020-01-01,true\n"
            + "13,34,2,m,2020-01-02,false\n14,45,3,f,2020-01-02,true\n15,56,3,m,2020-01-02,false\n";
    /** Synthetic: code 1,1,1,3,3,3; d all on the first day. */
    private static final String SYNTHETIC = HEADER
            + "20,32,1,f,2020-01-01,true\n21,43,1,m,2020-01-01,false\n22,54,1,f,2020-01-01,true\n"
            + "23,35,3,m,2020-01-01,false\n24,46,3,f,2020-01-01,true\n25,57,3,m,2020-01-01,false\n";
    private static final String METADATA = """
            {"METADATA_SPEC_VERSION": "SINGLE_TABLE_V1",
             "columns": {"id": {"sdtype": "id"}, "age": {"sdtype": "numerical"}, "code": {"sdtype": "categorical"},
                         "sex": {"sdtype": "categorical"}, "d": {"sdtype": "datetime", "datetime_format": "%Y-%m-%d"},
                         "ok": {"sdtype": "boolean"}},
             "primary_key": "id"}
            """;

    private record Files3(Path real, Path holdout, Path synthetic, Path metadata) {
    }

    private static Files3 write(Path dir, String metadata) throws Exception {
        Path real = Files.writeString(dir.resolve("real.csv"), REAL);
        Path holdout = Files.writeString(dir.resolve("holdout.csv"), HOLDOUT);
        Path syn = Files.writeString(dir.resolve("syn.csv"), SYNTHETIC);
        Path meta = Files.writeString(dir.resolve("meta.json"), metadata);
        return new Files3(real, holdout, syn, meta);
    }

    private static JsonNode json(Object[] result) throws Exception {
        assertEquals(0, result[0], (String) result[2]);
        return new ObjectMapper().readTree((String) result[1]);
    }

    private static JsonNode column(JsonNode root, String name) {
        for (JsonNode c : root.get("columns")) {
            if (c.get("column").asText().equals(name)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void metadataDropsIdsAndSetsKinds(@TempDir Path dir) throws Exception {
        Files3 f = write(dir, METADATA);
        JsonNode inferred = json(ReportCommandsTest.run("evaluate-synthetic", "--real", f.real().toString(),
                "--synthetic", f.synthetic().toString(), "--holdout", f.holdout().toString(), "--json"));
        JsonNode typed = json(ReportCommandsTest.run("evaluate-synthetic", "--real", f.real().toString(),
                "--synthetic", f.synthetic().toString(), "--holdout", f.holdout().toString(), "--metadata",
                f.metadata().toString(), "--json"));
        // Inferred by the profiler's rule: id, age (9 distinct whole numbers each: at most 10 levels) and code are
        // categorical codes; d (ISO dates) is a datetime, so numeric.
        assertEquals("tv_complement", column(inferred, "id").get("metric").asText());
        assertEquals("tv_complement", column(inferred, "code").get("metric").asText());
        assertEquals("ks_complement", column(inferred, "d").get("metric").asText());
        assertEquals("categorical", inferred.get("column_types").get("code").asText());
        assertEquals("numeric", inferred.get("column_types").get("d").asText());
        // Hand-computed against the WHOLE real file, code {1:3, 2:3, 3:3} vs synthetic {1:3, 3:3}:
        // TV = (|3/9-3/6| + |3/9-0| + |3/9-3/6|) / 2 = 1/3 -> 2/3.
        assertEquals(2.0 / 3, column(inferred, "code").get("score").asDouble(), 1e-12);
        assertEquals(null, column(typed, "id"), "id (primary key, sdtype id) is dropped");
        assertEquals("tv_complement", column(typed, "code").get("metric").asText());
        assertEquals(2.0 / 3, column(typed, "code").get("score").asDouble(), 1e-12);
        // datetime -> numeric: real days {1st: 3, 2nd: 3, 3rd: 3} vs synthetic {1st: 6}: KS = 1 - 1/3 -> 1/3.
        assertEquals("ks_complement", column(typed, "d").get("metric").asText());
        assertEquals(1.0 / 3, column(typed, "d").get("score").asDouble(), 1e-12);
        assertEquals("tv_complement", column(typed, "ok").get("metric").asText());
        for (JsonNode p : typed.get("pairs")) {
            assertFalse(p.get("column_a").asText().equals("id") || p.get("column_b").asText().equals("id"));
        }
    }

    @Test
    void badMetadataIsInvalidInput(@TempDir Path dir) throws Exception {
        Files3 f = write(dir, METADATA.replace("\"sdtype\": \"boolean\"", "\"sdtype\": \"text\""));
        Object[] unknown = ReportCommandsTest.run("evaluate-synthetic", "--real", f.real().toString(), "--synthetic",
                f.synthetic().toString(), "--metadata", f.metadata().toString());
        assertEquals(2, unknown[0]);
        assertTrue(((String) unknown[2]).contains("columns.ok.sdtype 'text'"), (String) unknown[2]);

        Files.writeString(f.metadata(), METADATA.replace("\"sex\":", "\"gender\":"));
        Object[] missing = ReportCommandsTest.run("evaluate-synthetic", "--real", f.real().toString(), "--synthetic",
                f.synthetic().toString(), "--metadata", f.metadata().toString());
        assertEquals(2, missing[0]);
        assertTrue(((String) missing[2]).contains("columns.gender is not a column of"), (String) missing[2]);

        Object[] both = ReportCommandsTest.run("evaluate-synthetic", f.real().toString(), f.synthetic().toString(),
                "--real", f.real().toString());
        assertEquals(2, both[0]);
    }

    @Test
    void holdoutReplacesTheSplit(@TempDir Path dir) throws Exception {
        Files3 f = write(dir, METADATA);
        JsonNode split = json(ReportCommandsTest.run("evaluate-synthetic", "--real", f.real().toString(),
                "--synthetic", f.synthetic().toString(), "--json"));
        assertEquals(9, split.get("real_rows").asInt(), "shapes and trends: the whole real file");
        assertEquals(3, split.get("holdout_rows").asInt(), "30 % of 9 real rows");
        assertEquals("split_of_real", split.get("holdout").asText());
        assertEquals("whole_real_table", split.get("basis").get("quality_score").asText());
        assertEquals("split_of_real", split.get("basis").get("efficacy").asText());
        assertTrue(split.get("notes").get(0).asText().contains("optimistic"), split.get("notes").toString());
        // A true holdout: TSTR/detection/DCR use it, no optimism note; shapes still against the whole real file.
        JsonNode held = json(ReportCommandsTest.run("evaluate-synthetic", "--real", f.real().toString(),
                "--synthetic", f.synthetic().toString(), "--holdout", f.holdout().toString(), "--metadata",
                f.metadata().toString(), "--json"));
        assertEquals(9, held.get("real_rows").asInt());
        assertEquals(6, held.get("holdout_rows").asInt());
        assertEquals("true_holdout", held.get("holdout").asText());
        assertEquals(0, held.get("notes").size());
        // The synthetic file as the real one: every column and pair distribution matches exactly.
        JsonNode same = json(ReportCommandsTest.run("evaluate-synthetic", "--real", f.synthetic().toString(),
                "--synthetic", f.synthetic().toString(), "--holdout", f.holdout().toString(), "--metadata",
                f.metadata().toString(), "--json"));
        assertEquals(1.0, same.get("column_shapes").asDouble(), 1e-12);
        assertEquals(1.0, same.get("quality_score").asDouble(), 1e-12);
    }

    @Test
    void outWritesTheThreeReportFiles(@TempDir Path dir) throws Exception {
        Files3 f = write(dir, METADATA);
        Path out = dir.resolve("out/nested");
        Object[] r = ReportCommandsTest.run("evaluate-synthetic", "--real", f.real().toString(), "--synthetic",
                f.synthetic().toString(), "--holdout", f.holdout().toString(), "--metadata", f.metadata().toString(),
                "--target", "sex", "--out", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("wrote " + out.resolve("report.json")), (String) r[1]);
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(1, report.get("schema_version").asInt());
        List<String> keys = new ArrayList<>();
        for (JsonNode row : report.get("metrics")) {
            keys.add(row.get("subject").asText() + "/" + row.get("metric").asText());
        }
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(null);
        assertEquals(sorted, keys, "rows sorted by subject, then metric");
        assertTrue(keys.contains("syn/quality_score") && keys.contains("syn/tstr_accuracy")
                && keys.contains("real/trtr_accuracy"), keys.toString());
        JsonNode synthetic = new ObjectMapper().readTree(out.resolve("synthetic.json").toFile());
        assertEquals(6, synthetic.get("syn").get("synthetic_rows").asInt());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| syn | quality_score ↑ |"), md);
        assertTrue(md.contains("| code | categorical | tv_complement | 0.6667 |"), md);
        assertTrue(md.contains("## Column pair trends"), md);
    }

    /**
     * SDMetrics' demo through the command, V1 metadata ({@code tables}), no holdout: the QualityReport figures equal
     * SDMetrics' (scripts/sdmetrics_reference.py) within 0.002 in both modes, with its own binning (own_edges) and,
     * by default, with shared real edges against SDMetrics' metric classes.
     */
    @Test
    void sdmetricsDemoWithV1MetadataGivesSdmetricsQualityReportValues() throws Exception {
        Path dir = Path.of(getClass().getResource("/sdmetrics-demo/metadata.json").toURI()).getParent();
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("sdmetrics_expected.json").toFile()).get("modes");
        String[] base = {"evaluate-synthetic", "--real", dir.resolve("student_placements_real.csv").toString(),
                "--synthetic", dir.resolve("student_placements_synthetic.csv").toString(), "--metadata",
                dir.resolve("metadata.json").toString(), "--json"};
        JsonNode own = json(ReportCommandsTest.run(concat(base, "--pair-binning", "own_edges")));
        JsonNode all = expected.get("all_pairs").get("quality_report");
        JsonNode strong = expected.get("thresholded").get("quality_report");
        assertEquals(all.get("column_shapes").asDouble(), own.get("column_shapes").asDouble(), 0.002);
        assertEquals(all.get("column_pair_trends").asDouble(), own.get("column_pair_trends").asDouble(), 0.002);
        assertEquals(all.get("score").asDouble(), own.get("quality_score").asDouble(), 0.002);
        assertEquals(strong.get("column_pair_trends").asDouble(),
                own.get("column_pair_trends_thresholded").asDouble(), 0.002);
        assertEquals(strong.get("score").asDouble(), own.get("quality_score_thresholded").asDouble(), 0.002);
        assertEquals("own_edges", own.get("pair_binning").asText());
        JsonNode shared = json(ReportCommandsTest.run(base));
        assertEquals("real_edges", shared.get("pair_binning").asText());
        assertEquals(expected.get("all_pairs").get("real_edges").get("column_pair_trends").asDouble(),
                shared.get("column_pair_trends").asDouble(), 0.002);
        assertEquals(expected.get("thresholded").get("real_edges").get("column_pair_trends").asDouble(),
                shared.get("column_pair_trends_thresholded").asDouble(), 0.002);
        Object[] bad = ReportCommandsTest.run(concat(base, "--pair-binning", "nearest"));
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("--pair-binning: unknown pair binning 'nearest'"), (String) bad[2]);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
