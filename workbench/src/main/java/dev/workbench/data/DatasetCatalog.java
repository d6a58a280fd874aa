package dev.workbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.workbench.recipe.WorkbenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The public datasets a user can fetch ({@code datasets/catalog.yaml}): where each comes from, its licence, the hash
 * its bytes should have, and how it becomes the workbench layout. Read only; {@link DatasetFetcher} does the fetching.
 */
public record DatasetCatalog(Path file, List<Entry> datasets) {

    /** Where the catalog lives, relative to the repository root. */
    public static final String CATALOG_PATH = "datasets/catalog.yaml";
    /** Where fetched datasets go, relative to the repository root (git-ignored). */
    public static final String EXTERNAL_PATH = "datasets/external";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** One dataset. */
    public record Entry(String name, String title, String description, String domain, String license,
                        String citation, String homepage, List<Source> sources, Conversion convert) {

        /** True when every source has an expected hash. */
        public boolean verified() {
            return sources.stream().allMatch(s -> s.sha256().isPresent());
        }
    }

    /**
     * One file to download.
     *
     * @param sha256 expected lowercase hex SHA-256 of the bytes; empty = unverified
     * @param split "train" or "test" when the source defines an official split
     */
    public record Source(String url, Optional<String> sha256, Optional<String> split) {

        /** The last path segment of the URL (the name the file is saved under before conversion). */
        public String fileName() {
            String path = url.replaceFirst("[?#].*$", "");
            String last = path.substring(path.lastIndexOf('/') + 1);
            return last.isEmpty() ? "download" : last;
        }
    }

    /** How sources become workbench files; which fields apply depends on {@code kind} (see the catalog header). */
    public record Conversion(Kind kind, Optional<String> textColumn, Optional<String> labelColumn, List<String> fields,
                             List<String> columns, Optional<String> skipLinesStartingWith,
                             Optional<String> stripTrailingPeriod, List<String> collections) {
    }

    public enum Kind {
        LABELLED_CSV("labelled-csv"), JSONL_TEXT("jsonl-text"), HEADERLESS_CSV_TABLE("headerless-csv-table"),
        PLAIN_TEXT("plain-text"), GUTENBERG_TEXT("gutenberg-text"), MEDQUAD_XML("medquad-xml");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        static Optional<Kind> of(String key) {
            for (Kind kind : values()) {
                if (kind.key.equals(key)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The repository root: the system property {@code workbench.repo.root} (tests), else {@code workbench.home}
     * (set by bin/workbench), else the nearest folder at or above the working directory holding the catalog.
     */
    public static Path repoRoot() {
        for (String property : List.of("workbench.repo.root", "workbench.home")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                return Path.of(value).toAbsolutePath().normalize();
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(CATALOG_PATH))) {
                return dir;
            }
        }
        throw WorkbenchException.environment("cannot find " + CATALOG_PATH + " in " + Path.of("").toAbsolutePath()
                + " or above (run from the repository, or give --catalog)");
    }

    /** The repository's catalog. */
    public static DatasetCatalog load() {
        return read(repoRoot().resolve(CATALOG_PATH));
    }

    public static DatasetCatalog read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw WorkbenchException.environment(file + ": no such file");
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw WorkbenchException.environment(file + ": no such file");
            }
            throw WorkbenchException.invalid(file + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.path("datasets").isArray()) {
            throw WorkbenchException.invalid(file + ": expected a top-level 'datasets' list");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode node : root.get("datasets")) {
            String where = file + ": datasets[" + index++ + "]";
            Entry entry = entry(node, where);
            if (!names.add(entry.name())) {
                throw WorkbenchException.invalid(where + ": duplicate name '" + entry.name() + "'");
            }
            entries.add(entry);
        }
        return new DatasetCatalog(file, List.copyOf(entries));
    }

    public Entry find(String name) {
        for (Entry entry : datasets) {
            if (entry.name().equals(name)) {
                return entry;
            }
        }
        List<String> known = datasets.stream().map(Entry::name).toList();
        throw WorkbenchException.invalid("no dataset '" + name + "' in " + file + " (known: " + String.join(", ", known)
                + ")" + Names.suggestion(name, known));
    }

