package dev.workbench.eval.task;

import dev.workbench.data.TextHash;

import dev.workbench.eval.PairedTests;
import dev.workbench.eval.RunPairTests;
import dev.workbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** compare's task tests: paired by index and item hash, McNemar on 0/1 scores, refused when the items differ. */
class TaskRunPairsTest {
    @TempDir
    Path dir;

    static List<TaskRunner.ItemResult> items(String prefix, double[] exact, double[] rouge) {
        List<TaskRunner.ItemResult> out = new ArrayList<>();
        for (int i = 0; i < exact.length; i++) {
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put("exact_match", exact[i]);
            scores.put("rouge_l", rouge[i]);
            out.add(new TaskRunner.ItemResult(i, "f:" + (i + 1), TextHash.sha256(prefix + i), "p" + i, "t" + i,
                    List.of(), null, -1, "o", "a", scores));
        }
        return out;
    }

    @Test
    void pairsTheSameItemsAndRefusesOthers() throws IOException {
        Path first = dir.resolve("a");
        Path second = dir.resolve("b");
        Path other = dir.resolve("c");
        double[] e1 = {1, 0, 0, 1, 0, 0};
        double[] e2 = {1, 1, 1, 1, 0, 1};
        TaskEvaluation.writeItems(RunFolder.evalTaskItems(first, "finetuned", "t"), items("x", e1,
                new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}));
        TaskEvaluation.writeItems(RunFolder.evalTaskItems(second, "finetuned", "t"), items("x", e2,
                new double[] {0.2, 0.3, 0.4, 0.5, 0.6, 0.7}));
        TaskEvaluation.writeItems(RunFolder.evalTaskItems(other, "finetuned", "t"), items("y", e2,
                new double[] {0.2, 0.3, 0.4, 0.5, 0.6, 0.7}));

        List<RunPairTests.PairedTest> tests = TaskRunPairs.between("a", first, "b", second, 200, 1);
        assertEquals(2, tests.size());
        RunPairTests.PairedTest mcnemar = tests.get(0);
        assertEquals("task t", mcnemar.area());
        assertEquals("exact_match", mcnemar.metric());
        assertEquals(3L, mcnemar.onlyRunRight()); // items 1, 2, 5
        assertEquals(0L, mcnemar.onlyAgainstRight());
        assertEquals(PairedTests.mcnemarExact(3, 0), mcnemar.pValue(), 1e-12);
        assertEquals(0.5, mcnemar.difference(), 1e-12);
        RunPairTests.PairedTest bootstrap = tests.get(1);
        assertEquals("paired_bootstrap", bootstrap.test());
        assertEquals(0.1, bootstrap.difference(), 1e-12);
        assertEquals(0.1, bootstrap.ciLow(), 1e-9); // every item moved by exactly 0.1
        assertNull(bootstrap.refused());

        List<RunPairTests.PairedTest> refused = TaskRunPairs.between("a", first, "c", other, 200, 1);
        assertEquals("same item count but different items on 6 of 6 (prompt or target differ)",
                refused.get(0).refused());
    }
}
