package dev.workbench.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A read-only static file server for the {@code reports/} tree, bound to a loopback address only (it refuses any other
 * bind address): reports may hold data-derived text, so they are never exposed on the network. GET and HEAD only;
 * paths are confined to the root; {@code /} is the runs index ({@link RunsIndex}); another folder serves its
 * {@code report.html} (or {@code index.html}) or a plain listing. A path that cannot name a file (a NUL byte, a
 * malformed escape) gets 400.
 */
public final class ReportServer implements AutoCloseable {
    private final HttpServer server;
    private final Path root;
    private final Optional<Path> runsRoot;

    private ReportServer(HttpServer server, Path root, Optional<Path> runsRoot) {
        this.server = server;
        this.root = root;
        this.runsRoot = runsRoot;
    }

    /** @param port 0 picks a free port */
    public static ReportServer start(InetAddress address, int port, Path root) throws IOException {
        return start(address, port, root, Optional.empty());
    }

    /**
     * @param port 0 picks a free port
     * @param runsRoot the runs folder, so that the index lists runs without a report (failed, interrupted) too
     */
    public static ReportServer start(InetAddress address, int port, Path root, Optional<Path> runsRoot)
            throws IOException {
        if (!address.isLoopbackAddress()) {
            throw WorkbenchException.invalid("refusing to serve reports on " + address.getHostAddress()
                    + ": only loopback addresses (127.0.0.1, ::1) are allowed");
        }
        if (!Files.isDirectory(root)) {
            throw WorkbenchException.invalid(root + ": no such reports folder");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        ReportServer rs = new ReportServer(server, root.toAbsolutePath().normalize(),
                runsRoot.map(r -> r.toAbsolutePath().normalize()));
        server.createContext("/", rs::handle);
        server.start();
        return rs;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(exchange, 405, "text/plain", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String raw = exchange.getRequestURI().getRawPath();
            // An encoded slash or backslash is never part of a report's file name; decoding it would let a request
            // name a path the URL does not show.
            String lower = raw.toLowerCase(Locale.ROOT);
            if (lower.contains("%2f") || lower.contains("%5c") || raw.contains("\\")) {
                send(exchange, 403, "text/plain", "forbidden\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Path target;
            try {
                String decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
                if (decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new InvalidPathException(decoded, "control character in a path");
                }
                target = root.resolve(decoded.replaceFirst("^/+", "")).normalize();
            } catch (IllegalArgumentException e) { // InvalidPathException, or a malformed %-escape
                send(exchange, 400, "text/plain", "bad request: not a file path\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!target.startsWith(root) || escapesThroughLink(target)) {
                send(exchange, 403, "text/plain", "forbidden\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (target.equals(root) && !Files.isRegularFile(root.resolve("index.html"))) {
                send(exchange, 200, "text/html; charset=utf-8",
                        RunsIndex.html(RunsIndex.rows(root, runsRoot)).getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (Files.isDirectory(target)) {
                for (String index : List.of(ReportWriter.HTML, "index.html")) {
                    if (Files.isRegularFile(target.resolve(index))) {
                        target = target.resolve(index);
                        break;
                    }
                }
            }
            if (Files.isDirectory(target)) {
                send(exchange, 200, "text/html; charset=utf-8", listing(target, raw));
            } else if (Files.isRegularFile(target)) {
                send(exchange, 200, contentType(target), Files.readAllBytes(target));
            } else {
                send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** True when a symbolic link on the way makes {@code target} resolve outside the root. */
    private boolean escapesThroughLink(Path target) throws IOException {
        if (!Files.exists(target)) {
            return false;
        }
        return !target.toRealPath().startsWith(root.toRealPath());
    }

    private byte[] listing(Path folder, String rawPath) throws IOException {
        String base = rawPath.endsWith("/") ? rawPath : rawPath + "/";
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>reports</title>"
                + "</head><body><h1>").append(Html.escape(root.relativize(folder).toString().isEmpty() ? "reports"
                : root.relativize(folder).toString())).append("</h1><ul>");
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path p : entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                String name = p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "");
                html.append("<li><a href=\"").append(Html.escape(base + name)).append("\">").append(Html.escape(name))
                        .append("</a></li>");
            }
        }
        return html.append("</ul></body></html>").toString().getBytes(StandardCharsets.UTF_8);
    }


    static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".json")) {
            return "application/json";
        } else if (name.endsWith(".md")) {
            return "text/markdown; charset=utf-8";
        } else if (name.endsWith(".png")) {
            return "image/png";
        } else if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
