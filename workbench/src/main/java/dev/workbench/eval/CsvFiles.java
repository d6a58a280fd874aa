package dev.workbench.eval;

import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.RunFolder;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CSV files of a run folder as the evaluator and the report read them (header row, cells as text) and the atomic
 * CSV writer of the evaluator's own files. Bad input becomes a {@link WorkbenchException} naming the file and line.
 */
public final class CsvFiles {
    private CsvFiles() {
    }

    /** A parsed CSV row with its 1-based line number. */
    public record Row(Path file, long line, Map<String, String> values) {
        public String get(String column) {
            return values.getOrDefault(column, "");
        }

        public double number(String column) {
            String cell = get(column);
            try {
                return Double.parseDouble(cell.trim());
            } catch (NumberFormatException e) {
                throw WorkbenchException.invalid(file + ":" + line + ": column '" + column + "' is not a number: '"
                        + cell + "'");
            }
        }
    }

    public static List<Row> readRows(Path file, List<String> required) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            for (String column : required) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw WorkbenchException.invalid(file + ":1: missing column '" + column + "' (header: "
                            + parser.getHeaderNames() + ")");
                }
            }
            List<Row> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                rows.add(new Row(file, parser.getCurrentLineNumber(), record.toMap()));
            }
            return rows;
        } catch (java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            if (e instanceof WorkbenchException) {
                throw e;
            }
            throw WorkbenchException.invalid(file + ": not a valid CSV file: " + e.getMessage());
        }
    }

    /** A CSV table as header + rows of raw cells. */
    public static Table readTable(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            List<String> header = List.copyOf(parser.getHeaderNames());
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                List<String> row = new ArrayList<>(header.size());
                for (int c = 0; c < header.size(); c++) {
                    row.add(c < record.size() ? record.get(c) : "");
                }
                rows.add(row);
            }
            return new Table(header, rows);
        } catch (java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            throw WorkbenchException.invalid(file + ": not a valid CSV table: " + e.getMessage());
        }
    }

    /** Rows of {@code table} reordered to {@code columns} (a column the table lacks becomes empty cells). */
    public static List<List<String>> align(Table table, List<String> columns) {
        int[] index = columns.stream().mapToInt(c -> table.columns().indexOf(c)).toArray();
        List<List<String>> out = new ArrayList<>(table.rows().size());
        for (List<String> row : table.rows()) {
            List<String> aligned = new ArrayList<>(columns.size());
            for (int i : index) {
                aligned.add(i >= 0 && i < row.size() ? row.get(i) : "");
            }
            out.add(aligned);
        }
        return out;
    }

    public static void writeCsv(Path file, List<String> header, List<List<String>> rows) throws IOException {
        RunFolder.writeAtomically(file, writer -> {
            try (CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(
                    header.toArray(String[]::new)).get())) {
                for (List<String> row : rows) {
                    printer.printRecord(row);
                }
            }
        });
    }
}
