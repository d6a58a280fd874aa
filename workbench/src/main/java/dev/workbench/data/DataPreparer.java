package dev.workbench.data;

import dev.workbench.data.chat.Conversation;
import dev.workbench.data.chat.InstructionLoader;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Split;
import dev.workbench.recipe.WorkbenchException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Loads every corpus a recipe names, splits it, checks it for leakage and records what it found. The one entry point
 * of the data layer: {@code PreparedData data = DataPreparer.prepare(recipe)}.
 *
 * <p>Notes ({@link PreparedData#notes()}), all JSON-friendly (strings, numbers, booleans, lists, maps), top level:
 * {@code seed}, {@code split} (method, validation, test, column, dedupe), {@code on_bad_row}, and one map per corpus
 * under {@code text}, {@code labelled}, {@code table}. Each corpus map holds {@code file}, {@code format},
 * {@code sha256}, {@code rows_read}, {@code rows_loaded}, {@code rows_skipped}, {@code skipped_rows} (first 20:
 * {@code line}, {@code reason}), {@code split_method} (what was applied; with method column and no validation rows
 * tagged, how the validation rows were drawn from the train rows:
 * {@code column; validation: 10% of the train rows, stratified, seed 42}), {@code split_sizes} (train, validation,
 * test: after dedupe), {@code duplicates} (within_train, validation_in_train, test_in_train, test_in_validation,
 * examples), {@code dedupe_removed} (validation, test). Labelled adds {@code label_counts} (per split, label -> n),
 * {@code conflicting_labels} and {@code small_classes} (label -> n for classes under 3, which cannot be in every
 * split); table adds {@code columns}, {@code dropped_columns}, {@code target} and, with a target,
 * {@code target_counts}; text adds {@code characters} (per split). A text corpus of several files lists them in
 * order under {@code file}, and {@code sha256} and {@code rows_loaded_per_file} map each file (absolute path, as in
 * {@link PreparedData#inputHashes()}) to its own; its row counts are totals and each skipped row adds its
 * {@code file}. Their documents are split together, in list order.
 */
public final class DataPreparer {
    private DataPreparer() {
    }

    public static PreparedData prepare(Recipe recipe) {
        return prepare(recipe.corpus(), recipe.split(), recipe.seed());
    }

    public static PreparedData prepare(Corpus corpus, Split split, long seed) {
        if (split.method() == Split.Method.COLUMN && split.column().isEmpty()) {
            throw WorkbenchException.invalid("split.method column needs split.column");
        }
        Optional<String> splitColumn = split.method() == Split.Method.COLUMN ? split.column() : Optional.empty();
        CorpusLoader loader = new CorpusLoader(corpus.onBadRow());
        Map<String, String> hashes = new TreeMap<>();
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("seed", seed);
        Map<String, Object> splitNotes = new LinkedHashMap<>();
        splitNotes.put("method", lower(split.method()));
        splitNotes.put("validation", split.validation());
        splitNotes.put("test", split.test());
        splitNotes.put("column", split.column().orElse(null));
        splitNotes.put("dedupe", split.dedupe());
        notes.put("split", splitNotes);
        notes.put("on_bad_row", lower(corpus.onBadRow()));

        Map<String, WorkbenchException> failures = new LinkedHashMap<>();
        Optional<Splits<TextDocument>> text = corpus.text().flatMap(source -> attempt("corpus.text.path", failures,
                () -> {
            List<Loaded<TextDocument>> files = loader.loadTexts(source, splitColumn);
            Map<String, Object> n = files.size() == 1 ? fileNotes(files.get(0), source.format(), hashes)
                    : filesNotes(files, source.format(), hashes);
            // The files' documents in list order, then the split as for one file.
            List<TextDocument> documents = new ArrayList<>();
            List<String> splitTags = new ArrayList<>();
            files.forEach(f -> {
                documents.addAll(f.items());
                splitTags.addAll(f.splitTags());
            });
            Splits<TextDocument> splits = split(documents, splitTags, split, seed, null, n);
            splits = leakage(splits, TextDocument::text, split.dedupe(), n);
            n.put("characters", perSplit(splits, s -> s.stream().mapToLong(d -> d.text().length()).sum()));
            notes.put("text", n);
            return splits;
        }));

        Optional<Splits<LabelledExample>> labelled = corpus.labelled().flatMap(source -> attempt(
                "corpus.labelled.path", failures, () -> {
            Loaded<LabelledExample> loaded = loader.loadLabelled(source, splitColumn);
            Map<String, Object> n = fileNotes(loaded, source.format(), hashes);
            Splits<LabelledExample> splits = split(loaded.items(), loaded.splitTags(), split, seed,
                    LabelledExample::label, n);
            splits = leakage(splits, LabelledExample::text, split.dedupe(), n);
            n.put("label_counts", perSplit(splits, s -> counts(s, LabelledExample::label)));
            n.put("conflicting_labels", Leakage.conflictingLabels(loaded.items()));
            Map<String, Long> small = new TreeMap<>(counts(loaded.items(), LabelledExample::label));
            small.values().removeIf(count -> count >= 3);
            n.put("small_classes", small);
            notes.put("labelled", n);
            return splits;
        }));

        Optional<Splits<Conversation>> instructions = corpus.instructions().flatMap(source -> attempt(
                "corpus.instructions.path", failures, () -> {
            Loaded<Conversation> loaded = new InstructionLoader(corpus.onBadRow()).load(source);
            Map<String, Object> n = fileNotes(loaded, Corpus.Format.JSONL, hashes);
            n.put("format", lower(source.format()));
            // conversations have no class to stratify by, and no split column: random with the seed
            Splits<Conversation> splits = Splitter.random(loaded.items(), seed, split.validation(), split.test());
            n.put("split_method", "random");
            splits = leakage(splits, Conversation::key, split.dedupe(), n);
            notes.put("instructions", n);
            return splits;
        }));

        Optional<Table> header = Optional.empty();
        Optional<Splits<List<String>>> tableRows = Optional.empty();
        Optional<Loaded<List<String>>> tableLoaded = corpus.table().flatMap(source -> attempt("corpus.table.path",
                failures, () -> loader.loadTable(source, splitColumn)));
        if (tableLoaded.isPresent()) {
            Corpus.TableSource source = corpus.table().get();
            Loaded<List<String>> loaded = tableLoaded.get();
            Map<String, Object> n = fileNotes(loaded, source.format(), hashes);
            n.put("columns", loaded.columns());
            n.put("dropped_columns", source.drop());
            n.put("target", source.target().orElse(null));
            Function<List<String>, String> target = source.target()
                    .map(t -> {
                        int index = loaded.columns().indexOf(t);
                        return (Function<List<String>, String>) row -> row.get(index);
                    })
                    .orElse(null);
            Splits<List<String>> splits = split(loaded.items(), loaded.splitTags(), split, seed, target, n);
            splits = leakage(splits, Leakage::rowKey, split.dedupe(), n);
            if (target != null) {
                n.put("target_counts", perSplit(splits, s -> counts(s, target)));
            }
            notes.put("table", n);
            header = Optional.of(new Table(loaded.columns(), loaded.items()));
            tableRows = Optional.of(splits);
        }
        if (!failures.isEmpty()) {
            throw new CorpusFailures(failures);
        }
        return new PreparedData(text, labelled, tableRows, header, Map.copyOf(hashes), notes, instructions);
    }

    /**
     * Runs one corpus's load, recording its failure (each file's, for a corpus of several) under the recipe key of
     * its path, so that the other corpora are still tried.
     */
    private static <T> Optional<T> attempt(String pathKey, Map<String, WorkbenchException> failures,
                                           java.util.function.Supplier<T> load) {
        try {
            return Optional.of(load.get());
        } catch (CorpusFailures e) {
            failures.putAll(e.byPathKey());
            return Optional.empty();
        } catch (WorkbenchException e) {
            failures.put(pathKey, e);
            return Optional.empty();
        }
    }

    private static Map<String, Object> fileNotes(Loaded<?> loaded, Corpus.Format format, Map<String, String> hashes) {
        String path = loaded.file().toAbsolutePath().toString();
        hashes.put(path, loaded.sha256());
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("file", path);
        n.put("format", lower(format));
        n.put("sha256", loaded.sha256());
        n.put("rows_read", loaded.rowsRead());
        n.put("rows_loaded", (long) loaded.items().size());
        n.put("rows_skipped", loaded.rowsSkipped());
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (Loaded.BadRow bad : loaded.skippedRows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("line", bad.line());
            row.put("reason", bad.reason());
            skipped.add(row);
        }
        n.put("skipped_rows", skipped);
        return n;
    }

    /**
     * The notes of a corpus read from several files (text): as {@link #fileNotes} for one, but {@code file} lists the
     * files in order, {@code sha256} and {@code rows_loaded_per_file} map each file to its own, the row counts are
     * totals, and each skipped row names its file.
     */
    private static Map<String, Object> filesNotes(List<? extends Loaded<?>> files, Corpus.Format format,
                                                  Map<String, String> hashes) {
        List<String> paths = new ArrayList<>();
        Map<String, String> sha256 = new LinkedHashMap<>();
        Map<String, Long> loadedPerFile = new LinkedHashMap<>();
        List<Map<String, Object>> skipped = new ArrayList<>();
        long rowsRead = 0;
        long rowsLoaded = 0;
        long rowsSkipped = 0;
        for (Loaded<?> loaded : files) {
            String path = loaded.file().toAbsolutePath().toString();
            hashes.put(path, loaded.sha256());
            paths.add(path);
            sha256.put(path, loaded.sha256());
            loadedPerFile.put(path, (long) loaded.items().size());
            rowsRead += loaded.rowsRead();
            rowsLoaded += loaded.items().size();
            rowsSkipped += loaded.rowsSkipped();
            for (Loaded.BadRow bad : loaded.skippedRows()) {
                if (skipped.size() < CorpusLoader.MAX_LISTED_BAD_ROWS) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("file", path);
                    row.put("line", bad.line());
                    row.put("reason", bad.reason());
                    skipped.add(row);
                }
            }
        }
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("file", paths);
        n.put("format", lower(format));
        n.put("sha256", sha256);
        n.put("rows_read", rowsRead);
        n.put("rows_loaded", rowsLoaded);
        n.put("rows_loaded_per_file", loadedPerFile);
        n.put("rows_skipped", rowsSkipped);
        n.put("skipped_rows", skipped);
        return n;
    }

    /** Applies the recipe's method; {@code classOf} is null when the corpus has nothing to stratify by. */
    private static <T> Splits<T> split(List<T> items, List<String> splitTags, Split split, long seed,
                                       Function<? super T, String> classOf, Map<String, Object> notes) {
        Splits<T> splits;
        String applied;
        switch (split.method()) {
            case COLUMN -> {
                splits = Splitter.byTags(items, splitTags);
                applied = "column";
                // Official splits often come as train/test only (BANKING77): without validation rows there is no
                // keep-best or early stopping, so split.validation of the train rows is drawn for it.
                if (splits.validation().isEmpty() && split.validation() > 0 && !splits.train().isEmpty()) {
                    Splits<T> drawn = classOf != null
                            ? Splitter.stratified(splits.train(), classOf, seed, split.validation(), 0)
                            : Splitter.random(splits.train(), seed, split.validation(), 0);
                    splits = new Splits<>(drawn.train(), drawn.validation(), splits.test());
                    applied = "column; validation: " + percent(split.validation()) + " of the train rows, "
                            + (classOf != null ? "stratified" : "random") + ", seed " + seed;
                }
            }
            case STRATIFIED -> {
                if (classOf != null) {
                    splits = Splitter.stratified(items, classOf, seed, split.validation(), split.test());
                    applied = "stratified";
                } else {
                    splits = Splitter.random(items, seed, split.validation(), split.test());
                    applied = "random (nothing to stratify by)";
                }
            }
            default -> {
                splits = Splitter.random(items, seed, split.validation(), split.test());
                applied = "random";
            }
        }
        notes.put("split_method", applied);
        return splits;
    }

    /** A share as a percentage, exactly as written in decimal: 0.1 is "10%", 0.125 "12.5%". */
    static String percent(double share) {
        return java.math.BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    private static <T> Splits<T> leakage(Splits<T> splits, Function<? super T, String> key, boolean dedupe,
                                         Map<String, Object> notes) {
        notes.put("duplicates", Leakage.find(splits, key).asNotes());
        Map<String, Object> removed = new LinkedHashMap<>();
        Splits<T> result = splits;
        if (dedupe) {
            Leakage.Deduplicated<T> deduplicated = Leakage.removeTrainOverlap(splits, key);
            result = deduplicated.splits();
            removed.put("validation", deduplicated.removedFromValidation());
            removed.put("test", deduplicated.removedFromTest());
        } else {
            removed.put("validation", 0);
            removed.put("test", 0);
        }
        notes.put("dedupe_removed", removed);
        notes.put("split_sizes", perSplit(result, List::size));
        return result;
    }

    private static <T, R> Map<String, R> perSplit(Splits<T> splits, Function<List<T>, R> measure) {
        Map<String, R> out = new LinkedHashMap<>();
        out.put("train", measure.apply(splits.train()));
        out.put("validation", measure.apply(splits.validation()));
        out.put("test", measure.apply(splits.test()));
        return out;
    }

    private static <T> Map<String, Long> counts(List<T> items, Function<? super T, String> classOf) {
        Map<String, Long> counts = new TreeMap<>();
        for (T item : items) {
            counts.merge(classOf.apply(item), 1L, Long::sum);
        }
        return counts;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
