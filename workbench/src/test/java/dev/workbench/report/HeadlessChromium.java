package dev.workbench.report;

import org.junit.jupiter.api.Assumptions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Opens a page in Debian's headless {@code chromium} (which {@code .ci/run} installs): the DOM after loading, and the
 * console messages, which chromium writes to its log on stderr ({@code ...:CONSOLE:<line>] "message", source: ...}).
 * Tests skip (JUnit assumptions, with the reason) when chromium is absent, does not run, or does not log the console.
 */
final class HeadlessChromium {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern CONSOLE = Pattern.compile(":CONSOLE[(:]");
    private static final Pattern DATA_PNG = Pattern.compile(
            "<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" alt=\"([^\"]+)\"");

    /** The loaded page: its serialized DOM and every console message. */
    record Page(String dom, List<String> console) {
        /** Every inline PNG chart by its alt text, decoded (fails when one is not a readable PNG). */
        Map<String, BufferedImage> charts() throws Exception {
            Map<String, BufferedImage> out = new LinkedHashMap<>();
            Matcher img = DATA_PNG.matcher(dom);
            while (img.find()) {
                BufferedImage chart = ImageIO.read(new ByteArrayInputStream(
                        Base64.getDecoder().decode(img.group(1))));
                assertNotNull(chart, img.group(2) + " is not a readable PNG");
                out.put(img.group(2), chart);
            }
            return out;
        }
    }

    private HeadlessChromium() {
    }

    /**
     * Skips the calling test unless chromium is installed and its console check can fail: a probe page that logs an
     * error must show up in the messages.
     */
    static void assumeUsable(Path scratch) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed (" + CHROMIUM + ")");
        Path probe = Files.createTempFile(scratch, "probe", ".html");
        Files.writeString(probe, "<!DOCTYPE html><html><body><script>console.error('probe-error')</script></body>"
                + "</html>");
        Assumptions.assumeTrue(open(probe, scratch).console().stream().anyMatch(l -> l.contains("probe-error")),
                "this chromium does not log console messages to stderr; cannot check them");
    }

    static Page open(Path page, Path scratch) throws Exception {
        Path log = Files.createTempFile(scratch, "chromium", ".log");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + Files.createTempDirectory(scratch, "profile"), "--dump-dom",
                page.toUri().toString()).redirectError(log.toFile()).start();
        byte[] dom = p.getInputStream().readAllBytes();
        boolean ran = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(ran, "chromium did not run here: " + Files.readString(log));
        List<String> console = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (CONSOLE.matcher(line).find()) {
                console.add(line);
            }
        }
        return new Page(new String(dom, StandardCharsets.UTF_8), console);
    }
}
