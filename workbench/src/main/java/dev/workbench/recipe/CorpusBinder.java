package dev.workbench.recipe;

import dev.workbench.recipe.Corpus.BadRowPolicy;
import dev.workbench.recipe.Corpus.Format;
import dev.workbench.recipe.Corpus.LabelledSource;
import dev.workbench.recipe.Corpus.TableSource;
import dev.workbench.recipe.Corpus.TextSource;
import dev.workbench.recipe.Corpus.InstructionFormat;
import dev.workbench.recipe.Corpus.InstructionSource;
import dev.workbench.recipe.NodeReader.Section;
import org.yaml.snakeyaml.nodes.Node;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.workbench.recipe.Problem.quote;
import static dev.workbench.recipe.RecipeFields.valueName;

/** Binds {@code corpus}: the text, labelled and table sources, each with its format. */
final class CorpusBinder {
    private static final List<String> COLUMN_TYPES =
            List.of("continuous", "integer", "categorical", "boolean", "datetime");

    private CorpusBinder() {
    }

    static Corpus bind(NodeReader read, Section s) {
        Section textSection = read.section(s, "text");
        Optional<TextSource> text = Optional.empty();
        if (textSection.valid()) {
            List<NodeReader.PathItem> paths = read.requiredPaths(textSection, "path");
            Format format = textFormat(read, textSection, paths);
            String column = read.string(textSection, "column", "text");
            // With no usable path (already reported) a placeholder keeps binding going; no recipe is made.
            List<Path> files = paths.isEmpty() ? List.of(Path.of("")) : paths.stream().map(NodeReader.PathItem::path)
                    .toList();
            text = Optional.of(new TextSource(files, format, column));
        }
        Section labelledSection = read.section(s, "labelled");
        Optional<LabelledSource> labelled = Optional.empty();
        if (labelledSection.valid()) {
            Path path = read.requiredPath(labelledSection, "path");
            Format format = format(read, labelledSection, path, List.of(Format.CSV, Format.JSONL));
            String textColumn = read.string(labelledSection, "text_column", "text");
            String labelColumn = read.string(labelledSection, "label_column", "label");
            if (textColumn.equals(labelColumn)) {
                Node at = labelledSection.has("label_column") ? labelledSection.value("label_column")
                        : labelledSection.value("text_column");
                read.problem(at, "corpus.labelled.label_column", "must differ from text_column (both are "
                        + quote(textColumn) + ")", Optional.empty());
            }
            labelled = Optional.of(new LabelledSource(path, format, textColumn, labelColumn));
        }
        Section tableSection = read.section(s, "table");
        Optional<TableSource> table = Optional.empty();
        if (tableSection.valid()) {
            Path path = read.requiredPath(tableSection, "path");
            Format format = format(read, tableSection, path, List.of(Format.CSV, Format.JSONL));
            Optional<String> target = read.optionalString(tableSection, "target");
            Map<String, String> columnTypes = read.stringMap(tableSection, "column_types", COLUMN_TYPES);
            List<String> drop = read.stringList(tableSection, "drop", List.of(), null, false);
            if (target.isPresent() && drop.contains(target.get())) {
                read.problem(tableSection.value("drop"), "corpus.table.drop", "drops the target column "
                        + quote(target.get()), Optional.empty());
            }
            table = Optional.of(new TableSource(path, format, target, columnTypes, drop));
        }
        Section instructionSection = read.section(s, "instructions");
        Optional<InstructionSource> instructions = Optional.empty();
        if (instructionSection.valid()) {
            Path path = read.requiredPath(instructionSection, "path");
            if (path != null && !INSTRUCTION_EXTENSIONS.contains(extension(path))) {
                read.problem(instructionSection.value("path"), "corpus.instructions.path", "must be a .jsonl, .json"
                        + " or .csv file, got " + quote(fileName(path)), Optional.of("a .json file holds an array"
                        + " of records; .jsonl one record a line"));
            }
            InstructionFormat format = read.enumValue(instructionSection, "format", InstructionFormat.class,
                    InstructionFormat.AUTO);
            Map<String, String> columns = read.stringMap(instructionSection, "columns", null);
            for (String canonical : columns.keySet()) {
                if (!InstructionFormat.FIELDS.contains(canonical)) {
                    read.problem(instructionSection.value("columns"), "corpus.instructions.columns." + canonical,
                            "unknown field " + quote(canonical), Optional.of("the fields that can be renamed: "
                                    + String.join(", ", InstructionFormat.FIELDS)));
                }
            }
            instructions = Optional.of(new InstructionSource(path == null ? Path.of("") : path, format, columns));
        }
        BadRowPolicy onBadRow = read.enumValue(s, "on_bad_row", BadRowPolicy.class, BadRowPolicy.ERROR);
        if (s.valid() && !textSection.present && !labelledSection.present && !tableSection.present
                && !instructionSection.present) {
            read.problem(s.anchor(), "corpus", "needs at least one of text, labelled, table, instructions",
                    Optional.empty());
        }
        return new Corpus(text, labelled, table, onBadRow, instructions);
    }

