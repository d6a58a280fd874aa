package dev.workbench.eval;

import dev.workbench.plan.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluate stage reports each of its parts, counted up front, so a long evaluation is never silent. */
class EvaluateProgressTest {

    @Test
    void everyPartIsAnnouncedAgainstATotalKnownUpFront(@TempDir Path dir) throws Exception {
        FixtureRun run = FixtureRun.create(dir.resolve("run"), 0);
        List<String> seen = new ArrayList<>();
        long[] totals = new long[1];
        boolean[] closed = new boolean[1];
        Progress recording = (name, alreadyDone, total, unit) -> {
            totals[0] = total;
            seen.add("start " + name + " " + total + " " + unit);
            return new Progress.Task() {
                @Override
                public void update(long done, String detail) {
                    seen.add(done + " " + detail);
                }

                @Override
                public void close() {
                    closed[0] = true;
                }
            };
        };
        EvaluateStage.evaluate(run.folder, run.settings(), run.data, new PrintStream(PrintStream.nullOutputStream()),
                recording);
        assertEquals("start evaluate " + totals[0] + " parts", seen.get(0));
        assertEquals("0 language model", seen.get(1));
        assertTrue(seen.contains("1 training baseline majority"), seen.toString());
        assertTrue(seen.contains("2 training baseline tfidf-logreg"), seen.toString());
        assertEquals(totals[0] + " done", seen.get(seen.size() - 1), seen.toString());
        assertEquals(totals[0] + 1, seen.size() - 1, "one announcement per counted part, then done: " + seen);
        assertTrue(closed[0]);
    }
}
