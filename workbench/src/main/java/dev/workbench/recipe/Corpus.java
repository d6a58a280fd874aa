package dev.workbench.recipe;

import java.nio.file.Path;
import java.util.HashSet;
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

    /**
     * Text for language modelling: one file or several, all of one format, read in list order. For csv/jsonl,
     * {@code column} names the text field (in every file); txt is split into documents on blank lines.
     *
     * @param paths the files, in the recipe's order; at least one, no repeats
     */
    public record TextSource(List<Path> paths, Format format, String column) {
        public TextSource {
            paths = List.copyOf(paths);
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("a text source needs at least one file");
            }
            if (new HashSet<>(paths).size() < paths.size()) {
                throw new IllegalArgumentException("a text source lists a file twice: " + paths);
            }
        }

        /**
         * The recipe key that names file {@code index}, where problems with it are reported: {@code corpus.text.path}
         * for a one-file source, {@code corpus.text.path[i]} for item i of a list.
         */
        public String pathKey(int index) {
            return paths.size() == 1 ? "corpus.text.path" : "corpus.text.path[" + index + "]";
        }

        /** A one-file source. */
        public TextSource(Path path, Format format, String column) {
            this(List.of(path), format, column);
        }
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
