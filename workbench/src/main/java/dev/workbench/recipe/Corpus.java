package dev.workbench.recipe;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The domain data: any of a text corpus (LM), a labelled text set (classifier) and a table (synthesis). */
public record Corpus(
        Optional<TextSource> text,
        Optional<LabelledSource> labelled,
        Optional<TableSource> table,
        BadRowPolicy onBadRow) {

    /** Format inferred from the extension unless given. */
    public enum Format { CSV, JSONL, TXT }

    public enum BadRowPolicy { ERROR, SKIP }

    /** Text for language modelling. For csv/jsonl, {@code column} names the text field; txt is split into documents
     * on blank lines. */
    public record TextSource(Path path, Format format, String column) {
    }

    public record LabelledSource(Path path, Format format, String textColumn, String labelColumn) {
    }

    /**
     * A table for synthetic data.
     *
     * @param columnTypes overrides of inferred types, column -> one of continuous, integer, categorical, boolean, datetime
     * @param drop columns ignored entirely (ids, free text)
     */
    public record TableSource(Path path, Format format, Optional<String> target, Map<String, String> columnTypes,
                              List<String> drop) {
    }
}
