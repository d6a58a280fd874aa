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
        BadRowPolicy onBadRow,
        Optional<InstructionSource> instructions) {

    /** A corpus without instruction data. */
    public Corpus(Optional<TextSource> text, Optional<LabelledSource> labelled, Optional<TableSource> table,
                  BadRowPolicy onBadRow) {
        this(text, labelled, table, onBadRow, Optional.empty());
    }

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

    /**
     * Instruction / chat data for the {@code instruct} task: one {@code .jsonl}, {@code .json} (an array of records) or
     * {@code .csv} file.
     *
     * @param format how a record holds its conversation; AUTO decides from the first good record's fields
     * @param columns canonical field name ({@link InstructionFormat#FIELDS}) -> the file's name for it
     */
    public record InstructionSource(Path path, InstructionFormat format, Map<String, String> columns) {
        public InstructionSource {
            columns = Map.copyOf(columns);
        }

        /** The file's name for canonical field {@code canonical}. */
        public String column(String canonical) {
            return columns.getOrDefault(canonical, canonical);
        }
    }

    /**
     * ALPACA: {@code instruction}, optional {@code input}, {@code output}, optional {@code system}. MESSAGES (OpenAI):
     * {@code messages: [{role: system|user|assistant, content}]}. SHAREGPT: {@code conversations: [{from:
     * system|human|gpt, value}]}. COMPLETION: {@code prompt}, {@code completion}.
     */
    public enum InstructionFormat {
        AUTO, ALPACA, MESSAGES, SHAREGPT, COMPLETION;

        /** The canonical top-level fields a recipe's {@code columns} may rename. */
        public static final List<String> FIELDS = List.of("instruction", "input", "output", "system", "messages",
                "conversations", "prompt", "completion");
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
