package dev.workbench.cli;

import dev.workbench.data.Table;
import dev.workbench.store.AtomicDirectory;
import dev.workbench.synth.BaselineConfig;
import dev.workbench.synth.IndependentSynthesizer;
import dev.workbench.synth.SyntheticCsv;
import dev.workbench.synth.TableProfiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleCommandTest {

    @Test
    void samplesFromAGeneratorFolderWithConditions(@TempDir Path dir) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(List.of(Integer.toString(20 + i), i % 3 == 0 ? "yes" : "no"));
        }
        Table table = new Table(List.of("age", "readmitted"), rows);
        IndependentSynthesizer synthesizer = new IndependentSynthesizer(new BaselineConfig(true));
        synthesizer.fit(table, TableProfiler.profile(table), 1);
        Path generator = dir.resolve("generator");
        synthesizer.save(generator);

        Path out = dir.resolve("out.csv");
        assertEquals(0, Main.execute("sample", generator.toString(), "--rows", "25", "--where", "readmitted=yes",
                "--seed", "3", "--out", out.toString()));
        Table sampled = SyntheticCsv.read(out);
        assertEquals(25, sampled.rows().size());
        assertTrue(sampled.rows().stream().allMatch(r -> r.get(1).equals("yes")));
        Path again = dir.resolve("again.csv");
        Main.execute("sample", generator.toString(), "--rows", "25", "--where", "readmitted=yes", "--seed", "3",
                "--out", again.toString());
        assertEquals(Files.readString(out), Files.readString(again), "same seed, same file");

        assertEquals(2, Main.execute("sample", generator.toString(), "--rows", "5", "--where", "readmitted",
                "--out", dir.resolve("x.csv").toString()), "malformed --where");
        assertEquals(2, Main.execute("sample", generator.toString(), "--rows", "5", "--where", "age=30",
                "--out", dir.resolve("x.csv").toString()), "numeric columns cannot be conditioned on");
        Files.delete(generator.resolve(AtomicDirectory.COMMIT_MARKER));
        assertEquals(2, Main.execute("sample", generator.toString(), "--rows", "5",
                "--out", dir.resolve("x.csv").toString()), "incomplete generator folder refused");
        assertEquals(Map.of("a", "b=c"), SampleCommand.parseConditions(List.of("a=b=c")));
    }

    @Test
    void checkpointOptionTakesAGeneratorOrARunFolderAndWritesToStandardOutput(@TempDir Path dir) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(List.of(Integer.toString(20 + i), i % 4 == 0 ? "yes" : "no"));
        }
        Table table = new Table(List.of("age", "readmitted"), rows);
        IndependentSynthesizer synthesizer = new IndependentSynthesizer(new BaselineConfig(true));
        synthesizer.fit(table, TableProfiler.profile(table), 1);
        Path run = dir.resolve("run");
        Path generator = run.resolve("synthetic/independent/generator");
        synthesizer.save(generator);

        Path viaFolder = dir.resolve("folder.csv");
        assertEquals(0, Main.execute("sample", "--checkpoint", generator.toString(), "--rows", "12", "--seed", "5",
                "--where", "readmitted=no", "--out", viaFolder.toString()));
        Path viaRun = dir.resolve("run.csv");
        assertEquals(0, Main.execute("sample", "--checkpoint", run.toString(), "--method", "independent", "--rows",
                "12", "--seed", "5", "--where", "readmitted=no", "--output", viaRun.toString()));
        assertEquals(Files.readString(viaFolder), Files.readString(viaRun), "run folder + --method = that generator");

        String stdout = captureStdout(() -> assertEquals(0, Main.execute("sample", "--checkpoint",
                generator.toString(), "--rows", "12", "--seed", "5", "--where", "readmitted=no")));
        assertEquals(Files.readString(viaFolder), stdout, "without --out the CSV goes to standard output alone");

        // the run has no ctgan generator: refused, naming what it has
        assertEquals(2, Main.execute("sample", "--checkpoint", run.toString(), "--rows", "3"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.workbench.recipe.WorkbenchException.class,
                () -> dev.workbench.synth.GeneratorCheckpoint.resolve(run, java.util.Optional.empty())).getMessage()
                .contains("it has independent"));
        assertEquals(2, Main.execute("sample", "--checkpoint", generator.toString(), "--method", "ctgan",
                "--rows", "3"), "a generator folder of another method");
        assertEquals(2, Main.execute("sample", "--rows", "3"), "no checkpoint at all");
    }

    private static String captureStdout(Runnable action) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
