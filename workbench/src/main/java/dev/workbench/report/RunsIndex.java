package dev.workbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.store.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The page {@code workbench serve} shows at {@code /}: one row per run (recipe, run, status, the summary's headline
 * metrics, links to its report files), built from {@code reports/<recipe>/<run-id>/report.json} and, when a runs
 * folder is given, from its run folders too (so a failed or interrupted run, which has no report, is listed).
 */
public final class RunsIndex {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One headline of a run's summary: e.g. language model / bits_per_byte / 1.868 / improved. */
    public record Headline(String area, String metric, double value, String verdict) {
    }

    /**
     * @param reportPath the run's report folder relative to the reports root ({@code recipe/run-id}); empty when
     *                   the run has no report
     * @param files report files present in it (report.html, report.md, report.json)
     */
    public record Row(String recipe, String runId, String status, List<Headline> headlines,
                      Optional<String> reportPath, List<String> files) {
    }

    private RunsIndex() {
    }

    /** Every run with a report under {@code reportsRoot} or a folder under {@code runsRoot}, newest first. */
    public static List<Row> rows(Path reportsRoot, Optional<Path> runsRoot) throws IOException {
        Map<String, Row> byKey = new LinkedHashMap<>();
        if (Files.isDirectory(reportsRoot)) {
            try (Stream<Path> recipes = Files.list(reportsRoot)) {
                for (Path recipe : recipes.filter(Files::isDirectory).sorted().toList()) {
                    try (Stream<Path> runs = Files.list(recipe)) {
                        for (Path run : runs.filter(RunsIndex::hasReport).toList()) {
                            Row row = fromReport(reportsRoot, run);
                            byKey.put(row.recipe() + "/" + row.runId(), row);
                        }
                    }
                }
            }
        }
        if (runsRoot.isPresent()) {
            for (RunStore.RunEntry entry : new RunStore(runsRoot.get()).list()) {
                String key = entry.recipeName() + "/" + entry.runId();
                Row reported = byKey.get(key);
                // the run folder's status is the truth (a report may predate a later failure of a resumed run)
                byKey.put(key, reported == null
                        ? new Row(entry.recipeName(), entry.runId(), entry.status(), List.of(), Optional.empty(),
                        List.of())
                        : new Row(reported.recipe(), reported.runId(), entry.status(), reported.headlines(),
                        reported.reportPath(), reported.files()));
            }
        }
        List<Row> rows = new ArrayList<>(byKey.values());
        rows.sort(Comparator.comparing(Row::runId).reversed().thenComparing(Row::recipe));
        return rows;
    }

    private static boolean hasReport(Path folder) {
        return Stream.of(ReportWriter.HTML, ReportWriter.MARKDOWN, ReportWriter.JSON)
                .anyMatch(name -> Files.isRegularFile(folder.resolve(name)));
    }

    private static Row fromReport(Path reportsRoot, Path folder) {
        JsonNode json;
        try {
            json = JSON.readTree(folder.resolve(ReportWriter.JSON).toFile());
        } catch (IOException e) {
            json = JSON.createObjectNode(); // no report.json (or not readable): the row shows what the folder says
        }
        JsonNode run = json.path("run");
        String recipe = run.path("recipe_name").asText(folder.getParent().getFileName().toString());
        String runId = run.path("run_id").asText(folder.getFileName().toString());
        List<Headline> headlines = new ArrayList<>();
        for (JsonNode h : json.path("summary")) {
            if (h.path("value").isNumber()) {
                headlines.add(new Headline(h.path("area").asText(), h.path("metric").asText(),
                        h.path("value").asDouble(), h.path("verdict").asText("")));
            }
        }
        List<String> files = new ArrayList<>();
        for (String name : List.of(ReportWriter.HTML, ReportWriter.MARKDOWN, ReportWriter.JSON)) {
            if (Files.isRegularFile(folder.resolve(name))) {
                files.add(name);
            }
        }
        String relative = reportsRoot.relativize(folder).toString().replace('\\', '/');
        return new Row(recipe, runId, run.path("status").asText("unknown"), headlines, Optional.of(relative), files);
    }

    /** The index as a self-contained HTML page. */
    public static String html(List<Row> rows) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>workbench runs</title><style>
                body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
                th,td{border-bottom:1px solid #ddd;padding:.4em .8em;text-align:left;vertical-align:top}
                th{background:#f4f4f4}.completed{color:#1a7f37}.failed,.diverged{color:#b42318}
                .incomplete,.interrupted{color:#9a6700}ul{margin:0;padding-left:1.1em}
                </style></head><body><h1>workbench runs</h1>
                """);
        if (rows.isEmpty()) {
            html.append("<p>No runs or reports yet: <code>workbench run RECIPE</code> writes one.</p>");
        } else {
            html.append("<table><thead><tr><th>recipe</th><th>run</th><th>status</th><th>headline metrics</th>"
                    + "<th>report</th></tr></thead><tbody>\n");
            for (Row row : rows) {
                html.append("<tr><td>").append(Html.escape(row.recipe())).append("</td><td>").append(Html.escape(row.runId()))
                        .append("</td><td class=\"").append(Html.escape(row.status().split(":")[0])).append("\">")
                        .append(Html.escape(row.status())).append("</td><td>");
                if (row.headlines().isEmpty()) {
                    html.append("&ndash;");
                } else {
                    html.append("<ul>");
                    for (Headline h : row.headlines()) {
                        html.append("<li>").append(Html.escape(h.area())).append(": ").append(Html.escape(h.metric()))
                                .append(' ').append(String.format(Locale.ROOT, "%.4g", h.value()))
                                .append(h.verdict().isEmpty() ? "" : " (" + Html.escape(h.verdict()) + ")")
                                .append("</li>");
                    }
                    html.append("</ul>");
                }
                html.append("</td><td>");
                if (row.reportPath().isEmpty() || row.files().isEmpty()) {
                    html.append("no report");
                } else {
                    List<String> links = new ArrayList<>();
                    for (String file : row.files()) {
                        links.add("<a href=\"/" + Html.escape(row.reportPath().get() + "/" + file) + "\">"
                                + Html.escape(file.substring(file.lastIndexOf('.') + 1)) + "</a>");
                    }
                    html.append(String.join(" &middot; ", links));
                }
                html.append("</td></tr>\n");
            }
            html.append("</tbody></table>");
        }
        return html.append("</body></html>\n").toString();
    }
}
