package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.eval.FixtureRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report, compare and evaluate-synthetic commands through {@link Main#execute}. */
class ReportCommandsTest {

    /** Runs the CLI with stdout/stderr captured; returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Object[]{code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void reportRebuildsFromARunFolder(@TempDir Path dir) throws Exception {
        FixtureRun run = FixtureRun.create(dir.resolve("run"), 0);
        Path out = dir.resolve("out");
        Object[] r = run("report", run.folder.toString(), "--out", out.toString(), "--format", "markdown,json");
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(Files.exists(out.resolve("report.md")));
        assertTrue(Files.exists(out.resolve("report.json")));
        assertTrue(((String) r[1]).contains("report.md"));
        Object[] bad = run("report", dir.resolve("missing").toString());
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("not a run folder"), (String) bad[2]);
    }

    @Test
    void compareTwoFixtureRuns(@TempDir Path dir) throws Exception {
        FixtureRun a = FixtureRun.create(dir.resolve("a"), 0);
        FixtureRun b = FixtureRun.create(dir.resolve("b"), 1);
        Object[] md = run("compare", a.folder.toString(), b.folder.toString(), "--out",
                dir.resolve("cmp").toString());
        assertEquals(0, md[0], (String) md[2]);
        // fixture: validation loss 2.1 in A, 2.0 in B (lower is better): B is best, delta -0.1
        assertTrue(((String) md[1]).contains("| finetune | medical/text | validation | finetuned | loss ↓ | 2.1 | **2** | -0.1 |"),
                (String) md[1]);
        assertTrue(Files.isRegularFile(dir.resolve("cmp/compare.html")));
        Object[] json = run("compare", a.folder.toString(), b.folder.toString(), "--json");
        JsonNode root = new ObjectMapper().readTree((String) json[1]);
        assertEquals("20261129-090000-abc120", root.get("run_a").asText());
        assertEquals("b", root.get("entries").get(0).get("better").asText());
    }

    @Test
    void evaluateSyntheticOnTwoFiles(@TempDir Path dir) throws Exception {
        Path real = dir.resolve("real.csv");
        Path syn = dir.resolve("syn.csv");
        Files.writeString(real, table(new Random(1), 90));
        Files.writeString(syn, table(new Random(2), 60));
        Object[] md = run("evaluate-synthetic", real.toString(), syn.toString(), "--target", "label");
        assertEquals(0, md[0], (String) md[2]);
        assertTrue(((String) md[1]).contains("| quality_score (every pair) |"), (String) md[1]);
        assertTrue(((String) md[1]).contains("tstr_accuracy (boosted_trees, label; holdout)"), (String) md[1]);
        assertTrue(((String) md[1]).contains("tstr_accuracy_logistic (logistic_regression, label; holdout)"),
                (String) md[1]);
        assertTrue(((String) md[1]).contains("optimistic"), (String) md[1]);
        Object[] json = run("evaluate-synthetic", real.toString(), syn.toString(), "--json");
        JsonNode root = new ObjectMapper().readTree((String) json[1]);
        // Same generator, different seeds: shapes close to 1, detection close to chance.
        assertTrue(root.get("column_shapes").asDouble() > 0.7, (String) json[1]);
        assertEquals(90, root.get("real_rows").asInt(), "shapes against the whole real file");
        assertEquals(27, root.get("holdout_rows").asInt(), "30 % of 90 rows are the holdout");
        Object[] bad = run("evaluate-synthetic", real.toString(), syn.toString(), "--target", "nope");
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("real.csv:1: no target column 'nope'"), (String) bad[2]);
    }

    private static String table(Random random, int n) {
        StringBuilder s = new StringBuilder("x,y,colour,label\n");
        for (int i = 0; i < n; i++) {
            double x = random.nextGaussian();
            double y = 2 * x + random.nextGaussian() * 0.5;
            String colour = new String[]{"red", "green", "blue"}[random.nextInt(3)];
            s.append(String.format(Locale.ROOT, "%.3f,%.3f,%s,%s%n", x, y, colour, x > 0 ? "pos" : "neg"));
        }
        return s.toString();
    }
}
