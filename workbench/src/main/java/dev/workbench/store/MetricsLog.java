package dev.workbench.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Appends {@link MetricRow}s to a run's {@code metrics.jsonl}, one JSON object a line, and reads them back. */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public synchronized void append(MetricRow row) {
        appendAll(List.of(row));
    }

    public synchronized void appendAll(List<MetricRow> rows) {
        StringBuilder text = new StringBuilder();
        try {
            for (MetricRow row : rows) {
                text.append(JSON.writeValueAsString(row)).append('\n');
            }
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            IOException named = DiskFullException.naming(file, e);
            throw new UncheckedIOException(named == e ? "cannot append to " + file : named.getMessage(), named);
        }
    }

    public static List<MetricRow> read(Path file) throws IOException {
        List<MetricRow> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rows.add(JSON.readValue(line, MetricRow.class));
                } catch (IOException e) {
                    throw new IOException(file + ":" + lineNumber + ": not a metric row: " + e.getMessage(), e);
                }
            }
        }
        return rows;
    }
}
