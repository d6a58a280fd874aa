package dev.workbench.cli;

import dev.workbench.bench.BenchTables;
import dev.workbench.synth.SyntheticCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchSynthEvidenceCommandTest {

    /** The two closed-form baselines on a small generated table: one row of scores each, and the dumped files. */
    @Test
    void scoresEachMethodAndDumpsItsTableAndGenerator(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("table.csv");
        SyntheticCsv.write(csv, BenchTables.generated(200, 1));
        Path dump = dir.resolve("dump");
        Object[] r = ReportCommandsTest.run("bench", "synth-evidence", "--table", csv.toString(), "--methods",
                "independent,gaussian-copula", "--dump", dump.toString());
        assertEquals(0, r[0], (String) r[2]);
        String text = (String) r[1];
        assertTrue(text.contains("table: table.csv, 200 rows;"), text);
        assertTrue(text.contains("\n| independent | 0.") && text.contains("\n| gaussian-copula | 0."), text);
        for (String method : new String[] {"independent", "gaussian-copula"}) {
            assertTrue(Files.isRegularFile(dump.resolve(method + ".csv")), method);
            assertTrue(Files.isDirectory(dump.resolve(method)), method);
        }
    }
}
