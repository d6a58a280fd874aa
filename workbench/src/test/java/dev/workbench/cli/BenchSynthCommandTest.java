package dev.workbench.cli;

import dev.workbench.bench.BenchTables;
import dev.workbench.synth.SyntheticCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchSynthCommandTest {
    /** A table row: "| figure | DJL figure | reference | ratio |". */
    private static final Pattern ROW = Pattern.compile("\\| (.+?) \\| ([0-9.]+) \\| (.+?) \\| (.+?) \\|");

    /** A tiny run on the generated table (written to a CSV so Adult, when present, is not picked up). */
    private static String run(Path dir, String method) throws Exception {
        Path csv = dir.resolve("table.csv");
        SyntheticCsv.write(csv, BenchTables.generated(120, 1));
        StringWriter text = new StringWriter();
        int code = new CommandLine(new BenchSynthCommand()).setOut(new PrintWriter(text, true)).execute(
                "--method", method, "--data", csv.toString(), "--steps", "3", "--warmup", "1", "--batch-size", "40",
                "--sample-rows", "100", "--no-reference");
        assertEquals(0, code, text.toString());
        return text.toString();
    }

    private static double figure(String output, String figure) {
        Matcher matcher = ROW.matcher(output);
        while (matcher.find()) {
            if (matcher.group(1).equals(figure)) {
                assertEquals("-", matcher.group(3), "no reference was run");
                assertEquals("-", matcher.group(4));
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no row '" + figure + "' in:\n" + output);
    }

    @Test
    void tvaeTimesStepsAndSamplingOnDjl(@TempDir Path dir) throws Exception {
        String output = run(dir, "tvae");
        assertTrue(output.contains("120 rows x 7 columns"), output);
        assertTrue(output.contains("TVAE embedding 128, encoder (128, 128), decoder (128, 128)"), output);
        assertTrue(output.contains("PyTorch reference (not run)"), output);
        // TVAE's batch is batch_size capped by the rows (no pac rounding)
        assertTrue(figure(output, "TVAE train steps/s (batch 40)") > 0, output);
        assertTrue(figure(output, "sampling rows/s") > 0, output);
    }

    @Test
    void ctganStaysTheDefaultMethod(@TempDir Path dir) throws Exception {
        String output = run(dir, "ctgan");
        assertTrue(output.contains("pac 10, G/D (256, 256)"), output);
        assertTrue(figure(output, "CTGAN train steps/s (batch 40)") > 0, output);
        assertTrue(figure(output, "sampling rows/s") > 0, output);
    }
}
