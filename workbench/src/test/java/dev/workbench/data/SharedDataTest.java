package dev.workbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Split;
import dev.workbench.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converts and loads the real public files of the shared data folder (read-only, never copied into the repository).
 * Skipped, with the reason, where that folder is absent.
 */
class SharedDataTest {
    private static final Path SHARED = SharedData.folder();

    @TempDir
    Path dir;

    @Test
    void banking77ConvertsWithItsOfficialSplitAndPrepares() {
        Path train = SHARED.resolve("customer-service/banking77_train.csv");
        Path test = SHARED.resolve("customer-service/banking77_test.csv");
        assumeTrue(Files.isRegularFile(train) && Files.isRegularFile(test), "no BANKING77 under " + SHARED);
        DatasetCatalog.Entry entry = DatasetCatalog.load().find("banking77");
        DatasetFetcher.Result result = new DatasetFetcher(line -> { }).fetch(entry, dir.resolve("banking77"),
                List.of(train.toString(), test.toString()), false);
        // Row counts from the shared data README: 10,003 train + 3,080 test.
        assertEquals(List.of(new DatasetFetcher.FetchedFile("labelled.csv", 13_083,
                result.files().get(0).sha256())), result.files());
        // The shared README's checksums of the two files.
        assertEquals(List.of(Optional.of("c13c6d140f3072e184179261fe8204a9094b9fa3b021bcc4ddb3174ee36eea83"),
                        Optional.of("e10f6bc95fe4e3eb5e8060f60f09aee8b17d03f23ce0047d9511e8003c26c808")),
                result.sources().stream().map(DatasetFetcher.FetchedSource::sha256).toList());

        Path labelled = result.folder().resolve("labelled.csv");
        PreparedData data = DataPreparer.prepare(TestRecipes.recipe().labelled(labelled, "text", "label")
                .split(Split.Method.COLUMN, 0, 0.1).splitColumn("split").build());
        Splits<LabelledExample> splits = data.labelled().orElseThrow();
        assertEquals(List.of(10_003, 0, 3_080),
                List.of(splits.train().size(), splits.validation().size(), splits.test().size()));
        // The official split has no validation rows: split.validation 0.1 draws them from train (1,000.3 -> 1,000).
        PreparedData withValidation = DataPreparer.prepare(TestRecipes.recipe()
                .labelled(labelled, "text", "label").split(Split.Method.COLUMN, 0.1, 0.1).splitColumn("split").build());
        Splits<LabelledExample> drawn = withValidation.labelled().orElseThrow();
        assertEquals(List.of(9_003, 1_000, 3_080),
                List.of(drawn.train().size(), drawn.validation().size(), drawn.test().size()));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Long>> counts = (Map<String, Map<String, Long>>)
                ((Map<String, Object>) data.notes().get("labelled")).get("label_counts");
        assertEquals(77, counts.get("test").size());
        assertEquals(List.of(40L), counts.get("test").values().stream().distinct().toList()); // 40 per intent

        PreparedData stratified = DataPreparer.prepare(TestRecipes.recipe().labelled(labelled, "text", "label")
                .split(Split.Method.STRATIFIED, 0.1, 0.2).build());
        Splits<LabelledExample> s = stratified.labelled().orElseThrow();
        // 13,083 x 0.2 = 2,616.6 -> 2,617; x 0.1 = 1,308.3 -> 1,308; train the rest, 9,158.
        assertEquals(List.of(9_158, 1_308, 2_617), List.of(s.train().size(), s.validation().size(), s.test().size()));
    }

    @Test
    void adultAndHeartDiseaseConvertToTables() {
        Path train = SHARED.resolve("benchmark/adult_train.csv");
        Path test = SHARED.resolve("benchmark/adult_test.csv");
        Path heart = SHARED.resolve("medical/heart_disease_cleveland.csv");
        assumeTrue(Files.isRegularFile(train) && Files.isRegularFile(test) && Files.isRegularFile(heart),
                "no UCI Adult / heart disease under " + SHARED);
        DatasetCatalog catalog = DatasetCatalog.load();
        // The shared copies already carry the header row, which the converter recognises and skips.
        DatasetFetcher.Result adult = new DatasetFetcher(line -> { }).fetch(catalog.find("uci-adult"),
                dir.resolve("adult"), List.of(train.toString(), test.toString()), false);
        assertEquals(32_561 + 16_281, adult.files().get(0).rows()); // row counts from the shared data README
        // split.validation 0: every official train row stays in train (0.1 would draw validation rows from them)
        PreparedData data = DataPreparer.prepare(TestRecipes.recipe().split(Split.Method.COLUMN, 0, 0.1)
                .table(adult.folder().resolve("table.csv"), "income", List.of()).splitColumn("split").build());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Long>> counts = (Map<String, Map<String, Long>>)
                ((Map<String, Object>) data.notes().get("table")).get("target_counts");
        // Class totals from the shared data README (test labels lose their trailing '.').
        assertEquals(Map.of("<=50K", 24_720L, ">50K", 7_841L), counts.get("train"));
        assertEquals(Map.of("<=50K", 12_435L, ">50K", 3_846L), counts.get("test"));
        assertEquals(15, data.tableHeader().orElseThrow().columns().size()); // the split column is not a feature

        DatasetFetcher.Result cleveland = new DatasetFetcher(line -> { }).fetch(catalog.find("uci-heart-disease"),
                dir.resolve("heart"), List.of(heart.toString()), false);
        assertEquals(303, cleveland.files().get(0).rows());
    }

    @Test
    void tinyShakespeareMatchesTheCatalogHash() {
        Path input = SHARED.resolve("general/tinyshakespeare.txt");
        assumeTrue(Files.isRegularFile(input), "no tinyshakespeare.txt under " + SHARED);
        DatasetFetcher.Result result = new DatasetFetcher(line -> { }).fetch(
                DatasetCatalog.load().find("tinyshakespeare"), dir.resolve("tiny"), List.of(input.toString()), false);
        assertEquals(List.of(true), result.sources().stream().map(DatasetFetcher.FetchedSource::verified).toList());
        Loaded<TextDocument> loaded = new CorpusLoader(Corpus.BadRowPolicy.ERROR).loadText(
                new Corpus.TextSource(result.folder().resolve("text.txt"), Corpus.Format.TXT, "text"),
                Optional.empty());
        assertEquals(result.files().get(0).rows(), loaded.items().size());
    }
}
