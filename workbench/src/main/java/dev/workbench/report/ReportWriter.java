package dev.workbench.report;

import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a report's files into a folder, each through a temporary sibling and an atomic rename, so a reader (or the
 * {@code serve} command) never sees half a file: {@code report.html} (+ {@code charts/*.svg}, the same charts the
 * page has inline), {@code report.md}, {@code report.json}.
 */
public final class ReportWriter {
    public static final String HTML = "report.html";
    public static final String MARKDOWN = "report.md";
    public static final String JSON = "report.json";
    public static final String CHARTS = "charts";
    public static final List<String> ALL_FORMATS = List.of("html", "markdown", "json");

    private ReportWriter() {
    }

    /** @param formats any of html, markdown (or md), json; empty = all */
    public static List<Path> write(Report report, Path folder, List<String> formats) throws IOException {
        List<String> wanted = formats == null || formats.isEmpty() ? ALL_FORMATS : formats;
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        for (String format : wanted) {
            switch (format.toLowerCase(Locale.ROOT)) {
                case "json" -> written.add(text(folder.resolve(JSON), JsonReport.render(report)));
                case "markdown", "md" -> written.add(text(folder.resolve(MARKDOWN), MarkdownReport.render(report)));
                case "html" -> {
                    HtmlReport.Rendered html = HtmlReport.render(report);
                    for (Map.Entry<String, String> chart : html.charts().entrySet()) {
                        Path file = folder.resolve(CHARTS).resolve(chart.getKey());
                        RunFolder.writeAtomically(file, chart.getValue().getBytes(StandardCharsets.UTF_8));
                        written.add(file);
                    }
                    written.add(text(folder.resolve(HTML), html.html()));
                }
                default -> throw WorkbenchException.invalid("unknown report format '" + format
                        + "' (known: html, markdown, json)");
            }
        }
        return written;
    }

    private static Path text(Path file, String content) throws IOException {
        RunFolder.writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
