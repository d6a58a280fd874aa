package dev.workbench.recipe;

import dev.workbench.recipe.NodeReader.Section;

import java.util.List;

/** Binds {@code report}: the formats and the title. */
final class ReportBinder {
    private static final List<String> REPORT_FORMATS = List.of("html", "markdown", "json");

    private ReportBinder() {
    }

    static Report bind(NodeReader read, Section s, String name) {
        List<String> formats = read.stringList(s, "formats", REPORT_FORMATS, REPORT_FORMATS, true);
        String title = read.string(s, "title", name);
        return new Report(formats, title);
    }
}