    /**
     * The format of {@code corpus.text}: {@code format} when set, else the first file's extension; every other file
     * must then have the same extension (each is read as that format).
     */
    private static Format textFormat(NodeReader read, Section s, List<NodeReader.PathItem> paths) {
        List<Format> allowed = List.of(Format.values());
        if (paths.isEmpty()) {
            return format(read, s, null, null, null, allowed);
        }
        NodeReader.PathItem first = paths.get(0);
        int before = read.problemCount();
        Format format = format(read, s, first.path(), first.node(), first.dotted(), allowed);
        if (s.has("format") || read.problemCount() > before) {
            return format;
        }
        String extension = "." + valueName(format);
        for (NodeReader.PathItem item : paths.subList(1, paths.size())) {
            String fileName = fileName(item.path());
            if (!fileName.toLowerCase(Locale.ROOT).endsWith(extension)) {
                read.problem(item.node(), item.dotted(), "must be a " + extension + " file like the first, got "
                        + quote(fileName), Optional.of("the files of corpus.text are all read as one format, here "
                        + valueName(format) + " (from " + quote(fileName(first.path())) + ")"));
            }
        }
        return format;
    }

    private static Format format(NodeReader read, Section s, Path path, List<Format> allowed) {
        return format(read, s, path, s.value("path"), s.dotted("path"), allowed);
    }

    private static final List<String> INSTRUCTION_EXTENSIONS = List.of("jsonl", "json", "csv");

    private static String extension(Path path) {
        String lower = fileName(path).toLowerCase(Locale.ROOT);
        return lower.lastIndexOf('.') < 0 ? "" : lower.substring(lower.lastIndexOf('.') + 1);
    }

    private static String fileName(Path path) {
        return path.getFileName() == null ? "" : path.getFileName().toString();
    }

    /**
     * @param pathNode where a problem with the path's extension is reported
     * @param pathKey the key it is reported under
     */
    private static Format format(NodeReader read, Section s, Path path, Node pathNode, String pathKey,
                                 List<Format> allowed) {
        String key = s.dotted("format");
        if (s.has("format")) {
            Format format = read.enumValue(s, "format", Format.class, Format.CSV);
            if (!allowed.contains(format)) {
                List<String> names = allowed.stream().map(RecipeFields::valueName).toList();
                read.problem(s.value("format"), key, "must be one of " + String.join(", ", names) + " here, got "
                        + valueName(format), Optional.empty());
            }
            return format;
        }
        if (path == null) {
            return allowed.get(0); // the missing path is already reported
        }
        String fileName = fileName(path);
        String lowerName = fileName.toLowerCase(Locale.ROOT);
        String extension = lowerName.lastIndexOf('.') < 0 ? "" : lowerName.substring(lowerName.lastIndexOf('.') + 1);
        List<String> extensions = allowed.stream().map(f -> "." + valueName(f)).toList();
        String allowedExtensions = String.join(", ", extensions.subList(0, extensions.size() - 1)) + " or "
                + extensions.get(extensions.size() - 1);
        for (Format format : Format.values()) {
            if (valueName(format).equals(extension)) {
                if (allowed.contains(format)) {
                    read.noteSource(key, "default");
                } else {
                    read.problem(pathNode, pathKey, "must be a " + allowedExtensions + " file here,"
                            + " got " + quote(fileName), Optional.empty());
                }
                return format;
            }
        }
        read.problem(pathNode, pathKey, "cannot tell the format of " + quote(fileName)
                + " from its extension", Optional.of("use a " + allowedExtensions + " file, or set " + key));
        return allowed.get(0);
    }
}
