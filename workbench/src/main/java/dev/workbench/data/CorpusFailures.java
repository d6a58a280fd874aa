package dev.workbench.data;

import dev.workbench.recipe.WorkbenchException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every corpus file that could not be loaded, each with its own failure: one bad file does not hide another. The
 * message is the failures' messages, one per line; the kind is the first failure's.
 */
public final class CorpusFailures extends WorkbenchException {
    private final Map<String, WorkbenchException> byPathKey;

    /**
     * @param byPathKey the recipe key of the file's path ({@code corpus.text.path}, {@code corpus.text.path[1]} for
     *                  item 1 of a list, {@code corpus.labelled.path}, {@code corpus.table.path}) -> why it failed,
     *                  in recipe order
     */
    public CorpusFailures(Map<String, WorkbenchException> byPathKey) {
        super(byPathKey.values().iterator().next().kind(), byPathKey.values().stream()
                .map(WorkbenchException::getMessage).collect(Collectors.joining("\n")),
                byPathKey.values().iterator().next());
        this.byPathKey = new LinkedHashMap<>(byPathKey);
    }

    /** Recipe key of the file's path -> why it failed, in recipe order. */
    public Map<String, WorkbenchException> byPathKey() {
        return new LinkedHashMap<>(byPathKey);
    }
}
