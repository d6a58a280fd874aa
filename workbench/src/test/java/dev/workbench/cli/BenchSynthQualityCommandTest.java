package dev.workbench.cli;

import dev.workbench.bench.BenchTables;
import dev.workbench.synth.SyntheticCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchSynthQualityCommandTest {

    private static Object[] run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "bench";
        all[1] = "synth-quality";
        System.arraycopy(args, 0, all, 2, args.length);
        return ReportCommandsTest.run(all);
    }

    /** The two fast baselines on a small generated table, split 70/30, no scikit-learn reference. */
    @Test
    void scoresEachMethodAndTheRealCeiling(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("table.csv");
        SyntheticCsv.write(csv, BenchTables.generated(300, 1));
        Object[] r = run("--train", csv.toString(), "--target", "readmitted", "--methods", "independent,gaussian-copula",
                "--train-rows", "150", "--test-rows", "60", "--no-reference");
        assertEquals(0, r[0], (String) r[2]);
        String text = (String) r[1];
        assertTrue(text.contains("150 training rows, 60 unseen rows (30 % split)"), text);
        assertTrue(text.contains("\n| independent | 0.") && text.contains("\n| gaussian-copula | 0."), text);
        assertTrue(text.contains("| boosted trees (Tribuo XGBoost, 100 rounds, depth 6) | 0."), text);
        assertTrue(text.contains("| logistic regression (Tribuo SGD) | 0."), text);
        Object[] bad = run("--train", csv.toString(), "--target", "nope", "--methods", "independent",
                "--no-reference");
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("--target nope is not a column of"), (String) bad[2]);
    }
}
