package dev.workbench.report;

import org.junit.jupiter.api.Assumptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * Opens a page in Debian's headless {@code chromium} (which {@code .ci/run} installs): the DOM after loading, and the
 * console messages, which chromium writes to its log on stderr ({@code ...:CONSOLE:<line>] "message", source: ...}).
 * Tests skip (JUnit assumptions, with the reason) when chromium is absent, does not run, or does not log the console.
 */
final class HeadlessChromium {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern CONSOLE = Pattern.compile(":CONSOLE[(:]");
    private static final Pattern INLINE_SVG = Pattern.compile(
            "<figure class=\"chart\" id=\"chart-([^\"]+)\">\\s*<svg [^>]*viewBox=\"0 0 (\\d+) (\\d+)\"");

    /** The loaded page: its serialized DOM and every console message. */
    record Page(String dom, List<String> console) {
        /** Every inline SVG chart by its figure id (without {@code chart-}): its width and height in px. */
        Map<String, int[]> charts() {
            Map<String, int[]> out = new LinkedHashMap<>();
            Matcher svg = INLINE_SVG.matcher(dom);
            while (svg.find()) {
                out.put(svg.group(1), new int[] {Integer.parseInt(svg.group(2)), Integer.parseInt(svg.group(3))});
            }
            return out;
        }
    }

    private HeadlessChromium() {
    }

    /** Viewport of the layout checks: a laptop-width window. */
    static final int WIDTH = 1400;
    static final int HEIGHT = 1000;

    /**
     * Where the page's pieces land in a {@link #WIDTH}-px window, every {@code <details>} opened: the page height,
     * the top of the element with id {@code summary} (or of {@code topId}), the number of chart tick labels
     * ({@code text.x-label}, {@code text.y-label} inside {@code svg.chart}), and every pair of labels of one axis of
     * one chart whose boxes (from {@code getBoundingClientRect}, as the browser laid the text out) overlap.
     */
    record Layout(double width, double height, double closedHeight, double topOf, int labels, List<String> overlaps) {
    }

    /** The probe: runs in a copy of the page (the report itself has no script) and writes its findings as JSON. */
    private static final String PROBE = """
            <script>
            (() => {
              const closedHeight = document.documentElement.scrollHeight;
              const top = document.getElementById('%s');
              const topOf = top ? top.getBoundingClientRect().top : -1;
              document.querySelectorAll('details').forEach(d => d.open = true);
              const result = {width: document.documentElement.clientWidth,
                height: document.documentElement.scrollHeight, closedHeight, topOf, labels: 0, overlaps: []};
              document.querySelectorAll('svg.chart').forEach(svg => {
                const name = (svg.closest('figure') || svg).id;
                for (const cls of ['x-label', 'y-label']) {
                  const boxes = [...svg.querySelectorAll('text.' + cls)]
                      .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}));
                  result.labels += boxes.length;
                  for (let i = 0; i < boxes.length; i++) {
                    for (let j = i + 1; j < boxes.length; j++) {
                      const a = boxes[i].r, b = boxes[j].r;
                      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                      if (w > 0.5 && h > 0.5) {
                        result.overlaps.push(name + ' ' + cls + ': "' + boxes[i].text + '" / "' + boxes[j].text + '"');
                      }
                    }
                  }
                }
              });
              const out = document.createElement('pre');
              out.id = 'layout-probe';
              out.textContent = JSON.stringify(result);
              document.body.appendChild(out);
            })();
            </script>
            """;
    private static final Pattern PROBE_OUT = Pattern.compile("<pre id=\"layout-probe\">(.*?)</pre>", Pattern.DOTALL);

    /** Lays {@code page} out at {@link #WIDTH} × {@link #HEIGHT} px and measures it ({@link Layout}). */
    static Layout layout(Path page, String topId, Path scratch) throws Exception {
        String html = Files.readString(page);
        int end = html.lastIndexOf("</body>");
        Path copy = Files.createTempFile(scratch, "layout", ".html");
        Files.writeString(copy, html.substring(0, end) + PROBE.formatted(topId) + html.substring(end));
        Page loaded = open(copy, scratch, "--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars");
        Matcher m = PROBE_OUT.matcher(loaded.dom());
        Assumptions.assumeTrue(m.find(), "this chromium ran no script in the page; cannot measure it");
        String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        List<String> overlaps = new ArrayList<>();
        node.get("overlaps").forEach(o -> overlaps.add(o.asText()));
        return new Layout(node.get("width").asDouble(), node.get("height").asDouble(),
                node.get("closedHeight").asDouble(), node.get("topOf").asDouble(), node.get("labels").asInt(),
                overlaps);
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

    static Page open(Path page, Path scratch, String... flags) throws Exception {
        Path log = Files.createTempFile(scratch, "chromium", ".log");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + Files.createTempDirectory(scratch, "profile")));
        command.addAll(List.of(flags));
        command.addAll(List.of("--dump-dom", page.toUri().toString()));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
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
