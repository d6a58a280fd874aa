package dev.workbench.data;

import java.util.Map;
import java.util.Optional;

/**
 * Every corpus of a recipe, loaded and split. Built once per run by the data layer and handed to each stage.
 *
 * @param inputHashes input file (absolute path) -> SHA-256, for the run manifest
 * @param instructions the instruct task's conversations (corpus.instructions), split at random with the seed
 * @param notes data-quality facts for the report: skipped bad rows, duplicates across splits, ...
 */
public record PreparedData(
        Optional<Splits<TextDocument>> text,
        Optional<Splits<LabelledExample>> labelled,
        Optional<Splits<java.util.List<String>>> tableRows,
        Optional<Table> tableHeader,
        Map<String, String> inputHashes,
        Map<String, Object> notes,
        Optional<Splits<dev.workbench.data.chat.Conversation>> instructions) {

    /** Data without instruction conversations. */
    public PreparedData(Optional<Splits<TextDocument>> text, Optional<Splits<LabelledExample>> labelled,
                        Optional<Splits<java.util.List<String>>> tableRows, Optional<Table> tableHeader,
                        Map<String, String> inputHashes, Map<String, Object> notes) {
        this(text, labelled, tableRows, tableHeader, inputHashes, notes, Optional.empty());
    }
}
