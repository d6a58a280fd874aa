package dev.workbench.cli;

import dev.workbench.store.RunStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code workbench run} as separate JVMs, the way two terminals run it: a second process resuming a run the first is
 * still writing is refused with exit 6 and the first one's PID; Ctrl-C (a real SIGINT) ends the first with exit 130,
 * the resume command on stderr, and a manifest that says interrupted.
 */
@Tag("slow")
class RunProcessesTest {
    private static final Pattern RUN_LINE = Pattern.compile("^run (\\S+): .*\\.partial$");

    @TempDir
    Path dir;

    private Process start(Path recipe, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-DOPT_OUT_TRACKING=true", "-DDJL_DISABLE_PROGRESS_BAR=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                Main.class.getName(), "run", recipe.toString(), "--runs", dir.resolve("runs").toString(),
                "--reports", dir.resolve("reports").toString()));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("CI", "true");
        return builder.start();
    }

    /** Whether process {@code pid} ignores SIGINT (Linux: bit 2 of the SigIgn mask in /proc/PID/status). */
    private static boolean ignoresSigint(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    /** Every output line of {@code process}, as they come. */
    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    @Test
    void aSecondWriterIsRefusedWithTheHoldersPidAndCtrlCLeavesTheRunResumable() throws Exception {
        StringBuilder table = new StringBuilder("a,b\n");
        for (int i = 1; i <= 40; i++) {
            table.append(i).append(i % 2 == 0 ? ",y\n" : ",x\n"); // distinct rows: the split keeps a test row
        }
        Files.writeString(dir.resolve("table.csv"), table);
        Path recipe = dir.resolve("long.yaml");
        Files.writeString(recipe, """
                name: long
                seed: 5
                corpus: {table: {path: table.csv}}
                split: {method: random}
                synthesize:
                  methods: [ctgan]
                  steps: 100000000
                  batch_size: 8
                  pac: 1
                  generator_dims: [8]
                  critic_dims: [8]
                report: {formats: [json]}
                """);
        Process first = start(recipe);
        try {
            BlockingQueue<String> out = lines(first);
            String runId = null;
            List<String> seen = new ArrayList<>();
            for (String line; (line = out.poll(120, TimeUnit.SECONDS)) != null; ) {
                seen.add(line);
                Matcher m = RUN_LINE.matcher(line);
                if (m.matches()) {
                    runId = m.group(1);
                }
                if (line.startsWith("synthesize ctgan: ")) {
                    break; // training, with the run folder locked
                }
            }
            assertNotNull(runId, "the first run started: " + seen);
            assertTrue(seen.get(seen.size() - 1).startsWith("synthesize ctgan: "), "training started: " + seen);

            Process second = start(recipe, "--resume", runId);
            BlockingQueue<String> secondOut = lines(second);
            assertTrue(second.waitFor(120, TimeUnit.SECONDS));
            List<String> secondLines = new ArrayList<>();
            secondOut.drainTo(secondLines);
            String secondText = String.join("\n", secondLines);
            assertEquals(6, second.exitValue(), secondText);
            assertTrue(secondText.contains("run " + runId + " is being written by process " + first.pid()),
                    secondText);

            // A child inherits an ignored SIGINT (a suite started in the background or under nohup), and the JVM then
            // installs no handler: Ctrl-C cannot be tested from such a suite.
            assumeFalse(ignoresSigint(first.pid()), "SIGINT is ignored by this test run (started in the background"
                    + " or under nohup) and so by its child; run the suite in the foreground to test Ctrl-C");
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(first.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "SIGINT ends the run");
            assertEquals(130, first.exitValue());
            Thread.sleep(200); // the reader thread's last lines
            List<String> rest = new ArrayList<>();
            out.drainTo(rest);
            assertTrue(rest.contains("interrupted; resume with: workbench run " + recipe + " --resume " + runId
                    + " --runs " + dir.resolve("runs") + " --reports " + dir.resolve("reports")), String.join("\n", rest));

            RunStore.RunEntry entry = new RunStore(dir.resolve("runs")).find(runId).orElseThrow();
            assertFalse(entry.complete());
            assertEquals("interrupted", entry.status());
        } finally {
            first.destroyForcibly();
        }
    }
}
