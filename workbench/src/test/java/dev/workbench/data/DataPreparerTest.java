package dev.workbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.recipe.Split;
import dev.workbench.recipe.WorkbenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPreparerTest {
    // Goldens: printf '<content>' | sha256sum
    private static final String TEXT = "Doc one\n\nDoc two\n\nDoc three\n\nDoc four\n\nDoc five\n";
    private static final String TEXT_SHA = "0d4b6ae1b1687a41a606f5933e43f7861d7c58d58024705fb6afaca238bab6b8";
    private static final String LABELLED = "text,label\ntext 0,x\ntext 1,x\ntext 2,x\ntext 3,x\ntext 4,x\ntext 5,y\n"
            + "text 6,y\ntext 7,y\ntext 8,y\ntext 9,y\n";
    private static final String LABELLED_SHA = "0417dacd130edaf24606820d3f9d0e1c2ef572dc33164964d84665da3e655d37";
    private static final String TABLE = "id,age,y\n0,20,yes\n1,21,no\n2,22,no\n3,23,yes\n4,24,no\n5,25,no\n6,26,yes\n"
            + "7,27,no\n8,28,no\n9,29,yes\n";
    private static final String TABLE_SHA = "b78627b0a3ee17924f577a1283ffdce809fb74a087e9a76bcd6ff6dca98aecd0";

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void preparesEveryCorpusWithHashesSplitsAndNotes() throws IOException {
        Path text = Files.writeString(dir.resolve("text.txt"), TEXT);
        Path labelled = Files.writeString(dir.resolve("labelled.csv"), LABELLED);
        Path table = Files.writeString(dir.resolve("table.csv"), TABLE);
        PreparedData data = DataPreparer.prepare(TestRecipes.recipe()
                .text(text).labelled(labelled, "text", "label").table(table, "y", List.of("id"))
                .split(Split.Method.STRATIFIED, 0.2, 0.2).build());

        assertEquals(Map.of(text.toString(), TEXT_SHA, labelled.toString(), LABELLED_SHA, table.toString(),
                TABLE_SHA), data.inputHashes());

        // Text: 5 documents, random (nothing to stratify by): test round(1.0) = 1, validation 1, train 3.
        Splits<TextDocument> docs = data.text().orElseThrow();
        assertEquals(List.of(3, 1, 1), List.of(docs.train().size(), docs.validation().size(), docs.test().size()));
        Map<String, Object> textNotes = (Map<String, Object>) data.notes().get("text");
        assertEquals("random (nothing to stratify by)", textNotes.get("split_method"));
        assertEquals(5L, textNotes.get("rows_read"));

        // Labelled: x5 y5, test 2 and validation 2 -> floors 5*2/10 = 1 per class in each.
        Map<String, Object> labelledNotes = (Map<String, Object>) data.notes().get("labelled");
        assertEquals(Map.of("train", Map.of("x", 3L, "y", 3L), "validation", Map.of("x", 1L, "y", 1L),
                "test", Map.of("x", 1L, "y", 1L)), labelledNotes.get("label_counts"));
        assertEquals(Map.of("train", 6, "validation", 2, "test", 2), labelledNotes.get("split_sizes"));
        assertEquals(Map.of(), labelledNotes.get("small_classes"));
        assertEquals(0, labelledNotes.get("conflicting_labels"));

        // Table: id dropped; target yes x4 (rows 0,3,6,9) no x6. Test 2: floors no 6*2/10 = 1, yes 4*2/10 = 0 -> 1
        // (>= 3 items); validation the same; train no 4, yes 2.
        Table header = data.tableHeader().orElseThrow();
        assertEquals(List.of("age", "y"), header.columns());
        assertEquals(10, header.rows().size());
        Map<String, Object> tableNotes = (Map<String, Object>) data.notes().get("table");
        assertEquals(Map.of("train", Map.of("no", 4L, "yes", 2L), "validation", Map.of("no", 1L, "yes", 1L),
                "test", Map.of("no", 1L, "yes", 1L)), tableNotes.get("target_counts"));
        assertEquals(List.of("id"), tableNotes.get("dropped_columns"));
        Splits<List<String>> rows = data.tableRows().orElseThrow();
        assertEquals(10, rows.train().size() + rows.validation().size() + rows.test().size());

        assertEquals(42L, data.notes().get("seed"));
        assertEquals(DataPreparer.prepare(TestRecipes.recipe().text(text).labelled(labelled, "text", "label")
                .table(table, "y", List.of("id")).split(Split.Method.STRATIFIED, 0.2, 0.2).build()).labelled(),
                data.labelled());
    }

    @Test
    @SuppressWarnings("unchecked")
    void columnSplitDedupeAndSkippedRowsAreReported() throws IOException {
        Path labelled = Files.writeString(dir.resolve("l.csv"), "text,label,split\n"
                + "Hello there,a,train\n"
                + "hello   THERE,a,test\n"
                + "bye,b,train\n"
                + "ciao,b,validation\n"
                + "ciao,b,test\n"
                + "bad row\n"
                + "x,a,dev\n");
        PreparedData data = DataPreparer.prepare(TestRecipes.recipe().labelled(labelled, "text", "label")
                .splitColumn("split").dedupe().skipBadRows().build());
        Splits<LabelledExample> splits = data.labelled().orElseThrow();
        assertEquals(List.of("l.csv:2", "l.csv:4"), splits.train().stream().map(LabelledExample::id).toList());
        assertEquals(List.of("l.csv:5"), splits.validation().stream().map(LabelledExample::id).toList());
        assertEquals(List.of("l.csv:6"), splits.test().stream().map(LabelledExample::id).toList());

        Map<String, Object> notes = (Map<String, Object>) data.notes().get("labelled");
        assertEquals(7L, notes.get("rows_read"));
        assertEquals(5L, notes.get("rows_loaded"));
        assertEquals(2L, notes.get("rows_skipped"));
        assertEquals(List.of(
                Map.of("line", 7L, "reason", "expected 3 fields (text, label, split), found 1"),
                Map.of("line", 8L, "reason", "split column 'split' holds 'dev'; expected train, validation or test")),
                notes.get("skipped_rows"));
        assertEquals(Map.of("within_train", 0, "validation_in_train", 0, "test_in_train", 1,
                "test_in_validation", 1, "examples", List.of("hello there", "ciao")), notes.get("duplicates"));
        assertEquals(Map.of("validation", 0, "test", 1), notes.get("dedupe_removed"));
        assertEquals(Map.of("train", 2, "validation", 1, "test", 1), notes.get("split_sizes"));
        assertEquals("column", notes.get("split_method"));
        assertEquals(Map.of("b", 1L), ((Map<String, Object>) notes.get("label_counts")).get("test"));
    }

    /**
     * An official train/test split (BANKING77 ships no validation rows): split.validation of the train-tagged rows is
     * drawn, stratified by label and seeded, and the notes say so; test rows stay as tagged.
     */
    @Test
    @SuppressWarnings("unchecked")
    void columnSplitWithoutValidationRowsDrawsThemFromTrain() throws IOException {
        StringBuilder csv = new StringBuilder("text,label,split\n");
        for (int i = 0; i < 20; i++) {
            csv.append("train text ").append(i).append(',').append(i < 15 ? "a" : "b").append(",train\n");
        }
        for (int i = 0; i < 4; i++) {
            csv.append("test text ").append(i).append(',').append(i < 2 ? "a" : "b").append(",test\n");
        }
        Path labelled = Files.writeString(dir.resolve("official.csv"), csv.toString());
        PreparedData data = DataPreparer.prepare(TestRecipes.recipe().labelled(labelled, "text", "label")
                .split(Split.Method.COLUMN, 0.2, 0.1).splitColumn("split").seed(42).build());
        Splits<LabelledExample> splits = data.labelled().orElseThrow();
        // 20% of 20 train rows = 4, stratified: 3 of the 15 a's and 1 of the 5 b's
        assertEquals(16, splits.train().size());
        assertEquals(List.of("a", "a", "a", "b"), splits.validation().stream().map(LabelledExample::label).toList());
        assertTrue(splits.validation().stream().allMatch(e -> e.text().startsWith("train text")));
        assertEquals(List.of("official.csv:22", "official.csv:23", "official.csv:24", "official.csv:25"),
                splits.test().stream().map(LabelledExample::id).toList(), "test rows stay as tagged");
        Map<String, Object> notes = (Map<String, Object>) data.notes().get("labelled");
        assertEquals("column; validation: 20% of the train rows, stratified, seed 42", notes.get("split_method"));
        assertEquals(Map.of("train", 16, "validation", 4, "test", 4), notes.get("split_sizes"));

        // seeded: the same seed draws the same rows, another seed (here) others
        Splits<LabelledExample> again = DataPreparer.prepare(TestRecipes.recipe().labelled(labelled, "text", "label")
                .split(Split.Method.COLUMN, 0.2, 0.1).splitColumn("split").seed(42).build()).labelled().orElseThrow();
        assertEquals(splits.validation(), again.validation());
        Splits<LabelledExample> other = DataPreparer.prepare(TestRecipes.recipe().labelled(labelled, "text", "label")
                .split(Split.Method.COLUMN, 0.2, 0.1).splitColumn("split").seed(7).build()).labelled().orElseThrow();
        assertTrue(!splits.validation().equals(other.validation()), "seed 7 draws other rows");

        // split.validation 0 keeps every train row for training, as before
        PreparedData none = DataPreparer.prepare(TestRecipes.recipe().labelled(labelled, "text", "label")
                .split(Split.Method.COLUMN, 0, 0.1).splitColumn("split").build());
        assertEquals(20, none.labelled().orElseThrow().train().size());
        assertEquals(0, none.labelled().orElseThrow().validation().size());
        assertEquals("column", ((Map<String, Object>) none.notes().get("labelled")).get("split_method"));
    }

    @Test
    void severalTextFilesAreSplitTogetherInListOrder() throws IOException {
        Path b = Files.writeString(dir.resolve("b.txt"), "Doc one\n\nDoc two\n\nDoc three\n");
        Path a = Files.writeString(dir.resolve("a.txt"), "Doc four\n\nDoc five\n");
        Path both = Files.writeString(dir.resolve("both.txt"), TEXT);
        PreparedData two = DataPreparer.prepare(TestRecipes.recipe().texts(List.of(b, a), "text")
                .split(Split.Method.RANDOM, 0.2, 0.2).build());
        PreparedData one = DataPreparer.prepare(TestRecipes.recipe().text(both)
                .split(Split.Method.RANDOM, 0.2, 0.2).build());
        // The documents of b then a are the documents of one file holding both: the split is the same.
        Splits<TextDocument> splits = two.text().orElseThrow();
        Splits<TextDocument> oneFile = one.text().orElseThrow();
        for (var pick : List.<java.util.function.Function<Splits<TextDocument>, List<TextDocument>>>of(
                Splits::train, Splits::validation, Splits::test)) {
            assertEquals(pick.apply(oneFile).stream().map(TextDocument::text).toList(),
                    pick.apply(splits).stream().map(TextDocument::text).toList());
        }
        assertEquals(Map.of(b.toString(), sha256(b), a.toString(), sha256(a)), two.inputHashes());
        assertEquals(Map.of(both.toString(), TEXT_SHA), one.inputHashes());
    }

    @Test
    @SuppressWarnings("unchecked")
    void severalTextFilesAreRecordedFileByFile() throws IOException {
        Path first = Files.writeString(dir.resolve("first.csv"), "body\nalpha\n\"one\",\"two\"\nbeta\n");
        Path second = Files.writeString(dir.resolve("second.csv"), "body\ngamma\n");
        PreparedData data = DataPreparer.prepare(TestRecipes.recipe().texts(List.of(first, second), "body")
                .skipBadRows().build());
        Map<String, Object> notes = (Map<String, Object>) data.notes().get("text");
        assertEquals(List.of(first.toString(), second.toString()), notes.get("file"));
        assertEquals("csv", notes.get("format"));
        Map<String, String> sha256 = (Map<String, String>) notes.get("sha256");
        assertEquals(List.of(first.toString(), second.toString()), List.copyOf(sha256.keySet()));
        assertEquals(data.inputHashes(), sha256);
        assertEquals(sha256(second), sha256.get(second.toString()));
        assertEquals(4L, notes.get("rows_read"));
        assertEquals(3L, notes.get("rows_loaded"));
        assertEquals(Map.of(first.toString(), 2L, second.toString(), 1L), notes.get("rows_loaded_per_file"));
        assertEquals(1L, notes.get("rows_skipped"));
        assertEquals(List.of(Map.of("file", first.toString(), "line", 3L,
                "reason", "expected 1 fields (body), found 2")),
                notes.get("skipped_rows"));
        // One file keeps its notes as they were: file and sha256 are single values.
        Map<String, Object> one = (Map<String, Object>) DataPreparer.prepare(TestRecipes.recipe()
                .texts(List.of(second), "body").build()).notes().get("text");
        assertEquals(second.toString(), one.get("file"));
        assertEquals(sha256(second), one.get("sha256"));
        assertTrue(!one.containsKey("rows_loaded_per_file"));
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void columnSplitNeedsColumnsInEveryCorpus() throws IOException {
        Path text = Files.writeString(dir.resolve("t.txt"), "doc\n");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> DataPreparer.prepare(
                TestRecipes.recipe().text(text).splitColumn("split").build()));
        assertTrue(e.getMessage().startsWith(text + ": split.method column needs a 'split' column"), e.getMessage());
    }
}
