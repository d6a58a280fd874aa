package dev.workbench.report;

import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportServerTest {

    @Test
    void servesReportsOnLoopback(@TempDir Path reports) throws Exception {
        Path run = Files.createDirectories(reports.resolve("fixture/run-1"));
        Files.writeString(run.resolve("report.html"), "<html><body>hello report</body></html>");
        Files.writeString(reports.resolve("secret.txt"), "inside root is fine");
        try (ReportServer server = ReportServer.start(InetAddress.getLoopbackAddress(), 0, reports)) {
            assertTrue(server.port() > 0);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(server.uri().resolve("fixture/run-1/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("hello report"));
            assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            HttpResponse<String> listing = client.send(HttpRequest.newBuilder(server.uri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(listing.body().contains("fixture/"));
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(server.uri().resolve("nope.html"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            // An encoded ../ must not escape the root.
            URI escape = URI.create(server.uri() + "fixture/%2e%2e/%2e%2e/%2e%2e/etc/passwd");
            HttpResponse<String> up = client.send(HttpRequest.newBuilder(escape).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, up.statusCode());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(server.uri())
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void aPathThatCannotNameAFileGetsBadRequest(@TempDir Path reports) throws Exception {
        try (ReportServer server = ReportServer.start(InetAddress.getLoopbackAddress(), 0, reports)) {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : new String[] {"%00", "run%00.html", "%0a", "fixture/%1b"}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.uri() + path))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, r.statusCode(), path);
            }
        }
    }

    @Test
    void theIndexListsEveryRunWithStatusHeadlinesAndLinks(@TempDir Path dir) throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Path reported = Files.createDirectories(reports.resolve("quickstart/20260101-000000-aaaaaa"));
        Files.writeString(reported.resolve("report.json"), """
                {"run": {"recipe_name": "quickstart", "run_id": "20260101-000000-aaaaaa", "status": "completed"},
                 "summary": [{"area": "language model", "metric": "bits_per_byte", "value": 1.8679199,
                              "verdict": "improved"}]}
                """);
        Files.writeString(reported.resolve("report.html"), "<html></html>");
        // a run that failed before its report: known only from the runs folder
        dev.workbench.store.RunStore store = new dev.workbench.store.RunStore(dir.resolve("runs"));
        Path failed = store.startRun("medical", "20260102-000000-bbbbbb");
        dev.workbench.store.RunStore.writeManifest(failed, new dev.workbench.store.RunManifest(1,
                "20260102-000000-bbbbbb", "medical", "m.yaml", "0", java.util.List.of(), 1, java.util.Map.of(),
                java.util.Map.of(), "cpu", "2026-01-02T00:00:00Z", null, "failed", java.util.List.of()));
        try (ReportServer server = ReportServer.start(InetAddress.getLoopbackAddress(), 0, reports,
                java.util.Optional.of(dir.resolve("runs")))) {
            HttpResponse<String> index = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, index.statusCode());
            String html = index.body();
            assertTrue(html.contains("<th>recipe</th><th>run</th><th>status</th><th>headline metrics</th>"), html);
            assertTrue(html.contains("<td>quickstart</td><td>20260101-000000-aaaaaa</td><td class=\"completed\">"
                    + "completed</td><td><ul><li>language model: bits_per_byte 1.868 (improved)</li></ul>"), html);
            assertTrue(html.contains("<a href=\"/quickstart/20260101-000000-aaaaaa/report.html\">html</a>"), html);
            assertTrue(html.contains("<a href=\"/quickstart/20260101-000000-aaaaaa/report.json\">json</a>"), html);
            assertTrue(html.contains("<td>medical</td><td>20260102-000000-bbbbbb</td><td class=\"failed\">failed"
                    + "</td><td>&ndash;</td><td>no report</td>"), html);
            assertTrue(html.indexOf("20260102-000000-bbbbbb") < html.indexOf("20260101-000000-aaaaaa"),
                    "newest first");
        }
    }

    @Test
    void refusesNonLoopbackAddresses(@TempDir Path reports) throws Exception {
        for (String address : new String[]{"0.0.0.0", "192.168.1.10", "10.0.0.1"}) {
            WorkbenchException e = assertThrows(WorkbenchException.class,
                    () -> ReportServer.start(InetAddress.getByName(address), 0, reports));
            assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().contains("only loopback"), e.getMessage());
        }
    }

    @Test
    void encodedSlashesAndLinksOutOfTheRootAreRefused(@TempDir Path dir) throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Path outside = Files.writeString(dir.resolve("outside.txt"), "not a report");
        Files.createDirectories(reports.resolve("run"));
        Files.writeString(reports.resolve("run/report.md"), "# fine");
        Files.createSymbolicLink(reports.resolve("leak.txt"), outside);
        Files.createSymbolicLink(reports.resolve("leakdir"), dir);
        try (ReportServer server = ReportServer.start(InetAddress.getLoopbackAddress(), 0, reports)) {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : new String[] {"leak.txt", "leakdir/outside.txt", "run%2Freport.md",
                    "run%2freport.md", "run%5Creport.md", "%2e%2e%2Foutside.txt"}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, r.statusCode(), path);
                assertTrue(!r.body().contains("not a report"), path);
            }
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(server.uri().resolve("run/report.md"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
        }
    }
}
