package dev.workbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Corpus.BadRowPolicy;
import dev.workbench.recipe.WorkbenchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusLoaderTest {
    private static final String RERUN = " (set corpus.on_bad_row: skip to drop bad rows)";

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path writeBytes(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static Loaded<LabelledExample> labelled(Path file, BadRowPolicy policy) {
        return new CorpusLoader(policy).loadLabelled(
                new Corpus.LabelledSource(file, TestRecipes.format(file), "text", "label"), Optional.empty());
    }

    private static Loaded<TextDocument> text(Path file, BadRowPolicy policy) {
        return new CorpusLoader(policy).loadText(new Corpus.TextSource(file, TestRecipes.format(file), "text"),
                Optional.empty());
    }

    private static String errorOf(Runnable load) {
        WorkbenchException e = assertThrows(WorkbenchException.class, load::run);
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        return e.getMessage();
    }

    @Test
    void csvWithQuotedFieldsLineBreaksBomAndBlankLines() throws IOException {
        Path file = write("l.csv", "\uFEFFtext,label\n"
                + "\"Hello, world\",greeting\n"
                + "\n"
                + "\"two\nlines \"\"quoted\"\"\",multi\n"
                + "plain,other\r\n"
                + "last,end");
        Loaded<LabelledExample> loaded = labelled(file, BadRowPolicy.ERROR);
        assertEquals(List.of(
                new LabelledExample("l.csv:2", "Hello, world", "greeting"),
                new LabelledExample("l.csv:4", "two\nlines \"quoted\"", "multi"),
                new LabelledExample("l.csv:6", "plain", "other"),
                new LabelledExample("l.csv:7", "last", "end")), loaded.items());
        assertEquals(List.of("text", "label"), loaded.columns());
        assertEquals(4, loaded.rowsRead());
        assertEquals(0, loaded.rowsSkipped());
    }

    @Test
    void jsonlLabelledAndText() throws IOException {
        Path file = write("l.jsonl", "{\"text\": \"a b\", \"label\": \"x\", \"extra\": 1}\n\n"
                + "{\"text\": \"c\", \"label\": 3}\n");
        assertEquals(List.of(new LabelledExample("l.jsonl:1", "a b", "x"), new LabelledExample("l.jsonl:3", "c", "3")),
                labelled(file, BadRowPolicy.ERROR).items());
        Path texts = write("t.jsonl", "{\"body\": \"first\"}\n{\"body\": \"second\"}\n");
        Loaded<TextDocument> docs = new CorpusLoader(BadRowPolicy.ERROR)
                .loadText(new Corpus.TextSource(texts, Corpus.Format.JSONL, "body"), Optional.empty());
        assertEquals(List.of(new TextDocument("t.jsonl:1", "first"), new TextDocument("t.jsonl:2", "second")),
                docs.items());
    }

    @Test
    void txtDocumentsAreSeparatedByBlankLines() throws IOException {
        Path file = write("t.txt", "\n\nFirst doc\nstill first\n\n  \nSecond\r\n\r\nThird\n");
        Loaded<TextDocument> loaded = text(file, BadRowPolicy.ERROR);
        assertEquals(List.of(new TextDocument("t.txt:3", "First doc\nstill first"),
                new TextDocument("t.txt:7", "Second"), new TextDocument("t.txt:9", "Third")), loaded.items());
        assertEquals(3, loaded.rowsRead());
    }

    @Test
    void textFromCsvColumn() throws IOException {
        Path file = write("t.csv", "id,body\n1,hello\n2,world\n");
        Loaded<TextDocument> loaded = new CorpusLoader(BadRowPolicy.ERROR)
                .loadText(new Corpus.TextSource(file, Corpus.Format.CSV, "body"), Optional.empty());
        assertEquals(List.of(new TextDocument("t.csv:2", "hello"), new TextDocument("t.csv:3", "world")),
                loaded.items());
    }

    @Test
    void tableDropsColumnsAndKeepsEmptyCells() throws IOException {
        Path file = write("t.csv", "id,age,sex,y\n1,30,f,yes\n2,,m,no\n");
        Loaded<List<String>> loaded = new CorpusLoader(BadRowPolicy.ERROR).loadTable(
                new Corpus.TableSource(file, Corpus.Format.CSV, Optional.of("y"), Map.of("age", "integer"),
                        List.of("id")), Optional.empty());
        assertEquals(List.of("age", "sex", "y"), loaded.columns());
        assertEquals(List.of(List.of("30", "f", "yes"), List.of("", "m", "no")), loaded.items());
    }

    @Test
    void tableFromJsonlFillsMissingKeysAndRejectsUnknownOnes() throws IOException {
        Path file = write("t.jsonl", "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2}\n{\"a\": 3, \"c\": true}\n");
        Corpus.TableSource source = new Corpus.TableSource(file, Corpus.Format.JSONL, Optional.empty(), Map.of(),
                List.of());
        assertEquals(file + ":3: unexpected field 'c' (the columns are those of the first object: a, b)" + RERUN,
                errorOf(() -> new CorpusLoader(BadRowPolicy.ERROR).loadTable(source, Optional.empty())));
        Loaded<List<String>> loaded = new CorpusLoader(BadRowPolicy.SKIP).loadTable(source, Optional.empty());
        assertEquals(List.of(List.of("1", "x"), List.of("2", "")), loaded.items());
        assertEquals(1, loaded.rowsSkipped());
    }

    @Test
    void wrongNumberOfFields() throws IOException {
        Path file = write("l.csv", "text,label\na,b\n\"multi\nline\",b,c\n");
        assertEquals(file + ":3: expected 2 fields (text, label), found 3" + RERUN,
                errorOf(() -> labelled(file, BadRowPolicy.ERROR)));
    }

    @Test
    void emptyTextOrLabel() throws IOException {
        Path emptyText = write("a.csv", "text,label\nfine,x\n  ,y\n");
        assertEquals(emptyText + ":3: empty text in column 'text'" + RERUN,
                errorOf(() -> labelled(emptyText, BadRowPolicy.ERROR)));
        Path emptyLabel = write("b.csv", "text,label\nfine,\n");
        assertEquals(emptyLabel + ":2: empty label in column 'label'" + RERUN,
                errorOf(() -> labelled(emptyLabel, BadRowPolicy.ERROR)));
        Path missingLabel = write("c.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\"}\n");
        assertEquals(missingLabel + ":2: missing label: no field 'label' (fields: text)" + RERUN,
                errorOf(() -> labelled(missingLabel, BadRowPolicy.ERROR)));
        Path nullLabel = write("d.jsonl", "{\"text\": \"a\", \"label\": null}\n");
        assertEquals(nullLabel + ":1: empty label in column 'label'" + RERUN,
                errorOf(() -> labelled(nullLabel, BadRowPolicy.ERROR)));
    }

    @Test
    void malformedJson() throws IOException {
        Path file = write("m.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", label: \"y\"}\n");
        assertEquals(file + ":2: malformed JSON at column 15: Unexpected character ('l' (code 108)): was expecting "
                        + "double-quote to start field name" + RERUN,
                errorOf(() -> labelled(file, BadRowPolicy.ERROR)));
        Path array = write("n.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n[1, 2]\n");
        assertEquals(array + ":2: expected a JSON object, found an array" + RERUN,
                errorOf(() -> labelled(array, BadRowPolicy.ERROR)));
        Path trailing = write("o.jsonl", "{\"text\": \"a\", \"label\": \"x\"} {}\n");
        assertTrue(errorOf(() -> labelled(trailing, BadRowPolicy.ERROR)).startsWith(trailing + ":1: malformed JSON"));
        Path nested = write("p.jsonl", "{\"text\": \"a\", \"label\": [\"x\"]}\n");
        assertEquals(nested + ":1: field 'label' holds an array; expected a string, number or boolean" + RERUN,
                errorOf(() -> labelled(nested, BadRowPolicy.ERROR)));
    }

    @Test
    void invalidUtf8NamesTheLineInEveryFormat() throws IOException {
        byte[] csv = concat("text,label\nok,a\n\"two\nli", new byte[] {(byte) 0xC3, 0x28}, "ne\",b\nfine,c\n");
        Path csvFile = writeBytes("u.csv", csv);
        assertEquals(csvFile + ":4: invalid UTF-8 (byte 0xC3 at byte offset 23)" + RERUN,
                errorOf(() -> labelled(csvFile, BadRowPolicy.ERROR)));
        Loaded<LabelledExample> skipped = labelled(csvFile, BadRowPolicy.SKIP);
        assertEquals(List.of("ok", "fine"), skipped.items().stream().map(LabelledExample::text).toList());
        assertEquals(List.of(new Loaded.BadRow(4, "invalid UTF-8 (byte 0xC3 at byte offset 23)")),
                skipped.skippedRows());

        Path jsonl = writeBytes("u.jsonl", concat("{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"",
                new byte[] {(byte) 0xFF}, "\", \"label\": \"y\"}\n"));
        assertEquals(jsonl + ":2: invalid UTF-8 (byte 0xFF at byte offset 38)" + RERUN,
                errorOf(() -> labelled(jsonl, BadRowPolicy.ERROR)));

        Path txt = writeBytes("u.txt", concat("one\n\ntwo\nbad ", new byte[] {(byte) 0xE2, (byte) 0x82}, "\n"));
        assertEquals(txt + ":4: invalid UTF-8 (bytes 0xE2 0x82 at byte offset 13)" + RERUN,
                errorOf(() -> text(txt, BadRowPolicy.ERROR)));
        assertEquals(List.of(new TextDocument("u.txt:1", "one")), text(txt, BadRowPolicy.SKIP).items());
    }

    @Test
    void multiByteCharactersAcrossBufferBoundariesAndDeepLineNumbers() throws IOException {
        // 20,000 lines of 2- and 3-byte characters (far more than the 64 KiB decode buffer), a bad byte on 15,001.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes("text,label\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 2; i <= 20_000; i++) {
            bytes.writeBytes(("é€ line " + i + ",l\n").getBytes(StandardCharsets.UTF_8));
            if (i == 15_000) {
                bytes.write(0x80);
                bytes.writeBytes(",l\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        Path file = writeBytes("deep.csv", bytes.toByteArray());
        Loaded<LabelledExample> loaded = labelled(file, BadRowPolicy.SKIP);
        assertEquals(19_999, loaded.items().size());
        assertEquals(15_001, loaded.skippedRows().get(0).line());
        assertEquals("é€ line 20000", loaded.items().get(19_998).text());
        assertEquals("deep.csv:15002", loaded.items().get(14_999).id());
    }

    @Test
    void missingColumnListsColumnsAndSuggests() throws IOException {
        Path file = write("l.csv", "\ntext,Label\na,b\n");
        assertEquals(file + ":2: corpus.labelled.label_column: no column 'label' (columns: text, Label); "
                + "did you mean 'Label'?", errorOf(() -> labelled(file, BadRowPolicy.SKIP)));
        Path far = write("f.csv", "body,category\na,b\n");
        assertEquals(far + ":1: corpus.labelled.text_column: no column 'text' (columns: body, category)",
                errorOf(() -> labelled(far, BadRowPolicy.ERROR)));
        Path table = write("t.csv", "age,income\n1,2\n");
        assertEquals(table + ":1: corpus.table.target: no column 'incme' (columns: age, income); did you mean "
                + "'income'?", errorOf(() -> new CorpusLoader(BadRowPolicy.ERROR).loadTable(
                new Corpus.TableSource(table, Corpus.Format.CSV, Optional.of("incme"), Map.of(), List.of()),
                Optional.empty())));
    }

    @Test
    void emptyFiles() throws IOException {
        Path csv = write("e.csv", "");
        assertEquals(csv + ": empty file (no header row)", errorOf(() -> labelled(csv, BadRowPolicy.ERROR)));
        Path headerOnly = write("h.csv", "text,label\n\n");
        assertEquals(headerOnly + ": no data rows after the header (line 1)",
                errorOf(() -> labelled(headerOnly, BadRowPolicy.ERROR)));
        Path jsonl = write("e.jsonl", "\n\n");
        assertEquals(jsonl + ": empty file (no JSON object)", errorOf(() -> labelled(jsonl, BadRowPolicy.ERROR)));
        Path txt = write("e.txt", "\n \n");
        assertEquals(txt + ": empty file (no documents)", errorOf(() -> text(txt, BadRowPolicy.ERROR)));
    }

    @Test
    void malformedQuotingStopsEvenWhenSkipping() throws IOException {
        Path file = write("q.csv", "text,label\nok,a\n\"never closed,b\nmore\n");
        String message = errorOf(() -> labelled(file, BadRowPolicy.SKIP));
        assertTrue(message.startsWith(file + ":3: malformed CSV: "), message);
    }

    @Test
    void skipPolicyCountsAndListsBadRows() throws IOException {
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 25; i++) {
            csv.append("good ").append(i).append(",a\n").append("bad ").append(i).append('\n');
        }
        Path file = write("s.csv", csv.toString());
        Loaded<LabelledExample> loaded = labelled(file, BadRowPolicy.SKIP);
        assertEquals(25, loaded.items().size());
        assertEquals(50, loaded.rowsRead());
        assertEquals(25, loaded.rowsSkipped());
        assertEquals(CorpusLoader.MAX_LISTED_BAD_ROWS, loaded.skippedRows().size());
        // Bad rows sit on the odd lines 3, 5, 7, ...
        assertEquals(new Loaded.BadRow(3, "expected 2 fields (text, label), found 1"), loaded.skippedRows().get(0));
        assertEquals(41, loaded.skippedRows().get(19).line());
        assertEquals(file + ":3: expected 2 fields (text, label), found 1" + RERUN,
                errorOf(() -> labelled(file, BadRowPolicy.ERROR)));
    }

    @Test
    void everyRowBadIsAnErrorEvenWhenSkipping() throws IOException {
        Path file = write("b.csv", "text,label\n,a\n,b\n");
        assertEquals(file + ": every row is bad (2 skipped); the first, line 2: empty text in column 'text'",
                errorOf(() -> labelled(file, BadRowPolicy.SKIP)));
    }

    @Test
    void splitColumnValuesAreChecked() throws IOException {
        Path file = write("s.csv", "text,label,split\na,x,train\nb,y, Test \nc,z,dev\n");
        Corpus.LabelledSource source = new Corpus.LabelledSource(file, Corpus.Format.CSV, "text", "label");
        assertEquals(file + ":4: split column 'split' holds 'dev'; expected train, validation or test" + RERUN,
                errorOf(() -> new CorpusLoader(BadRowPolicy.ERROR).loadLabelled(source, Optional.of("split"))));
        Loaded<LabelledExample> loaded = new CorpusLoader(BadRowPolicy.SKIP).loadLabelled(source,
                Optional.of("split"));
        assertEquals(List.of("train", "test"), loaded.splitTags());
        assertEquals(file + ":1: split.column: no column 'fold' (columns: text, label, split)",
                errorOf(() -> new CorpusLoader(BadRowPolicy.ERROR).loadLabelled(source, Optional.of("fold"))));
    }

    @Test
    void hashIsTheSha256OfTheFileBytes() throws IOException {
        Path file = write("h.csv", "text,label\nhello,a\n");
        // Golden: printf 'text,label\nhello,a\n' | sha256sum
        assertEquals("b879b318ece471d157a11bb43e5806c4df3edd2d166dcdc2c47f2137e4395968",
                labelled(file, BadRowPolicy.ERROR).sha256());
    }

    @Test
    void missingFileIsAnEnvironmentError() {
        Path file = dir.resolve("absent.csv");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> labelled(file, BadRowPolicy.ERROR));
        assertEquals(WorkbenchException.Kind.ENVIRONMENT, e.kind());
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void severalTextFilesGiveTheirDocumentsFileByFileInOrder() throws IOException {
        Path b = write("b.txt", "B one\n\nB two\n");
        Path a = write("a.txt", "A one\nstill A one\n\n\nA two\n");
        List<Loaded<TextDocument>> files = new CorpusLoader(BadRowPolicy.ERROR).loadTexts(
                new Corpus.TextSource(List.of(b, a), Corpus.Format.TXT, "text"), Optional.empty());
        assertEquals(List.of(b, a), files.stream().map(Loaded::file).toList());
        assertEquals(List.of(new TextDocument("b.txt:1", "B one"), new TextDocument("b.txt:3", "B two")),
                files.get(0).items());
        assertEquals(List.of(new TextDocument("a.txt:1", "A one\nstill A one"), new TextDocument("a.txt:5", "A two")),
                files.get(1).items());
        // Golden: printf 'B one\n\nB two\n' | sha256sum
        assertEquals("95e8402aabd196e841588b42742e442788bf979c0947b705773a3bd9e4de3440", files.get(0).sha256());
        // One file: the same as loadText.
        assertEquals(text(a, BadRowPolicy.ERROR), new CorpusLoader(BadRowPolicy.ERROR).loadTexts(
                new Corpus.TextSource(a, Corpus.Format.TXT, "text"), Optional.empty()).get(0));
    }

    @Test
    void filesOfOneNameAreToldApartByTheirFolders() throws IOException {
        Files.createDirectories(dir.resolve("general"));
        Files.createDirectories(dir.resolve("x/medical"));
        Path general = Files.writeString(dir.resolve("general/text.txt"), "g\n");
        Path medical = Files.writeString(dir.resolve("x/medical/text.txt"), "m\n");
        Path other = write("other.txt", "o\n");
        List<Loaded<TextDocument>> files = new CorpusLoader(BadRowPolicy.ERROR).loadTexts(
                new Corpus.TextSource(List.of(general, medical, other), Corpus.Format.TXT, "text"), Optional.empty());
        assertEquals(List.of("general/text.txt:1", "medical/text.txt:1", "other.txt:1"),
                files.stream().map(f -> f.items().get(0).id()).toList());
    }

    @Test
    void everyBadFileOfSeveralIsReportedAtItsListItem() throws IOException {
        Path good = write("good.csv", "body\nfine\n");
        Path noColumn = write("no-column.csv", "text\nx\n");
        Path missing = dir.resolve("missing.csv");
        CorpusFailures e = assertThrows(CorpusFailures.class, () -> new CorpusLoader(BadRowPolicy.ERROR).loadTexts(
                new Corpus.TextSource(List.of(good, noColumn, missing), Corpus.Format.CSV, "body"), Optional.empty()));
        assertEquals(List.of("corpus.text.path[1]", "corpus.text.path[2]"), List.copyOf(e.byPathKey().keySet()));
        assertEquals(noColumn + ":1: corpus.text.column: no column 'body' (columns: text)",
                e.byPathKey().get("corpus.text.path[1]").getMessage());
        assertEquals(missing + ": no such file", e.byPathKey().get("corpus.text.path[2]").getMessage());
        assertEquals(noColumn + ":1: corpus.text.column: no column 'body' (columns: text)\n" + missing
                + ": no such file", e.getMessage());
    }

    private static byte[] concat(String before, byte[] bad, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + bad.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(bad, 0, out, a.length, bad.length);
        System.arraycopy(c, 0, out, a.length + bad.length, c.length);
        return out;
    }
}
