package dev.workbench.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One corpus file as read by {@link CorpusLoader}, before splitting.
 *
 * @param file the file read (absolute when the recipe's path was)
 * @param sha256 lowercase hex SHA-256 of the file's bytes, computed while reading (one pass)
 * @param columns for csv/jsonl: the table columns kept (table) or the header of the file (text, labelled); empty for txt
 * @param items the good rows, in file order
 * @param splitTags with {@code split.method: column}: "train", "validation" or "test" for each item; otherwise empty
 * @param rowsRead data rows (or txt documents) met, good or bad; blank lines are not rows
 * @param rowsSkipped bad rows dropped under {@code corpus.on_bad_row: skip}
 * @param skippedRows the first {@link CorpusLoader#MAX_LISTED_BAD_ROWS} of them
 */
public record Loaded<T>(Path file, String sha256, List<String> columns, List<T> items, List<String> splitTags,
                        long rowsRead, long rowsSkipped, List<BadRow> skippedRows) {

    /** A row that could not be used: its first line in the file and what was wrong. */
    public record BadRow(long line, String reason) {
    }
}
