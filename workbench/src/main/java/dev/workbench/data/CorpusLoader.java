package dev.workbench.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Corpus.BadRowPolicy;
import dev.workbench.recipe.Corpus.Format;
import dev.workbench.recipe.WorkbenchException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the corpus files a recipe names: csv (RFC 4180, one header row), jsonl (one JSON object per line) and txt
 * (documents separated by blank lines). Every file is read once, as a stream, and hashed while it is read.
 *
 * <p>Every bad input is a {@link WorkbenchException} of kind INVALID_INPUT whose message starts {@code file:line:}.
 * Problems with a single row (wrong number of fields, empty text or label, malformed JSON, invalid UTF-8, a bad split
 * value) follow {@code corpus.on_bad_row}: ERROR stops at the first, SKIP drops the row and counts it. Problems with
 * the file as a whole (missing column, empty file, broken CSV quoting, which leaves the parser unable to find the next
 * row) always stop.
 */
public final class CorpusLoader {
    /** How many skipped rows are listed (all are counted). */
    public static final int MAX_LISTED_BAD_ROWS = 20;
    /** Values accepted in the {@code split.column} column (compared after trimming, ignoring case). */
    public static final List<String> SPLIT_NAMES = List.of("train", "validation", "test");
    /** Appended to a bad-row error under the ERROR policy. */
    static final String SKIP_HINT = " (set corpus.on_bad_row: skip to drop bad rows)";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final BadRowPolicy policy;

    public CorpusLoader(BadRowPolicy policy) {
        this.policy = policy;
    }

    /**
     * The column names of a csv or jsonl file (its header row, or the keys of a jsonl file's first object), reading
     * only as far as that; empty for a file without any. Lets a recipe's column names be checked, all of them, before
     * anything is loaded. Throws as a load would for a missing, unreadable or malformed file.
     */
    public static List<String> header(Path file, Format format) {
        if (format == Format.TXT) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(file);
             Rows rows = format == Format.CSV ? new CsvRows(file, in) : new JsonlRows(file, in)) {
            List<String> columns = rows.columns();
            return columns == null ? List.of() : columns;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** The column among {@code columns} closest to a misspelt {@code wanted}, when one is close enough. */
    public static Optional<String> closestColumn(String wanted, List<String> columns) {
        return Names.closest(wanted, columns);
    }

    /**
     * The language-model corpus of a one-file source: txt documents, or one document per row from
     * {@code source.column()}. A source of several files is read with {@link #loadTexts}.
     */
    public Loaded<TextDocument> loadText(Corpus.TextSource source, Optional<String> splitColumn) {
        if (source.paths().size() != 1) {
            throw new IllegalArgumentException("a text source of " + source.paths().size() + " files: use loadTexts");
        }
        requireColumnsForSplit(source, splitColumn);
        return readText(source, 0, distinctNames(source.paths()).get(0), splitColumn);
    }

    /**
     * The language-model corpus, file by file in the source's order: one {@link Loaded} per file, its documents in
     * file order. Every file is read, so that one bad file does not hide another; the failures, if any, are thrown
     * together as a {@link CorpusFailures} keyed by each file's recipe key ({@link Corpus.TextSource#pathKey}).
     * Document ids name their file by its name, or, where two files of the source share a name, by as many trailing
     * folders as tell them apart ({@code medical/text.txt:12}).
     */
    public List<Loaded<TextDocument>> loadTexts(Corpus.TextSource source, Optional<String> splitColumn) {
        requireColumnsForSplit(source, splitColumn);
        List<String> names = distinctNames(source.paths());
        List<Loaded<TextDocument>> files = new ArrayList<>();
        Map<String, WorkbenchException> failures = new LinkedHashMap<>();
        for (int i = 0; i < source.paths().size(); i++) {
            try {
                files.add(readText(source, i, names.get(i), splitColumn));
            } catch (WorkbenchException e) {
                failures.put(source.pathKey(i), e);
            }
        }
        if (!failures.isEmpty()) {
            throw new CorpusFailures(failures);
        }
        return List.copyOf(files);
    }

    private static void requireColumnsForSplit(Corpus.TextSource source, Optional<String> splitColumn) {
        if (source.format() == Format.TXT && splitColumn.isPresent()) {
            throw WorkbenchException.invalid(source.paths().get(0) + ": split.method column needs a '"
                    + splitColumn.get() + "' column, but a txt file has no columns (use csv or jsonl for corpus.text)");
        }
    }

    /** File {@code index} of the source; its documents' ids start with {@code name}. */
    private Loaded<TextDocument> readText(Corpus.TextSource source, int index, String name,
                                          Optional<String> splitColumn) {
        Path file = source.paths().get(index);
        if (source.format() == Format.TXT) {
            return readTxt(file, name);
        }
        return readRows(file, source.format(), (columns, headerLine) -> {
            requireColumn(file, headerLine, columns, source.column(), "corpus.text.column");
            splitColumn.ifPresent(c -> requireColumn(file, headerLine, columns, c, "split.column"));
            return row -> new TextDocument(name + ":" + row.line, required(row, source.column(), "text"));
        }, splitColumn);
    }

    /**
     * Each file's name, or, where it shares its name with another file, its last folders and name: the fewest
     * trailing path elements that tell it apart from every other file ({@code a/text.txt}, {@code b/text.txt},
     * {@code other.txt}).
     */
    static List<String> distinctNames(List<Path> files) {
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            int depth = 1;
            while (depth < file.getNameCount() && clashes(file, depth, files)) {
                depth++;
            }
            names.add(tail(file, depth));
        }
        return names;
    }

