package dev.workbench.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * SDV metadata, either the single-table layout ({@code {"columns": ..., "primary_key": ...,
 * "METADATA_SPEC_VERSION": "SINGLE_TABLE_V1"}}) or SDV 1.x's ({@code {"tables": {NAME: {"columns": ...}},
 * "relationships": [...], "METADATA_SPEC_VERSION": "V1"}}, one table picked by name), mapped onto the evaluation's column
 * types: numerical → continuous, datetime → continuous after conversion to epoch seconds (so it gets KSComplement, as
 * SDMetrics does), categorical → categorical, boolean → boolean; id columns and the primary key are dropped.
 *
 * @param columnTypes column → recipe-style type ({@code continuous|categorical|boolean}), the overrides
 *                    {@link dev.workbench.data.ColumnType#forColumns} takes
 * @param dropped     id columns and the primary key, left out of every comparison
 * @param datetimeFormats every datetime column → its {@code datetime_format} (strftime), "" when not given (ISO
 *                        date or date-time then)
 */
public record SdvMetadata(Map<String, String> columnTypes, Set<String> dropped, Map<String, String> datetimeFormats) {
    public static final String SPEC_VERSION = "SINGLE_TABLE_V1";
    /** SDV 1.x's spec version for metadata with a {@code tables} object (SDMetrics' demos use it with SPEC_VERSION). */
    public static final String MULTI_TABLE_SPEC_VERSION = "V1";

    /** Single-table metadata, or V1 metadata that has exactly one table. */
    public static SdvMetadata read(Path file) throws IOException {
        return read(file, Optional.empty());
    }

    /**
     * @param table the table to use from V1 metadata's {@code tables}; required when there are several (the error
     *              lists their names)
     */
    public static SdvMetadata read(Path file, Optional<String> table) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw WorkbenchException.invalid(file + ":" + (e.getLocation() == null ? 1 : e.getLocation().getLineNr())
                    + ": not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw WorkbenchException.invalid(file + ": SDV metadata must be a JSON object");
        }
        JsonNode version = root.get("METADATA_SPEC_VERSION");
        if (version != null && !SPEC_VERSION.equals(version.asText())
                && !MULTI_TABLE_SPEC_VERSION.equals(version.asText())) {
            throw WorkbenchException.invalid(file + ": METADATA_SPEC_VERSION '" + version.asText()
                    + "' is not supported (" + MULTI_TABLE_SPEC_VERSION + " or " + SPEC_VERSION + ")");
        }
        String where = "";
        JsonNode tableNode = root;
        JsonNode tables = root.get("tables");
        if (tables != null) {
            if (!tables.isObject() || tables.isEmpty()) {
                throw WorkbenchException.invalid(file + ": 'tables' must be an object with at least one table");
            }
            List<String> names = new ArrayList<>();
            tables.fieldNames().forEachRemaining(names::add);
            String name;
            if (table.isPresent()) {
                if (!tables.has(table.get())) {
                    throw WorkbenchException.invalid(file + ": no table '" + table.get() + "' in 'tables' (tables: "
                            + String.join(", ", names) + ")");
                }
                name = table.get();
            } else if (names.size() == 1) {
                name = names.get(0);
            } else {
                throw WorkbenchException.invalid(file + ": holds " + names.size() + " tables ("
                        + String.join(", ", names) + "); pick the one the CSV files hold with --table NAME");
            }
            tableNode = tables.get(name);
            where = "tables." + name + ".";
        } else if (table.isPresent()) {
            throw WorkbenchException.invalid(file + ": --table " + table.get() + " given, but the metadata is "
                    + "single-table (no 'tables' object)");
        }
        JsonNode columns = tableNode.get("columns");
        if (columns == null || !columns.isObject()) {
            throw WorkbenchException.invalid(file + ": no '" + where + "columns' object"
                    + (tables == null ? " (expected SDV single-table metadata with 'columns', or V1 metadata with "
                    + "'tables')" : ""));
        }
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> dropped = new TreeSet<>();
        Map<String, String> formats = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String sdtype = e.getValue().path("sdtype").asText("");
            switch (sdtype) {
                case "numerical" -> types.put(e.getKey(), "continuous");
                case "categorical" -> types.put(e.getKey(), "categorical");
                case "boolean" -> types.put(e.getKey(), "boolean");
                case "datetime" -> {
                    types.put(e.getKey(), "continuous");
                    JsonNode format = e.getValue().get("datetime_format");
                    formats.put(e.getKey(), format == null ? "" : format.asText());
                    if (format != null && !format.asText().isEmpty()) {
                        try {
                            strftime(format.asText());
                        } catch (WorkbenchException | IllegalArgumentException bad) {
                            throw WorkbenchException.invalid(file + ": " + where + "columns." + e.getKey()
                                    + ".datetime_format: "
                                    + bad.getMessage());
                        }
                    }
                }
                case "id" -> dropped.add(e.getKey());
                default -> throw WorkbenchException.invalid(file + ": " + where + "columns." + e.getKey() + ".sdtype '"
                        + sdtype
                        + "' is not supported (numerical, categorical, boolean, datetime, id)");
            }
        }
        JsonNode key = tableNode.get("primary_key");
        if (key != null && key.isTextual()) {
            if (!columns.has(key.asText())) {
                throw WorkbenchException.invalid(file + ": primary_key '" + key.asText() + "' is not in 'columns'");
            }
            types.remove(key.asText());
            dropped.add(key.asText());
        }
        return new SdvMetadata(Map.copyOf(types), Set.copyOf(dropped), Map.copyOf(formats));
    }

    /** Every column the metadata names must be in the CSV header; the error names the metadata key and the file. */
    public void check(Path metadataFile, Path csv, List<String> header) {
        Set<String> named = new TreeSet<>(columnTypes.keySet());
        named.addAll(dropped);
        for (String column : named) {
            if (!header.contains(column)) {
                throw WorkbenchException.invalid(metadataFile + ": columns." + column + " is not a column of " + csv
                        + " (header: " + header + ")");
            }
        }
    }

    /** Datetime cells as epoch seconds (UTC); a cell that does not parse becomes empty, i.e. missing. */
    public List<List<String>> convertDatetimes(List<String> header, List<List<String>> rows) {
        List<Integer> indices = new ArrayList<>();
        List<Optional<DateTimeFormatter>> formatters = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            String column = header.get(c);
            if (datetimeFormats.containsKey(column)) {
                indices.add(c);
                String format = datetimeFormats.get(column);
                formatters.add(format.isEmpty() ? Optional.empty() : Optional.of(strftime(format)));
            }
        }
        if (indices.isEmpty()) {
            return rows;
        }
        List<List<String>> out = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            List<String> copy = new ArrayList<>(row);
            for (int k = 0; k < indices.size(); k++) {
                int c = indices.get(k);
                copy.set(c, epochSeconds(TableCells.cell(row, c), formatters.get(k)));
            }
            out.add(copy);
        }
        return out;
    }

    static String epochSeconds(String cell, Optional<DateTimeFormatter> format) {
        if (cell.isEmpty()) {
            return "";
        }
        List<DateTimeFormatter> tries = format.map(List::of).orElse(
                List.of(DateTimeFormatter.ISO_LOCAL_DATE_TIME, DateTimeFormatter.ISO_LOCAL_DATE));
        for (DateTimeFormatter f : tries) {
            try {
                return Long.toString(LocalDateTime.parse(cell, f).toEpochSecond(ZoneOffset.UTC));
            } catch (DateTimeParseException notDateTime) {
                try {
                    return Long.toString(LocalDate.parse(cell, f).atStartOfDay().toEpochSecond(ZoneOffset.UTC));
                } catch (DateTimeParseException notDate) {
                    // next pattern
                }
            }
        }
        return "";
    }

    /** Python strftime (as SDV's {@code datetime_format}) to a java.time pattern; letters outside % are quoted. */
    static DateTimeFormatter strftime(String format) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char ch = format.charAt(i);
            if (ch == '%' && i + 1 < format.length()) {
                char d = format.charAt(++i);
                p.append(switch (d) {
                    case 'Y' -> "uuuu";
                    case 'y' -> "uu";
                    case 'm' -> "MM";
                    case 'd' -> "dd";
                    case 'H' -> "HH";
                    case 'I' -> "hh";
                    case 'p' -> "a";
                    case 'M' -> "mm";
                    case 'S' -> "ss";
                    case 'f' -> "SSSSSS";
                    case 'b' -> "MMM";
                    case 'B' -> "MMMM";
                    case 'j' -> "DDD";
                    case '%' -> "'%'";
                    default -> throw WorkbenchException.invalid("datetime_format '" + format + "': %" + d
                            + " is not supported");
                });
            } else if (Character.isLetter(ch) || ch == '\'') {
                p.append('\'').append(ch == '\'' ? "''" : ch).append('\'');
            } else {
                p.append(ch);
            }
        }
        return DateTimeFormatter.ofPattern(p.toString(), Locale.ROOT);
    }
}
