package dev.workbench.data.chat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.workbench.data.CorpusLoader;
import dev.workbench.data.Loaded;
import dev.workbench.recipe.Corpus.BadRowPolicy;
import dev.workbench.recipe.Corpus.InstructionFormat;
import dev.workbench.recipe.Corpus.InstructionSource;
import dev.workbench.recipe.WorkbenchException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code corpus.instructions} (a {@code .jsonl} file, a {@code .json} array or a {@code .csv} with a header) into
 * {@link Conversation}s, in any of the formats of {@link InstructionFormat}. Every record is checked; every bad one
 * (not an object, a missing or empty field, an unknown role, a field of the wrong type, a conversation that does not
 * end with the assistant) is a {@code FILE:LINE: reason}, and under {@code on_bad_row: error} all of them are reported
 * together (the first {@link CorpusLoader#MAX_LISTED_BAD_ROWS}, then a count).
 *
 * <p>Alpaca's {@code input}, when not empty, follows the instruction in the user turn after a blank line, as the
 * Alpaca prompt puts it under the instruction.
 */
public final class InstructionLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BadRowPolicy policy;

    public InstructionLoader(BadRowPolicy policy) {
        this.policy = policy;
    }

    /** A record as read, before it is understood: its first line and its fields. */
    private record RawRecord(long line, JsonNode node) {
    }

    /** Reads, checks and converts every record of {@code source}. */
    public Loaded<Conversation> load(InstructionSource source) {
        Path file = source.path();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, file + ": no such file", e);
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, file + ": cannot read: " + e, e);
        }
        String text = decode(file, bytes);
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Loaded.BadRow> bad = new ArrayList<>();
        List<RawRecord> records = name.endsWith(".csv") ? csv(file, text, source, bad)
                : name.endsWith(".json") ? jsonArray(file, text, bad) : jsonLines(text, bad);
        if (records.isEmpty() && bad.isEmpty()) {
            throw WorkbenchException.invalid(file + ": no records");
        }
        InstructionFormat format = source.format();
        List<String> columns = List.of();
        if (format == InstructionFormat.AUTO) {
            format = detect(file, source, records);
        }
        if (!records.isEmpty()) {
            List<String> fields = new ArrayList<>();
            records.get(0).node().fieldNames().forEachRemaining(fields::add);
            columns = List.copyOf(fields);
        }
        List<Conversation> conversations = new ArrayList<>();
        for (RawRecord r : records) {
            try {
                conversations.add(new Conversation(file.getFileName() + ":" + r.line(),
                        convert(r.node(), format, source)));
            } catch (BadRecord e) {
                bad.add(new Loaded.BadRow(r.line(), e.getMessage()));
            }
        }
        bad.sort(java.util.Comparator.comparingLong(Loaded.BadRow::line));
        long rowsRead = conversations.size() + bad.size();
        if (!bad.isEmpty() && (policy == BadRowPolicy.ERROR || conversations.isEmpty())) {
            throw badRows(file, bad, conversations.isEmpty() && policy == BadRowPolicy.SKIP);
        }
        List<Loaded.BadRow> listed = bad.subList(0, Math.min(bad.size(), CorpusLoader.MAX_LISTED_BAD_ROWS));
        return new Loaded<>(file, sha256(bytes), columns, conversations, List.of(), rowsRead, bad.size(),
                List.copyOf(listed));
    }

    private static WorkbenchException badRows(Path file, List<Loaded.BadRow> bad, boolean allBad) {
        StringBuilder message = new StringBuilder();
        int shown = Math.min(bad.size(), CorpusLoader.MAX_LISTED_BAD_ROWS);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                message.append('\n');
            }
            message.append(file).append(':').append(bad.get(i).line()).append(": ").append(bad.get(i).reason());
        }
        if (bad.size() > shown) {
            message.append('\n').append(file).append(": ... and ").append(bad.size() - shown).append(" more bad rows");
        }
        message.append('\n').append(file).append(": ").append(bad.size()).append(bad.size() == 1 ? " bad row" : " bad rows")
                .append(allBad ? " and no good one" : " (set corpus.on_bad_row: skip to drop bad rows)");
        return WorkbenchException.invalid(message.toString());
    }

    // ----------------------------------------------------------------------------------------------- reading files

    private static String decode(Path file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw WorkbenchException.invalid(file + ": not UTF-8 text");
        }
    }

    /** One JSON object per non-blank line; a line that is not one is a bad row. */
    private static List<RawRecord> jsonLines(String text, List<Loaded.BadRow> bad) {
        List<RawRecord> records = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (node instanceof ObjectNode) {
                    records.add(new RawRecord(i + 1, node));
                } else {
                    bad.add(new Loaded.BadRow(i + 1, "not a JSON object (got " + kind(node) + ")"));
                }
            } catch (JsonProcessingException e) {
                bad.add(new Loaded.BadRow(i + 1, "malformed JSON: " + e.getOriginalMessage()));
            }
        }
        return records;
    }

    /** A JSON array of objects; each record's line is where its object starts. Malformed JSON fails the file. */
    private static List<RawRecord> jsonArray(Path file, String text, List<Loaded.BadRow> bad) {
        List<RawRecord> records = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw WorkbenchException.invalid(file + ":" + parser.currentLocation().getLineNr()
                        + ": a .json instruction file holds an array of records");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode node = parser.readValueAsTree();
                if (node instanceof ObjectNode) {
                    records.add(new RawRecord(line, node));
                } else {
                    bad.add(new Loaded.BadRow(line, "not a JSON object (got " + kind(node) + ")"));
                }
            }
        } catch (JsonProcessingException e) {
            throw WorkbenchException.invalid(file + ":" + e.getLocation().getLineNr() + ": malformed JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, file + ": cannot read: " + e, e);
        }
        return records;
    }

    /**
     * A CSV with a header: each row becomes an object of string fields; a {@code messages} or {@code conversations}
     * cell (under the recipe's name for it) holds the JSON list.
     */
    private static List<RawRecord> csv(Path file, String text, InstructionSource source, List<Loaded.BadRow> bad) {
        List<RawRecord> records = new ArrayList<>();
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).build().parse(new StringReader(text))) {
            List<String> header = parser.getHeaderNames();
            Iterator<CSVRecord> rows = parser.iterator();
            long nextLine = 2;
            while (rows.hasNext()) {
                CSVRecord row = rows.next();
                long line = nextLine;
                nextLine = parser.getCurrentLineNumber() + 1;
                if (row.size() != header.size()) {
                    bad.add(new Loaded.BadRow(line, "has " + row.size() + " fields, the header " + header.size()));
                    continue;
                }
                ObjectNode node = JSON.createObjectNode();
                for (int i = 0; i < header.size(); i++) {
                    String value = row.get(i);
                    String name = header.get(i);
                    JsonNode parsed = TextNode.valueOf(value);
                    if ((name.equals(source.column("messages")) || name.equals(source.column("conversations")))
                            && value.startsWith("[")) {
                        try {
                            parsed = JSON.readTree(value);
                        } catch (JsonProcessingException e) {
                            parsed = TextNode.valueOf(value); // reported as a wrong type when converted
                        }
                    }
                    node.set(name, parsed);
                }
                records.add(new RawRecord(line, node));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw WorkbenchException.invalid(file + ": malformed CSV: " + e.getMessage());
        }
        return records;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    // ------------------------------------------------------------------------------------------ understanding them

    /** The format the first record's fields show, after the recipe's column renames. */
    private static InstructionFormat detect(Path file, InstructionSource source, List<RawRecord> records) {
        if (records.isEmpty()) {
            return InstructionFormat.MESSAGES; // every record is bad and reported as such
        }
        RawRecord first = records.get(0);
        JsonNode node = first.node();
        if (node.has(source.column("messages"))) {
            return InstructionFormat.MESSAGES;
        }
        if (node.has(source.column("conversations"))) {
            return InstructionFormat.SHAREGPT;
        }
        if (node.has(source.column("instruction")) && node.has(source.column("output"))) {
            return InstructionFormat.ALPACA;
        }
        if (node.has(source.column("prompt")) && node.has(source.column("completion"))) {
            return InstructionFormat.COMPLETION;
        }
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        throw WorkbenchException.invalid(file + ":" + first.line() + ": cannot tell the instruction format from the"
                + " fields " + fields + " (expected messages, conversations, instruction + output, or prompt +"
                + " completion); set corpus.instructions.format, or corpus.instructions.columns to rename fields");
    }

    /** Why one record cannot be used; becomes a {@code FILE:LINE: reason}. */
    private static final class BadRecord extends RuntimeException {
        BadRecord(String reason) {
            super(reason, null, false, false);
        }
    }

    static List<ChatMessage> convert(JsonNode node, InstructionFormat format, InstructionSource source) {
        List<ChatMessage> messages = switch (format) {
            case ALPACA -> alpaca(node, source);
            case COMPLETION -> List.of(ChatMessage.user(text(node, source.column("prompt"), true)),
                    ChatMessage.assistant(text(node, source.column("completion"), true)));
            case MESSAGES -> turns(node, source.column("messages"), "role", "content",
                    Map.of("system", ChatMessage.Role.SYSTEM, "user", ChatMessage.Role.USER,
                            "assistant", ChatMessage.Role.ASSISTANT));
            case SHAREGPT -> turns(node, source.column("conversations"), "from", "value",
                    Map.of("system", ChatMessage.Role.SYSTEM, "human", ChatMessage.Role.USER,
                            "gpt", ChatMessage.Role.ASSISTANT));
            case AUTO -> throw new IllegalStateException("the format is decided before records are converted");
        };
        checkOrder(messages);
        return messages;
    }

    private static List<ChatMessage> alpaca(JsonNode node, InstructionSource source) {
        List<ChatMessage> messages = new ArrayList<>();
        String system = text(node, source.column("system"), false);
        if (!system.isEmpty()) {
            messages.add(ChatMessage.system(system));
        }
        String instruction = text(node, source.column("instruction"), true);
        String input = text(node, source.column("input"), false);
        messages.add(ChatMessage.user(input.isEmpty() ? instruction : instruction + "\n\n" + input));
        messages.add(ChatMessage.assistant(text(node, source.column("output"), true)));
        return messages;
    }

    /** A list of {role, content}-like objects under {@code field}; roles by {@code roles}. */
    private static List<ChatMessage> turns(JsonNode node, String field, String roleKey, String contentKey,
                                           Map<String, ChatMessage.Role> roles) {
        JsonNode list = node.get(field);
        if (list == null || list.isNull()) {
            throw new BadRecord("missing field '" + field + "'");
        }
        if (!list.isArray()) {
            throw new BadRecord("'" + field + "' must be a list of turns, got " + kind(list));
        }
        if (list.isEmpty()) {
            throw new BadRecord("'" + field + "' is empty");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode turn = list.get(i);
            String where = field + "[" + i + "]";
            if (!turn.isObject()) {
                throw new BadRecord(where + " must be an object with " + roleKey + " and " + contentKey + ", got "
                        + kind(turn));
            }
            JsonNode role = turn.get(roleKey);
            if (role == null || role.isNull()) {
                throw new BadRecord(where + ": missing " + roleKey);
            }
            if (!role.isTextual()) {
                throw new BadRecord(where + "." + roleKey + " must be a string, got " + kind(role));
            }
            ChatMessage.Role parsed = roles.get(role.asText());
            if (parsed == null) {
                throw new BadRecord(where + ": unknown " + roleKey + " '" + role.asText() + "' (expected "
                        + String.join(", ", roles.keySet().stream().sorted().toList()) + ")");
            }
            JsonNode content = turn.get(contentKey);
            if (content == null || content.isNull()) {
                throw new BadRecord(where + ": missing " + contentKey);
            }
            if (!content.isTextual()) {
                throw new BadRecord(where + "." + contentKey + " must be a string, got " + kind(content));
            }
            if (content.asText().isBlank()) {
                throw new BadRecord(where + ": empty " + contentKey);
            }
            messages.add(new ChatMessage(parsed, content.asText()));
        }
        return messages;
    }

    /** A system turn only first, at least one user turn, and an assistant turn last (what is learnt). */
    private static void checkOrder(List<ChatMessage> messages) {
        for (int i = 1; i < messages.size(); i++) {
            if (messages.get(i).role() == ChatMessage.Role.SYSTEM) {
                throw new BadRecord("a system message may only come first (turn " + i + ")");
            }
        }
        if (messages.stream().noneMatch(m -> m.role() == ChatMessage.Role.USER)) {
            throw new BadRecord("no user turn");
        }
        if (messages.get(messages.size() - 1).role() != ChatMessage.Role.ASSISTANT) {
            throw new BadRecord("the conversation ends with a " + messages.get(messages.size() - 1).role()
                    .templateName() + " turn; it must end with the assistant's (what the model learns to say)");
        }
    }

    /** A string field; {@code required}: present and not blank; otherwise absent or null gives "". */
    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadRecord("missing field '" + field + "'");
            }
            return "";
        }
        if (!value.isTextual()) {
            throw new BadRecord("field '" + field + "' must be a string, got " + kind(value));
        }
        if (required && value.asText().isBlank()) {
            throw new BadRecord("empty field '" + field + "'");
        }
        return value.asText();
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            default -> "a string";
        };
    }
}