    private static boolean clashes(Path file, int depth, List<Path> files) {
        return files.stream().anyMatch(other -> !other.equals(file) && tail(other, depth).equals(tail(file, depth)));
    }

    /** The last {@code depth} elements of {@code file}'s path, joined with '/'. */
    private static String tail(Path file, int depth) {
        List<String> elements = new ArrayList<>();
        for (int k = Math.max(0, file.getNameCount() - depth); k < file.getNameCount(); k++) {
            elements.add(file.getName(k).toString());
        }
        return elements.isEmpty() ? file.toString() : String.join("/", elements);
    }

    /** The labelled set: text and label columns of a csv or jsonl file. */
    public Loaded<LabelledExample> loadLabelled(Corpus.LabelledSource source, Optional<String> splitColumn) {
        Path file = source.path();
        if (source.format() == Format.TXT) {
            throw WorkbenchException.invalid(file + ": corpus.labelled must be csv or jsonl (text and label columns), "
                    + "not txt");
        }
        return readRows(file, source.format(), (columns, headerLine) -> {
            requireColumn(file, headerLine, columns, source.textColumn(), "corpus.labelled.text_column");
            requireColumn(file, headerLine, columns, source.labelColumn(), "corpus.labelled.label_column");
            splitColumn.ifPresent(c -> requireColumn(file, headerLine, columns, c, "split.column"));
            return row -> {
                String text = required(row, source.textColumn(), "text");
                String label = required(row, source.labelColumn(), "label").strip();
                return new LabelledExample(id(file, row.line), text, label);
            };
        }, splitColumn);
    }

