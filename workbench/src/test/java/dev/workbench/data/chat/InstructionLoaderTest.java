package dev.workbench.data.chat;

import dev.workbench.data.Loaded;
import dev.workbench.recipe.Corpus.BadRowPolicy;
import dev.workbench.recipe.Corpus.InstructionFormat;
import dev.workbench.recipe.Corpus.InstructionSource;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.workbench.data.chat.ChatMessage.assistant;
import static dev.workbench.data.chat.ChatMessage.system;
import static dev.workbench.data.chat.ChatMessage.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** corpus.instructions: each format and file kind, column renames, and every bad-row kind as FILE:LINE at once. */
class InstructionLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static Loaded<Conversation> load(Path file, InstructionFormat format, Map<String, String> columns,
                                             BadRowPolicy policy) {
        return new InstructionLoader(policy).load(new InstructionSource(file, format, columns));
    }

    private static Loaded<Conversation> load(Path file) {
        return load(file, InstructionFormat.AUTO, Map.of(), BadRowPolicy.ERROR);
    }

    @Test
    void alpacaJsonlWithAndWithoutInputAndSystem() throws IOException {
        Path file = write("a.jsonl", """
                {"instruction": "Add the numbers.", "input": "2 and 3", "output": "5"}

                {"instruction": "Say hi.", "input": "", "output": "Hi!", "system": "Be brief."}
                """);
        Loaded<Conversation> loaded = load(file);
        assertEquals(List.of(user("Add the numbers.\n\n2 and 3"), assistant("5")), loaded.items().get(0).messages());
        assertEquals(List.of(system("Be brief."), user("Say hi."), assistant("Hi!")),
                loaded.items().get(1).messages());
        assertEquals("a.jsonl:3", loaded.items().get(1).id(), "the blank line counts: ids are file lines");
        assertEquals(2, loaded.rowsRead());
    }

    @Test
    void messagesAsAJsonArrayKeepEveryTurn() throws IOException {
        Path file = write("m.json", """
                [
                  {"messages": [{"role": "system", "content": "You help."},
                                {"role": "user", "content": "Where is my card?"},
                                {"role": "assistant", "content": "On its way."},
                                {"role": "user", "content": "When?"},
                                {"role": "assistant", "content": "Tomorrow."}]},
                  {"messages": [{"role": "user", "content": "Thanks"}, {"role": "assistant", "content": "Welcome"}]}
                ]
                """);
        Loaded<Conversation> loaded = load(file);
        assertEquals(List.of(system("You help."), user("Where is my card?"), assistant("On its way."), user("When?"),
                assistant("Tomorrow.")), loaded.items().get(0).messages());
        assertEquals("m.json:7", loaded.items().get(1).id(), "a record's line is where its object starts");
    }

    @Test
    void shareGptRolesMapToSystemUserAssistant() throws IOException {
        Path file = write("s.jsonl", """
                {"conversations": [{"from": "system", "value": "S"}, {"from": "human", "value": "Q"}, {"from": "gpt", "value": "A"}]}
                """);
        assertEquals(List.of(system("S"), user("Q"), assistant("A")), load(file).items().get(0).messages());
    }

    @Test
    void completionPairsInCsvWithRenamedColumns() throws IOException {
        Path file = write("c.csv", """
                question,answer
                "What is 2+2?","4"
                "Multi
                line?",yes
                """);
        Loaded<Conversation> loaded = load(file, InstructionFormat.AUTO,
                Map.of("prompt", "question", "completion", "answer"), BadRowPolicy.ERROR);
        assertEquals(List.of(user("What is 2+2?"), assistant("4")), loaded.items().get(0).messages());
        assertEquals(List.of(user("Multi\nline?"), assistant("yes")), loaded.items().get(1).messages());
        assertEquals("c.csv:3", loaded.items().get(1).id());
    }

    @Test
    void csvCellsHoldMessageListsUnderTheRenamedColumn() throws IOException {
        Path file = write("t.csv", """
                id,turns
                1,"[{""role"": ""user"", ""content"": ""hi""}, {""role"": ""assistant"", ""content"": ""hello""}]"
                """);
        Loaded<Conversation> loaded = load(file, InstructionFormat.MESSAGES, Map.of("messages", "turns"),
                BadRowPolicy.ERROR);
        assertEquals(List.of(user("hi"), assistant("hello")), loaded.items().get(0).messages());
    }

    @Test
    void alpacaWithRenamedFieldsIsDetected() throws IOException {
        Path file = write("r.jsonl", """
                {"q": "Why?", "a": "Because."}
                """);
        Loaded<Conversation> loaded = load(file, InstructionFormat.AUTO, Map.of("instruction", "q", "output", "a"),
                BadRowPolicy.ERROR);
        assertEquals(List.of(user("Why?"), assistant("Because.")), loaded.items().get(0).messages());
    }

    private static final String BAD_MESSAGES = """
            {"messages": [{"role": "user", "content": "ok"}, {"role": "assistant", "content": "fine"}]}
            {"messages": [{"content": "no role"}, {"role": "assistant", "content": "x"}]}
            {"messages": [{"role": "user", "content": "  "}, {"role": "assistant", "content": "x"}]}
            {"messages": [{"role": "customer", "content": "hi"}, {"role": "assistant", "content": "x"}]}
            {"messages": [{"role": "user", "content": "hi"}]}
            {"messages": [{"role": "user", "content": "hi"}, {"role": "system", "content": "late"}, {"role": "assistant", "content": "x"}]}
            {"messages": "not a list"}
            [1, 2]
            {"messages": [
            {"messages": [{"role": "user", "content": 3}, {"role": "assistant", "content": "x"}]}
            {"other": 1}
            {"messages": [{"role": "user", "content": "good"}, {"role": "assistant", "content": "again"}]}
            """;

    @Test
    void everyBadRowIsReportedAtOnceWithFileAndLine() throws IOException {
        Path file = write("bad.jsonl", BAD_MESSAGES);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> load(file));
        String m = e.getMessage();
        for (String expected : List.of(
                file + ":2: messages[0]: missing role",
                file + ":3: messages[0]: empty content",
                file + ":4: messages[0]: unknown role 'customer' (expected assistant, system, user)",
                file + ":5: the conversation ends with a user turn",
                file + ":6: a system message may only come first (turn 1)",
                file + ":7: 'messages' must be a list of turns, got a string",
                file + ":8: not a JSON object (got a list)",
                file + ":9: malformed JSON",
                file + ":10: messages[0].content must be a string, got a number",
                file + ":11: missing field 'messages'",
                file + ": 10 bad rows (set corpus.on_bad_row: skip to drop bad rows)")) {
            assertTrue(m.contains(expected), () -> "missing <" + expected + "> in:\n" + m);
        }
        assertTrue(!m.contains(file + ":1:") && !m.contains(file + ":12:"), m);
    }

    @Test
    void skipDropsBadRowsAndCountsThem() throws IOException {
        Path file = write("bad.jsonl", BAD_MESSAGES);
        Loaded<Conversation> loaded = load(file, InstructionFormat.AUTO, Map.of(), BadRowPolicy.SKIP);
        assertEquals(List.of("bad.jsonl:1", "bad.jsonl:12"), loaded.items().stream().map(Conversation::id).toList());
        assertEquals(12, loaded.rowsRead());
        assertEquals(10, loaded.rowsSkipped());
        assertEquals(List.of(2L, 3L, 4L), loaded.skippedRows().stream().limit(3).map(Loaded.BadRow::line).toList());
    }

    @Test
    void alpacaAndCompletionBadRows() throws IOException {
        Path alpaca = write("bad-alpaca.jsonl", """
                {"instruction": "fine", "output": "yes"}
                {"instruction": "", "output": "yes"}
                {"instruction": "no output"}
                {"instruction": "x", "output": 5}
                """);
        String m = assertThrows(WorkbenchException.class, () -> load(alpaca)).getMessage();
        assertTrue(m.contains(alpaca + ":2: empty field 'instruction'"), m);
        assertTrue(m.contains(alpaca + ":3: missing field 'output'"), m);
        assertTrue(m.contains(alpaca + ":4: field 'output' must be a string, got a number"), m);

        Path completion = write("bad.csv", """
                prompt,completion
                a,b
                c,
                d,e,f
                """);
        String c = assertThrows(WorkbenchException.class,
                () -> load(completion, InstructionFormat.COMPLETION, Map.of(), BadRowPolicy.ERROR)).getMessage();
        assertTrue(c.contains(completion + ":3: empty field 'completion'"), c);
        assertTrue(c.contains(completion + ":4: has 3 fields, the header 2"), c);
    }

    @Test
    void allBadUnderSkipIsStillAnErrorAndUnknownFieldsNameTheFix() throws IOException {
        Path bad = write("allbad.jsonl", """
                {"messages": [{"role": "user", "content": "hi"}]}
                """);
        String m = assertThrows(WorkbenchException.class,
                () -> load(bad, InstructionFormat.AUTO, Map.of(), BadRowPolicy.SKIP)).getMessage();
        assertTrue(m.contains("1 bad row and no good one"), m);

        Path unknown = write("unknown.jsonl", """
                {"question": "q", "reply": "r"}
                """);
        String u = assertThrows(WorkbenchException.class, () -> load(unknown)).getMessage();
        assertTrue(u.startsWith(unknown + ":1: cannot tell the instruction format"), u);
        assertTrue(u.contains("corpus.instructions.columns"), u);
    }
}
