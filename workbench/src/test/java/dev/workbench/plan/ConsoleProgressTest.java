package dev.workbench.plan;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The plain-line progress format and rate, on a clock the test moves (no timing). */
class ConsoleProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long nanos;

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void oneLineFormatWithElapsedAndEta() {
        assertEquals("synthesize ctgan: 150/300 steps (50%), elapsed 12 s, eta 12 s; generator 0.41",
                ConsoleProgress.line("synthesize ctgan", 150, 300, "steps", 12, 150, "generator 0.41"));
        assertEquals("evaluate: 0/7 parts (0%), elapsed 0.0 s, eta ?; language model",
                ConsoleProgress.line("evaluate", 0, 7, "parts", 0, 0, "language model"));
        assertEquals("finetune classifier: 1,200/1,200 steps (100%), elapsed 27 min 31 s, eta 0 s",
                ConsoleProgress.line("finetune classifier", 1200, 1200, "steps", 1651.1094, 1200, ""));
    }

    @Test
    void linesAtTheStartEveryTenthOfTheWorkAndTheEnd() {
        Progress progress = ConsoleProgress.lines(out, () -> nanos);
        try (Progress.Task task = progress.start("loop", 100, "steps")) {
            for (int step = 1; step <= 100; step++) {
                nanos += 1_000_000_000L; // one second a step
                task.update(step, "");
            }
        }
        List<String> lines = lines();
        assertEquals(11, lines.size(), String.join("\n", lines));
        assertEquals("loop: 1/100 steps (1%), elapsed 1.0 s, eta 1 min 39 s", lines.get(0));
        assertEquals("loop: 11/100 steps (11%), elapsed 11 s, eta 1 min 29 s", lines.get(1));
        assertEquals("loop: 100/100 steps (100%), elapsed 1 min 40 s, eta 0 s", lines.get(10));
    }

    @Test
    void aFastLoopPrintsAtMostEveryTwoSecondsAndASlowOneAtLeastEveryThirty() {
        Progress progress = ConsoleProgress.lines(out, () -> nanos);
        try (Progress.Task task = progress.start("fast", 1000, "steps")) {
            for (int step = 1; step <= 1000; step++) {
                nanos += 1_000_000L; // a millisecond a step: one second in all
                task.update(step, "");
            }
        }
        assertEquals(2, lines().size(), "first and last only: " + lines());
        bytes.reset();
        try (Progress.Task task = progress.start("slow", 1000, "steps")) {
            for (int step = 1; step <= 5; step++) {
                nanos += 31_000_000_000L; // 31 s a step, far less than a tenth of the work
                task.update(step, "");
            }
        }
        assertEquals(5, lines().size(), "never silent for more than 30 s: " + lines());
    }

    @Test
    void aResumedLoopEstimatesFromThisRunsStepsAndAStoppedOneSaysWhereItGot() {
        Progress progress = ConsoleProgress.lines(out, () -> nanos);
        try (Progress.Task task = progress.start("resumed", 90, 100, "steps")) {
            for (int step = 91; step <= 95; step++) {
                nanos += 2_000_000_000L;
                task.update(step, "loss 1.5");
            }
        }
        List<String> lines = lines();
        assertEquals("resumed: 91/100 steps (91%), elapsed 2.0 s, eta 18 s; loss 1.5", lines.get(0));
        assertEquals("resumed: 95/100 steps (95%), elapsed 10 s, eta 10 s; loss 1.5", lines.get(lines.size() - 1),
                "closing a task that stopped early prints its last position");
    }

    @Test
    void aStepThatReportsNothingForThirtySecondsGetsAHeartbeat() {
        Progress progress = ConsoleProgress.lines(out, () -> nanos);
        try (Progress.Task task = progress.start("evaluate", 7, "parts")) {
            task.update(1, "training baseline tfidf-logreg");
            ConsoleProgress.LineTask lineTask = (ConsoleProgress.LineTask) task;
            nanos += 20_000_000_000L;
            lineTask.heartbeat();
            assertEquals(1, lines().size(), "not yet: " + lines());
            nanos += 15_000_000_000L;
            lineTask.heartbeat();
            assertEquals(List.of("evaluate: 1/7 parts (14%), elapsed 0.0 s, eta 0.0 s; training baseline tfidf-logreg",
                    "evaluate: 1/7 parts (14%), elapsed 35 s, eta 3 min 30 s; training baseline tfidf-logreg"),
                    lines());
        }
    }

    @Test
    void durationsForPeople() {
        assertEquals("4.2 s", Durations.format(4.2));
        assertEquals("42 s", Durations.format(42.4));
        assertEquals("27 min 31 s", Durations.format(1651.1094));
        assertEquals("2 h 03 min", Durations.format(2 * 3600 + 3 * 60 + 10));
    }
}
