package dev.workbench.eval.task;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.eval.CsvFiles;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.JsonLines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The records of a task's dataset or few-shot file: JSON Lines (one object a line, any field types) or CSV with a
 * header (every field a string). Each keeps where it came from, so a template that fails on it names
 * {@code FILE:LINE}.
 */
public final class TaskItems {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private TaskItems() {
    }

    /** One record and its place: {@code FILE:LINE}. */
    public record Item(String where, Map<String, Object> fields) {
        public Item {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /** The same record with fields renamed: {@code renames} maps the new name to the present one. */
        Item renamed(Map<String, String> renames) {
            if (renames.isEmpty()) {
                return this;
            }
            Map<String, Object> out = new LinkedHashMap<>(fields);
            renames.forEach((to, from) -> {
                if (fields.containsKey(from)) {
                    out.put(to, fields.get(from));
                }
            });
            return new Item(where, out);
        }
    }

    /** Every record of {@code file}, in file order. */
    public static List<Item> read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Item> items = new ArrayList<>();
        if (name.endsWith(".csv")) {
            for (CsvFiles.Row row : CsvFiles.readRows(file, List.of())) {
                items.add(new Item(file + ":" + row.line(), new LinkedHashMap<>(row.values())));
            }
            return items;
        }
        if (!name.endsWith(".jsonl")) {
            throw WorkbenchException.invalid(file + ": a task's data must be .jsonl or .csv");
        }
        JsonLines.read(file, JSON, (line, e) -> WorkbenchException.invalid(file + ":" + line + ": not JSON: "
                + e.getMessage()), (line, node) -> {
            if (!node.isObject()) {
                throw WorkbenchException.invalid(file + ":" + line + ": each line must be a JSON object");
            }
            items.add(new Item(file + ":" + line, JSON.convertValue(node, OBJECT)));
        });
        return items;
    }
}