    /**
     * A table, as strings (empty = missing). Columns in {@code drop} and the split column are left out of the rows and
     * of {@link Loaded#columns()}; the target, drop and column_types names must all exist.
     */
    public Loaded<List<String>> loadTable(Corpus.TableSource source, Optional<String> splitColumn) {
        Path file = source.path();
        if (source.format() == Format.TXT) {
            throw WorkbenchException.invalid(file + ": corpus.table must be csv or jsonl, not txt");
        }
        List<String> kept = new ArrayList<>();
        Loaded<List<String>> loaded = readRows(file, source.format(), (columns, headerLine) -> {
            for (String dropped : source.drop()) {
                requireColumn(file, headerLine, columns, dropped, "corpus.table.drop");
            }
            source.target().ifPresent(t -> {
                requireColumn(file, headerLine, columns, t, "corpus.table.target");
                if (source.drop().contains(t)) {
                    throw WorkbenchException.invalid(file + ": corpus.table.target '" + t + "' is also in drop");
                }
            });
            for (String typed : source.columnTypes().keySet()) {
                requireColumn(file, headerLine, columns, typed, "corpus.table.column_types");
            }
            splitColumn.ifPresent(c -> requireColumn(file, headerLine, columns, c, "split.column"));
            for (String column : columns) {
                if (!source.drop().contains(column) && !splitColumn.map(column::equals).orElse(false)) {
                    kept.add(column);
                }
            }
            if (kept.isEmpty()) {
                throw WorkbenchException.invalid(file + ":" + headerLine + ": no columns left after drop");
            }
            Set<String> known = new HashSet<>(columns);
            return row -> {
                for (String field : row.fields.keySet()) {
                    if (!known.contains(field)) {
                        throw new BadRowException("unexpected field '" + field + "' (the columns are those of "
                                + "the first object: " + listed(columns) + ")");
                    }
                }
                List<String> values = new ArrayList<>(kept.size());
                for (String column : kept) {
                    values.add(row.fields.getOrDefault(column, ""));
                }
                return List.copyOf(values);
            };
        }, splitColumn);
        return new Loaded<>(file, loaded.sha256(), List.copyOf(kept), loaded.items(), loaded.splitTags(),
                loaded.rowsRead(), loaded.rowsSkipped(), loaded.skippedRows());
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** One data row: its first line, its fields by column name, or what made it unusable. */
    private record Row(long line, Map<String, String> fields, String error) {
    }

    /** A row-level problem found while turning a row into an item. */
    private static final class BadRowException extends RuntimeException {
        BadRowException(String reason) {
            super(reason, null, false, false);
        }
    }

    private interface RowMapper<T> {
        T map(Row row);
    }

    /** Called once the columns are known (header of a csv, keys of the first object of a jsonl). */
    private interface HeaderCheck<T> {
        RowMapper<T> check(List<String> columns, long headerLine);
    }

    private interface Rows extends AutoCloseable {
        /** Null when the file has no header / no object at all. */
        List<String> columns() throws IOException;

        long headerLine();

        /** Null at the end. */
        Row next() throws IOException;

        @Override
        void close() throws IOException;
    }

    private <T> Loaded<T> readRows(Path file, Format format, HeaderCheck<T> headerCheck, Optional<String> splitColumn) {
        Hashing hashing = Hashing.open(file);
        Skipper skipper = new Skipper(file, policy);
        List<T> items = new ArrayList<>();
        List<String> splitTags = new ArrayList<>();
        long rowsRead = 0;
        try (Rows rows = format == Format.CSV ? new CsvRows(file, hashing.in) : new JsonlRows(file, hashing.in)) {
            List<String> columns = rows.columns();
            if (columns == null) {
                throw WorkbenchException.invalid(file + ": empty file (" + (format == Format.CSV ? "no header row"
                        : "no JSON object") + ")");
            }
            Row row;
            if (columns.isEmpty()) {
                // A jsonl file in which no line is a usable object: report its rows (the first, or all of them).
                while ((row = rows.next()) != null) {
                    rowsRead++;
                    skipper.skip(row.line, row.error);
                }
                return finish(file, "", columns, List.<T>of(), List.of(), rowsRead, skipper);
            }
            RowMapper<T> mapper = headerCheck.check(columns, rows.headerLine());
            while ((row = rows.next()) != null) {
                rowsRead++;
                if (row.error != null) {
                    skipper.skip(row.line, row.error);
                    continue;
                }
                try {
                    String tag = splitColumn.isPresent() ? splitTag(row, splitColumn.get()) : null;
                    items.add(mapper.map(row));
                    if (tag != null) {
                        splitTags.add(tag);
                    }
                } catch (BadRowException e) {
                    skipper.skip(row.line, e.getMessage());
                }
            }
            if (rowsRead == 0) {
                throw WorkbenchException.invalid(file + ": no data rows after the header (line " + rows.headerLine()
                        + ")");
            }
            hashing.drain();
            return finish(file, hashing.hex(), columns, items, splitTags, rowsRead, skipper);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private Loaded<TextDocument> readTxt(Path file, String name) {
        Hashing hashing = Hashing.open(file);
        Skipper skipper = new Skipper(file, policy);
        List<TextDocument> documents = new ArrayList<>();
        long rowsRead = 0;
        try (StrictUtf8Reader decoder = new StrictUtf8Reader(hashing.in);
             BufferedReader lines = new BufferedReader(decoder, 64 * 1024)) {
            StringBuilder document = new StringBuilder();
            long lineNumber = 0;
            long start = 0;
            String line;
            do {
                line = lines.readLine();
                lineNumber++;
                boolean blank = line == null || line.isBlank();
                if (!blank) {
                    if (document.isEmpty()) {
                        start = lineNumber;
                    } else {
                        document.append('\n');
                    }
                    document.append(line);
                } else if (!document.isEmpty()) {
                    rowsRead++;
                    Map.Entry<Integer, String> bad = decoder.firstMalformed(start, lineNumber - 1);
                    if (bad != null) {
                        skipper.skip(bad.getKey(), bad.getValue());
                    } else {
                        documents.add(new TextDocument(name + ":" + start, document.toString()));
                    }
                    decoder.malformedLines().headMap((int) Math.min(Integer.MAX_VALUE, lineNumber)).clear();
                    document.setLength(0);
                }
            } while (line != null);
            if (rowsRead == 0) {
                throw WorkbenchException.invalid(file + ": empty file (no documents)");
            }
            hashing.drain();
            return finish(file, hashing.hex(), List.of(), documents, List.of(), rowsRead, skipper);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static <T> Loaded<T> finish(Path file, String sha256, List<String> columns, List<T> items,
                                        List<String> splitTags, long rowsRead, Skipper skipper) {
        if (items.isEmpty()) {
            Loaded.BadRow first = skipper.listed.get(0);
            throw WorkbenchException.invalid(file + ": every row is bad (" + skipper.count + " skipped); the first, "
                    + "line " + first.line() + ": " + first.reason());
        }
        return new Loaded<>(file, sha256, List.copyOf(columns), List.copyOf(items), List.copyOf(splitTags), rowsRead,
                skipper.count, List.copyOf(skipper.listed));
    }

    /** Applies {@code corpus.on_bad_row}: throws at the first bad row, or counts and lists it. */
    private static final class Skipper {
        private final Path file;
        private final BadRowPolicy policy;
        private final List<Loaded.BadRow> listed = new ArrayList<>();
        private long count;

        Skipper(Path file, BadRowPolicy policy) {
            this.file = file;
            this.policy = policy;
        }

        void skip(long line, String reason) {
            if (policy == BadRowPolicy.ERROR) {
                throw WorkbenchException.invalid(file + ":" + line + ": " + reason + SKIP_HINT);
            }
            count++;
            if (listed.size() < MAX_LISTED_BAD_ROWS) {
                listed.add(new Loaded.BadRow(line, reason));
            }
        }
    }

    private static String splitTag(Row row, String column) {
        String value = row.fields.get(column);
        if (value == null || value.isBlank()) {
            throw new BadRowException("empty split in column '" + column + "' (expected train, validation or test)");
        }
        String tag = value.strip().toLowerCase(Locale.ROOT);
        if (!SPLIT_NAMES.contains(tag)) {
            throw new BadRowException("split column '" + column + "' holds '" + value
                    + "'; expected train, validation or test");
        }
        return tag;
    }

    private static String required(Row row, String column, String what) {
        String value = row.fields.get(column);
        if (value == null) {
            throw new BadRowException("missing " + what + ": no field '" + column + "' (fields: "
                    + listed(List.copyOf(row.fields.keySet())) + ")");
        }
        if (value.isBlank()) {
            throw new BadRowException("empty " + what + " in column '" + column + "'");
        }
        return value;
    }

    private static void requireColumn(Path file, long headerLine, List<String> columns, String column, String key) {
        if (!columns.contains(column)) {
            throw WorkbenchException.invalid(file + ":" + headerLine + ": " + key + ": no column '" + column
                    + "' (columns: " + String.join(", ", columns) + ")" + Names.suggestion(column, columns));
        }
    }

    private static String id(Path file, long line) {
        return file.getFileName() + ":" + line;
    }

    /** At most 8 names, so a wide table does not flood the message. */
    private static String listed(List<String> columns) {
        if (columns.size() <= 8) {
            return String.join(", ", columns);
        }
        return String.join(", ", columns.subList(0, 8)) + ", ... (" + columns.size() + " in all)";
    }

    private static WorkbenchException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, file + ": no such file", e);
        }
        return new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, file + ": cannot read: " + e, e);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The file's byte stream, hashed as it is consumed (so hashing costs no second pass). */
    private static final class Hashing {
        private final DigestInputStream in;

        private Hashing(DigestInputStream in) {
            this.in = in;
        }

        static Hashing open(Path file) {
            try {
                return new Hashing(new DigestInputStream(Files.newInputStream(file),
                        MessageDigest.getInstance("SHA-256")));
            } catch (IOException e) {
                throw unreadable(file, e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 missing from the JDK", e);
            }
        }

        /** Hashes whatever a parser left unread (normally nothing). */
        void drain() throws IOException {
            in.transferTo(OutputStream.nullOutputStream());
        }

        String hex() {
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
    }

    /**
     * CSV rows with exact line ranges. Empty lines are kept by the parser (RFC 4180 format) so that a record starts on
     * the line after the previous one ended; a record's range is only known once the next one has been read, hence
     * one record of look-ahead. Empty records (blank lines) are passed over.
     */
    private static final class CsvRows implements Rows {
        private final Path file;
        private final StrictUtf8Reader decoder;
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private List<String> header;
        private long headerLine;
        private CSVRecord pending;
        private long pendingStart;
        private long nextStart;

        CsvRows(Path file, InputStream in) throws IOException {
            this.file = file;
            this.decoder = new StrictUtf8Reader(in);
            this.parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get().parse(decoder);
            this.records = parser.iterator();
        }

        private CSVRecord read() {
            nextStart = parser.getCurrentLineNumber() + 1;
            try {
                return records.hasNext() ? records.next() : null;
            } catch (UncheckedIOException | IllegalStateException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw WorkbenchException.invalid(file + ":" + nextStart + ": malformed CSV: " + cause.getMessage()
                        + " (quoting errors stop the load: the parser cannot find the next row)");
            }
        }

        private static boolean blank(CSVRecord record) {
            return record.size() == 1 && record.get(0).isEmpty();
        }

        @Override
        public List<String> columns() {
            CSVRecord first;
            do {
                first = read();
            } while (first != null && blank(first));
            if (first == null) {
                return null;
            }
            headerLine = nextStart;
            pending = read();
            pendingStart = nextStart;
            Map.Entry<Integer, String> bad = decoder.firstMalformed(headerLine, pending == null ? Long.MAX_VALUE
                    : pendingStart - 1);
            if (bad != null) {
                throw WorkbenchException.invalid(file + ":" + bad.getKey() + ": " + bad.getValue() + " in the header");
            }
            header = first.toList();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).isBlank()) {
                    throw WorkbenchException.invalid(file + ":" + headerLine + ": empty column name (column "
                            + (i + 1) + " of the header)");
                }
                if (!seen.add(header.get(i))) {
                    throw WorkbenchException.invalid(file + ":" + headerLine + ": duplicate column '" + header.get(i)
                            + "'");
                }
            }
            return header;
        }

        @Override
        public long headerLine() {
            return headerLine;
        }

        @Override
        public Row next() {
            while (pending != null) {
                CSVRecord current = pending;
                long start = pendingStart;
                pending = read();
                pendingStart = nextStart;
                long end = pending == null ? Long.MAX_VALUE : pendingStart - 1;
                Map.Entry<Integer, String> bad = decoder.firstMalformed(start, end);
                decoder.malformedLines().headMap((int) Math.min(Integer.MAX_VALUE, end + 1)).clear();
                if (blank(current)) {
                    continue;
                }
                if (bad != null) {
                    return new Row(bad.getKey(), Map.of(), bad.getValue());
                }
                if (current.size() != header.size()) {
                    return new Row(start, Map.of(), "expected " + header.size() + " fields (" + listed(header)
                            + "), found " + current.size());
                }
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    fields.put(header.get(i), current.get(i));
                }
                return new Row(start, fields, null);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** JSON Lines: one object per line; blank lines are passed over. Columns are the first object's keys. */
    private static final class JsonlRows implements Rows {
        private final StrictUtf8Reader decoder;
        private final BufferedReader lines;
        private final Deque<Row> queued = new ArrayDeque<>();
        private long lineNumber;
        private long headerLine;

        JsonlRows(Path file, InputStream in) {
            this.decoder = new StrictUtf8Reader(in);
            this.lines = new BufferedReader(decoder, 64 * 1024);
        }

        @Override
        public List<String> columns() throws IOException {
            Row row;
            while ((row = parseNext()) != null) {
                queued.add(row);
                if (row.error == null) {
                    headerLine = row.line;
                    return List.copyOf(row.fields.keySet());
                }
            }
            return queued.isEmpty() ? null : List.of();
        }

        @Override
        public long headerLine() {
            return headerLine;
        }

        @Override
        public Row next() throws IOException {
            return queued.isEmpty() ? parseNext() : queued.poll();
        }

        private Row parseNext() throws IOException {
            String line;
            while ((line = lines.readLine()) != null) {
                lineNumber++;
                Map.Entry<Integer, String> bad = decoder.firstMalformed(lineNumber, lineNumber);
                decoder.malformedLines().headMap((int) Math.min(Integer.MAX_VALUE, lineNumber + 1)).clear();
                if (bad != null) {
                    return new Row(lineNumber, Map.of(), bad.getValue());
                }
                if (!line.isBlank()) {
                    return parse(lineNumber, line);
                }
            }
            return null;
        }

        private static Row parse(long line, String text) {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                return new Row(line, Map.of(), "malformed JSON at column " + e.getLocation().getColumnNr() + ": "
                        + e.getOriginalMessage());
            }
            if (!node.isObject()) {
                return new Row(line, Map.of(), "expected a JSON object, found " + kind(node));
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                if (value.isContainerNode()) {
                    return new Row(line, Map.of(), "field '" + field.getKey() + "' holds " + kind(value)
                            + "; expected a string, number or boolean");
                }
                fields.put(field.getKey(), value.isNull() ? "" : value.asText());
            }
            return new Row(line, fields, null);
        }

        private static String kind(JsonNode node) {
            return switch (node.getNodeType()) {
                case ARRAY -> "an array";
                case OBJECT -> "an object";
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
                default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
            };
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}
