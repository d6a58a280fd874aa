package dev.workbench.cli;

import dev.workbench.data.Table;
import dev.workbench.store.AtomicDirectory;
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
        IndependentSynthesizer synthesizer = new IndependentSynthesizer(true);
        synthesizer.fit(table, TableProfiler.profile(table), 1);
        Path generator = dir.resolve("generator");
        synthesizer.save(generator);

        Path out = dir.resolve("out.csv");
        assertEquals(0, Main.execute("sample", generator.toString(), "--rows", "25", "--where", "readmitted=yes",
                "--seed", "3", "--output", out.toString()));
        Table sampled = SyntheticCsv.read(out);
        assertEquals(25, sampled.rows().size());
        assertTrue(sampled.rows().stream().allMatch(r -> r.get(1).equals("yes")));
        Path again = dir.resolve("again.csv");
        Main.execute("sample", generator.toString(), "--rows", "25", "--where", "readmitted=yes", "--seed", "3",
                "--output", again.toString());
        assertEquals(Files.readString(out), Files.readString(again), "same seed, same file");

        assertEquals(2, Main.execute("sample", generator.toString(), "--rows", "5", "--where", "readmitted",
                "--output", dir.resolve("x.csv").toString()), "malformed --where");
        assertEquals(2, Main.execute("sample", generator.toString(), "--rows", "5", "--where", "age=30",
                "--output", dir.resolve("x.csv").toString()), "numeric columns cannot be conditioned on");
        Files.delete(generator.resolve(AtomicDirectory.COMMIT_MARKER));
        assertEquals(2, Main.execute("sample", generator.toString(), "--rows", "5",
                "--output", dir.resolve("x.csv").toString()), "incomplete generator folder refused");
        assertEquals(Map.of("a", "b=c"), SampleCommand.parseConditions(List.of("a=b=c")));
    }
}
