package dev.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    @Test
    void listPrintsTheCatalog() {
        assertEquals(0, Main.execute("datasets", "list"));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("NAME "), printed);
        assertTrue(printed.contains("banking77"), printed);
        assertTrue(printed.contains("tinyshakespeare "), printed);
        assertTrue(printed.contains("9 datasets."), printed);
        assertTrue(printed.contains("unverified = no SHA-256 is recorded yet"), "the list says what unverified means");
    }

    @Test
    void fetchFromALocalFileAndItsErrors() throws IOException {
        Path input = Files.writeString(dir.resolve("input.txt"), "First:\nSpeak.\n\nSecond:\nNo.\n");
        Path target = dir.resolve("tiny");
        // Not the real Tiny Shakespeare: the catalog's SHA-256 does not match, exit 2 and nothing written.
        assertEquals(2, Main.execute("datasets", "fetch", "tinyshakespeare", "--from", input.toString(),
                "--out", target.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("error: SHA-256 mismatch for " + input), err.toString());
        assertFalse(Files.exists(target));

        assertEquals(0, Main.execute("datasets", "fetch", "pride-and-prejudice", "--from", input.toString(),
                "--out", target.toString()));
        assertEquals("First:\nSpeak.\n\nSecond:\nNo.\n", Files.readString(target.resolve("text.txt")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(target.resolve("text.txt") + "  2 rows"),
                out.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("warning: unverified"), err.toString());

        assertEquals(2, Main.execute("datasets", "fetch", "bankin77"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("did you mean 'banking77'?"), err.toString());
        // --to is the old name of --out, still accepted
        assertEquals(3, Main.execute("datasets", "fetch", "banking77", "--from", dir.resolve("absent.csv").toString(),
                "--from", dir.resolve("absent2.csv").toString(), "--to", dir.resolve("b").toString()));
    }
}
