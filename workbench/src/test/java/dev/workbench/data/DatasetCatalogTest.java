package dev.workbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.recipe.WorkbenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {
    @TempDir
    Path dir;

    @Test
    void theShippedCatalogParses() {
        Path root = Path.of(System.getProperty("workbench.repo.root"));
        DatasetCatalog catalog = DatasetCatalog.read(root.resolve(DatasetCatalog.CATALOG_PATH));
        assertEquals(List.of("banking77", "medquad", "gsm8k", "uci-adult", "uci-heart-disease",
                "uci-breast-cancer-wdbc", "tinyshakespeare", "pride-and-prejudice", "jack-sheppard"),
                catalog.datasets().stream().map(DatasetCatalog.Entry::name).toList());
        DatasetCatalog.Entry banking = catalog.find("banking77");
        assertEquals(DatasetCatalog.Kind.LABELLED_CSV, banking.convert().kind());
        assertEquals(Optional.of("category"), banking.convert().labelColumn());
        assertEquals(List.of(Optional.of("train"), Optional.of("test")),
                banking.sources().stream().map(DatasetCatalog.Source::split).toList());
        assertEquals("train.csv", banking.sources().get(0).fileName());
        for (DatasetCatalog.Entry entry : catalog.datasets()) {
            for (DatasetCatalog.Source source : entry.sources()) {
                assertTrue(source.url().startsWith("https://"), source.url());
            }
        }
        assertEquals(Optional.of("86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"),
                catalog.find("tinyshakespeare").sources().get(0).sha256());
        assertTrue(catalog.find("tinyshakespeare").verified());
        assertEquals(15, catalog.find("uci-adult").convert().columns().size());
        assertEquals(32, catalog.find("uci-breast-cancer-wdbc").convert().columns().size());
        assertEquals(14, catalog.find("uci-heart-disease").convert().columns().size());
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        DatasetCatalog catalog = DatasetCatalog.load();
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> catalog.find("banking78"));
        assertTrue(e.getMessage().startsWith("no dataset 'banking78' in "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; did you mean 'banking77'?"), e.getMessage());
    }

    private String errorOf(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), yaml);
        return assertThrows(WorkbenchException.class, () -> DatasetCatalog.read(file)).getMessage()
                .replace(file.toString(), "c.yaml");
    }

    @Test
    void badEntriesAreNamed() throws IOException {
        String head = "datasets:\n  - {name: x, description: d, domain: g, license: l, ";
        assertEquals("c.yaml: expected a top-level 'datasets' list", errorOf("sets: []\n"));
        assertEquals("c.yaml: datasets[0] (x).convert: unknown kind 'labeled-csv' (known: labelled-csv, jsonl-text, "
                        + "headerless-csv-table, plain-text, gutenberg-text, medquad-xml); did you mean 'labelled-csv'?",
                errorOf(head + "sources: [{url: 'https://a/b'}], convert: {kind: labeled-csv}}\n"));
        assertEquals("c.yaml: datasets[0] (x).convert: missing 'label_column'",
                errorOf(head + "sources: [{url: 'https://a/b'}], convert: {kind: labelled-csv, text_column: t}}\n"));
        assertEquals("c.yaml: datasets[0] (x): sha256 of https://a/b must be 64 hex digits (quoted) or null",
                errorOf(head + "sources: [{url: 'https://a/b', sha256: abc}], convert: {kind: plain-text}}\n"));
        assertEquals("c.yaml: datasets[0]: unknown key 'licence'; did you mean 'license'?",
                errorOf("datasets:\n  - {name: x, licence: l}\n"));
        assertEquals("c.yaml: datasets[0] (x): 'sources' must be a non-empty list",
                errorOf(head + "sources: [], convert: {kind: plain-text}}\n"));
    }
}
