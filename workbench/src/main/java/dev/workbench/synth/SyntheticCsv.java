package dev.workbench.synth;

import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Synthetic tables as RFC 4180 CSV with a header row (UTF-8, LF), written via a temporary file and a rename. */
public final class SyntheticCsv {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private SyntheticCsv() {
    }

    public static void write(Path file, Table table) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(writer, FORMAT)) {
            printer.printRecord(table.columns());
            for (List<String> row : table.rows()) {
                printer.printRecord(row);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes the table to {@code writer} (e.g. standard output) without closing it; flushes at the end. */
    public static void write(Writer writer, Table table) throws IOException {
        CSVPrinter printer = new CSVPrinter(writer, FORMAT);
        printer.printRecord(table.columns());
        for (List<String> row : table.rows()) {
            printer.printRecord(row);
        }
        printer.flush();
    }

    /** Reads a CSV with a header row; rows with a different number of fields are INVALID_INPUT naming the line. */
    public static Table read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                     .parse(reader)) {
            List<String> columns = parser.getHeaderNames();
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (record.size() != columns.size()) {
                    throw WorkbenchException.invalid(file + ":" + parser.getCurrentLineNumber() + ": "
                            + record.size() + " fields, the header has " + columns.size());
                }
                rows.add(record.toList());
            }
            return new Table(List.copyOf(columns), rows);
        }
    }
}
