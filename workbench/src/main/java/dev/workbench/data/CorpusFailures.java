package dev.workbench.data;

import dev.workbench.recipe.WorkbenchException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every corpus that could not be loaded, each with its own failure: one bad file does not hide another. The message
 * is the failures' messages, one per line; the kind is the first failure's.
 */
public final class CorpusFailures extends WorkbenchException {
    private final Map<String, WorkbenchException> byCorpus;

    /** @param byCorpus corpus ({@code text}, {@code labelled}, {@code table}) -> why it failed, in recipe order */
    public CorpusFailures(Map<String, WorkbenchException> byCorpus) {
        super(byCorpus.values().iterator().next().kind(), byCorpus.values().stream()
                .map(WorkbenchException::getMessage).collect(Collectors.joining("\n")),
                byCorpus.values().iterator().next());
        this.byCorpus = new LinkedHashMap<>(byCorpus);
    }

    public Map<String, WorkbenchException> byCorpus() {
        return Map.copyOf(byCorpus);
    }
}