    private static Entry entry(JsonNode node, String where) {
        checkKeys(node, where, Set.of("name", "title", "description", "domain", "license", "citation", "homepage",
                "sources", "convert"));
        String name = text(node, "name", where).orElseThrow(() -> missing(where, "name"));
        if (!NAME.matcher(name).matches()) {
            throw WorkbenchException.invalid(where + ": name '" + name + "' must be lowercase letters, digits and '-'");
        }
        String at = where + " (" + name + ")";
        JsonNode sourceNodes = node.path("sources");
        if (!sourceNodes.isArray() || sourceNodes.isEmpty()) {
            throw WorkbenchException.invalid(at + ": 'sources' must be a non-empty list");
        }
        List<Source> sources = new ArrayList<>();
        for (JsonNode source : sourceNodes) {
            checkKeys(source, at + ".sources", Set.of("url", "sha256", "split"));
            String url = text(source, "url", at).orElseThrow(() -> missing(at + ".sources", "url"));
            Optional<String> sha = text(source, "sha256", at).map(s -> s.toLowerCase(Locale.ROOT));
            if (sha.isPresent() && !SHA256.matcher(sha.get()).matches()) {
                throw WorkbenchException.invalid(at + ": sha256 of " + url + " must be 64 hex digits (quoted) or null");
            }
            Optional<String> split = text(source, "split", at);
            if (split.isPresent() && !List.of("train", "test").contains(split.get())) {
                throw WorkbenchException.invalid(at + ": split of " + url + " must be train or test");
            }
            sources.add(new Source(url, sha, split));
        }
        return new Entry(name,
                text(node, "title", at).orElse(name),
                text(node, "description", at).orElseThrow(() -> missing(at, "description")),
                text(node, "domain", at).orElseThrow(() -> missing(at, "domain")),
                text(node, "license", at).orElseThrow(() -> missing(at, "license")),
                text(node, "citation", at).orElse(""),
                text(node, "homepage", at).orElse(""),
                List.copyOf(sources),
                conversion(node.path("convert"), at + ".convert"));
    }

    private static Conversion conversion(JsonNode node, String where) {
        if (!node.isObject()) {
            throw missing(where.substring(0, where.lastIndexOf('.')), "convert");
        }
        checkKeys(node, where, Set.of("kind", "text_column", "label_column", "fields", "columns",
                "skip_lines_starting_with", "strip_trailing_period", "collections"));
        String kindName = text(node, "kind", where).orElseThrow(() -> missing(where, "kind"));
        List<String> kinds = java.util.Arrays.stream(Kind.values()).map(Kind::key).toList();
        Kind kind = Kind.of(kindName).orElseThrow(() -> WorkbenchException.invalid(where + ": unknown kind '"
                + kindName + "' (known: " + String.join(", ", kinds) + ")" + Names.suggestion(kindName, kinds)));
        Conversion conversion = new Conversion(kind, text(node, "text_column", where),
                text(node, "label_column", where), list(node, "fields", where), list(node, "columns", where),
                text(node, "skip_lines_starting_with", where), text(node, "strip_trailing_period", where),
                list(node, "collections", where));
        switch (kind) {
            case LABELLED_CSV -> {
                conversion.textColumn().orElseThrow(() -> missing(where, "text_column"));
                conversion.labelColumn().orElseThrow(() -> missing(where, "label_column"));
            }
            case JSONL_TEXT -> {
                if (conversion.fields().isEmpty()) {
                    throw missing(where, "fields");
                }
            }
            case HEADERLESS_CSV_TABLE -> {
                if (conversion.columns().isEmpty()) {
                    throw missing(where, "columns");
                }
                conversion.stripTrailingPeriod().filter(c -> !conversion.columns().contains(c)).ifPresent(c -> {
                    throw WorkbenchException.invalid(where + ": strip_trailing_period names '" + c
                            + "', which is not in columns");
                });
            }
            case MEDQUAD_XML -> {
                if (conversion.collections().isEmpty()) {
                    throw missing(where, "collections");
                }
            }
            default -> {
            }
        }
        return conversion;
    }

    private static void checkKeys(JsonNode node, String where, Set<String> allowed) {
        if (!node.isObject()) {
            throw WorkbenchException.invalid(where + ": expected a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw WorkbenchException.invalid(where + ": unknown key '" + key + "'"
                        + Names.suggestion(key, allowed));
            }
        }
    }

    private static Optional<String> text(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw WorkbenchException.invalid(where + ": '" + key + "' must be a single value");
        }
        return Optional.of(value.asText());
    }

    private static List<String> list(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw WorkbenchException.invalid(where + ": '" + key + "' must be a list");
        }
        List<String> out = new ArrayList<>();
        value.forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }

    private static WorkbenchException missing(String where, String key) {
        return WorkbenchException.invalid(where + ": missing '" + key + "'");
    }
}
