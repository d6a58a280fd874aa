package dev.workbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code workbench tasks run} on the shipped base, against itself: identical scores, p = 1; bad files refused first. */
class TasksCommandTest {
    static final String MICRO = RecipeCommandsTest.repoRoot().resolve("models/general-micro").toString();
    static final Path CAPITALS = Path.of("src/test/resources/dev/workbench/eval/task/capitals.yaml");

    @TempDir
    Path dir;

    @Test
    void scoresACheckpointAgainstABaseOnTheSameItems() throws IOException {
        RecipeCommandsTest.Result r = RecipeCommandsTest.run("tasks", "run", MICRO, "--base", MICRO, "--task",
                CAPITALS.toString(), "--limit", "3", "--out", dir.toString(), "--bootstrap-samples", "50");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("task "), r.out() + "\nerr: " + r.err());
        String base = lines.stream().filter(l -> l.startsWith("capitals") && l.contains(" base ")
                && l.contains(" acc ")).findFirst().orElseThrow();
        String tuned = lines.stream().filter(l -> l.startsWith("capitals") && l.contains(" finetuned ")
                && l.contains(" acc ")).findFirst().orElseThrow();
        assertEquals(base.replace(" base     ", ""), tuned.replace(" finetuned", ""), "the same model twice");
        assertTrue(base.endsWith("3"), base);
        assertTrue(r.out().contains("capitals acc: finetuned - base = +0.0000"), r.out());
        assertTrue(r.out().contains("mcnemar_exact p = 1.000 (Holm within the task 1.000)"), r.out());
        for (String model : List.of("base", "finetuned")) {
            assertEquals(3, Files.readAllLines(dir.resolve("eval/tasks/" + model + "/capitals.jsonl")).size());
        }
    }

    @Test
    void aBadTaskFileIsRefusedWithItsPosition() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "task: x\ndataset_path: nope.jsonl\noutput_type: generate_until\n"
                + "doc_to_text: q\ndoc_to_target: a\n");
        RecipeCommandsTest.Result r = RecipeCommandsTest.run("tasks", "run", MICRO, "--task", bad.toString(),
                "--out", dir.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains(bad + ":2:15: error: dataset_path: no such file"), r.err());
    }
}
