package dev.workbench.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a JSON-lines file (one JSON value a line, blank lines skipped): a run folder's samples and generations, a
 * user's input rows. Each reader words its own error for a line that does not parse, with the file and line number.
 */
public final class JsonLines {
    /** One parsed line with its 1-based number. */
    @FunctionalInterface
    public interface Line {
        void accept(long number, JsonNode node) throws IOException;
    }

    /** The exception thrown for line {@code number}, which is not JSON. */
    @FunctionalInterface
    public interface Unparsable {
        RuntimeException exception(long number, IOException cause);
    }

    private JsonLines() {
    }

    public static void read(Path file, ObjectMapper json, Unparsable unparsable, Line line) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = json.readTree(text);
                } catch (IOException e) {
                    throw unparsable.exception(number, e);
                }
                line.accept(number, node);
            }
        }
    }
}
