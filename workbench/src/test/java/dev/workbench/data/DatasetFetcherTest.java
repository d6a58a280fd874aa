package dev.workbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches from a loopback HTTP server started here (never the internet), and converts local files. */
class DatasetFetcherTest {
    private static final String TRAIN = "text,category\nmy card is lost,lost_card\n\"top up, failed\",top_up\n";
    // Golden: printf 'text,category\nmy card is lost,lost_card\n"top up, failed",top_up\n' | sha256sum
    private static final String TRAIN_SHA = "147ecd5ee45b56abe6224d05237025a4905dc1ae93f9104dc39ffd10997fe227";
    private static final String TEST = "text,category\nwhere is my card,card_arrival\n";

    @TempDir
    Path dir;
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        served.put("/train.csv", TRAIN.getBytes(StandardCharsets.UTF_8));
        served.put("/test.csv", TEST.getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private DatasetCatalog catalog(String trainSha, String trainPath) throws IOException {
        Path file = dir.resolve("catalog.yaml");
        Files.writeString(file, "datasets:\n"
                + "  - name: tiny-intents\n"
                + "    title: Tiny intents\n"
                + "    description: Two files served on loopback.\n"
                + "    domain: customer-service\n"
                + "    license: CC0\n"
                + "    sources:\n"
                + "      - {url: '" + url(trainPath) + "', sha256: " + trainSha + ", split: train}\n"
                + "      - {url: '" + url("/test.csv") + "', sha256: null, split: test}\n"
                + "    convert: {kind: labelled-csv, text_column: text, label_column: category}\n");
        return DatasetCatalog.read(file);
    }

    private DatasetFetcher fetcher() {
        return new DatasetFetcher(log::add);
    }

    private List<String> leftovers(Path parent) throws IOException {
        if (!Files.exists(parent)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(parent)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void fetchesVerifiesConvertsAndWritesAtomically() throws IOException {
        DatasetCatalog catalog = catalog(TRAIN_SHA, "/train.csv");
        Path target = dir.resolve("out/tiny-intents");
        DatasetFetcher.Result result = fetcher().fetch(catalog.find("tiny-intents"), target, List.of(), false);

        assertTrue(AtomicDirectory.isCommitted(target));
        assertEquals(List.of("COMMITTED", "README.md", "labelled.csv"), leftovers(target));
        assertEquals("text,label,split\nmy card is lost,lost_card,train\n\"top up, failed\",top_up,train\n"
                + "where is my card,card_arrival,test\n", Files.readString(target.resolve("labelled.csv")));
        assertEquals(List.of(true, false), result.sources().stream().map(DatasetFetcher.FetchedSource::verified)
                .toList());
        assertEquals(1, result.warnings().size());
        assertTrue(result.warnings().get(0).startsWith("unverified: the catalog has no SHA-256 for test.csv"),
                result.warnings().get(0));
        assertEquals(List.of(new DatasetFetcher.FetchedFile("labelled.csv", 3,
                AtomicDirectory.sha256(target.resolve("labelled.csv")))), result.files());
        String card = Files.readString(target.resolve("README.md"));
        assertTrue(card.contains("| " + url("/train.csv") + " | " + TRAIN_SHA + " | yes, matches the catalog |"),
                card);
        assertTrue(card.contains("split: {method: column, column: split}"), card);
        assertEquals(List.of("tiny-intents"), leftovers(dir.resolve("out")));

        // The converted file loads as a labelled corpus, with the official split usable as split.column.
        Loaded<LabelledExample> loaded = new CorpusLoader(Corpus.BadRowPolicy.ERROR).loadLabelled(
                new Corpus.LabelledSource(target.resolve("labelled.csv"), Corpus.Format.CSV, "text", "label"),
                Optional.of("split"));
        assertEquals(List.of("train", "train", "test"), loaded.splitTags());

        // A second fetch refuses to overwrite unless asked.
        WorkbenchException exists = assertThrows(WorkbenchException.class,
                () -> fetcher().fetch(catalog.find("tiny-intents"), target, List.of(), false));
        assertEquals(target + " already exists (delete it, or add --force to replace it)", exists.getMessage());
        fetcher().fetch(catalog.find("tiny-intents"), target, List.of(), true);
        assertEquals(List.of("tiny-intents"), leftovers(dir.resolve("out")));
    }

    @Test
    void hashMismatchLeavesNothing() throws IOException {
        String wrong = "'" + "0".repeat(64) + "'";
        DatasetCatalog catalog = catalog(wrong, "/train.csv");
        Path target = dir.resolve("out/tiny-intents");
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> fetcher().fetch(catalog.find("tiny-intents"), target, List.of(), false));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertEquals("SHA-256 mismatch for " + url("/train.csv") + ": expected " + "0".repeat(64) + ", got " + TRAIN_SHA
                + " (the file differs from the one the catalog knows; nothing was written)", e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), leftovers(dir.resolve("out")));
    }

    @Test
    void serverErrorLeavesNothing() throws IOException {
        DatasetCatalog catalog = catalog("null", "/missing.csv");
        Path target = dir.resolve("out/tiny-intents");
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> fetcher().fetch(catalog.find("tiny-intents"), target, List.of(), false));
        assertEquals(WorkbenchException.Kind.ENVIRONMENT, e.kind());
        assertEquals("download of " + url("/missing.csv") + " failed: HTTP 404", e.getMessage());
        assertEquals(List.of(), leftovers(dir.resolve("out")));
    }

    @Test
    void plainHttpIsRefusedOffLoopbackAndBadSourcesNameTheirLine() throws IOException {
        WorkbenchException http = assertThrows(WorkbenchException.class,
                () -> DatasetFetcher.checkedUri("http://example.org/data.csv"));
        assertEquals("refusing to download http://example.org/data.csv: only https:// URLs are fetched (plain http "
                + "only from a loopback address)", http.getMessage());
        assertThrows(WorkbenchException.class, () -> DatasetFetcher.checkedUri("ftp://127.0.0.1/x"));
        assertEquals("https", DatasetFetcher.checkedUri("https://example.org/x.csv").getScheme());

        served.put("/train.csv", "text,category\nfine,a\nbroken\n".getBytes(StandardCharsets.UTF_8));
        DatasetCatalog catalog = catalog("null", "/train.csv");
        Path target = dir.resolve("out/tiny-intents");
        WorkbenchException bad = assertThrows(WorkbenchException.class,
                () -> fetcher().fetch(catalog.find("tiny-intents"), target, List.of(), false));
        assertEquals(url("/train.csv") + ":3: expected 2 fields (text, category), found 1", bad.getMessage());
        assertEquals(List.of(), leftovers(dir.resolve("out")));
    }

    @Test
    void fromLocalFilesNeedsOnePerSource() throws IOException {
        DatasetCatalog catalog = catalog("null", "/train.csv");
        Path train = Files.writeString(dir.resolve("train.csv"), TRAIN);
        Path test = Files.writeString(dir.resolve("test.csv"), TEST);
        Path target = dir.resolve("local/tiny-intents");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> fetcher().fetch(
                catalog.find("tiny-intents"), target, List.of(train.toString()), false));
        assertEquals("dataset 'tiny-intents' has 2 source file(s) (train.csv, test.csv); --from was given 1 time(s): "
                + "give one --from per source, in that order", e.getMessage());
        server.stop(0); // a local copy needs no network
        DatasetFetcher.Result result = fetcher().fetch(catalog.find("tiny-intents"), target,
                List.of(train.toString(), test.toString()), false);
        assertEquals(3, result.files().get(0).rows());
        assertEquals(TRAIN_SHA, result.sources().get(0).sha256().orElseThrow());
    }

    @Test
    void convertsEveryKindFromLocalFiles() throws IOException {
        Path catalogFile = Files.writeString(dir.resolve("kinds.yaml"), """
                datasets:
                  - {name: maths, description: d, domain: education, license: MIT,
                     sources: [{url: 'https://example.org/train.jsonl', split: train},
                               {url: 'https://example.org/test.jsonl', split: test}],
                     convert: {kind: jsonl-text, fields: [question, answer]}}
                  - {name: census, description: d, domain: general, license: CC BY 4.0,
                     sources: [{url: 'https://example.org/adult.data', split: train},
                               {url: 'https://example.org/adult.test', split: test}],
                     convert: {kind: headerless-csv-table, columns: [age, job, income],
                               skip_lines_starting_with: '|', strip_trailing_period: income}}
                  - {name: prose, description: d, domain: general, license: PD,
                     sources: [{url: 'https://example.org/book.txt'}], convert: {kind: gutenberg-text}}
                  - {name: plain, description: d, domain: general, license: PD,
                     sources: [{url: 'https://example.org/input.txt'}], convert: {kind: plain-text}}
                  - {name: qa, description: d, domain: medical, license: CC BY 4.0,
                     sources: [{url: 'https://example.org/medquad.zip'}],
                     convert: {kind: medquad-xml, collections: [9_CDC_QA]}}
                """);
        DatasetCatalog catalog = DatasetCatalog.read(catalogFile);

        Path train = Files.writeString(dir.resolve("train.jsonl"),
                "{\"question\": \"What is 2+2?\", \"answer\": \"2+2=4\\n\\n#### 4\"}\n\n"
                        + "{\"question\": \"Half of 10?\", \"answer\": \"#### 5\"}\n");
        Path test = Files.writeString(dir.resolve("test.jsonl"), "{\"question\": \"1+1?\", \"answer\": \"#### 2\"}\n");
        Path maths = fetcher().fetch(catalog.find("maths"), dir.resolve("x/maths"),
                List.of(train.toString(), test.toString()), false).folder();
        assertEquals("What is 2+2?\n2+2=4\n#### 4\n\nHalf of 10?\n#### 5\n", Files.readString(maths.resolve("text.txt")));
        assertEquals("1+1?\n#### 2\n", Files.readString(maths.resolve("text_test.txt")));

        Path data = Files.writeString(dir.resolve("adult.data"), "39, State-gov, <=50K\n50, Private, >50K\n\n");
        Path tests = Files.writeString(dir.resolve("adult.test"), "|1x3 Cross validator\n25, Private, >50K.\n");
        Path census = fetcher().fetch(catalog.find("census"), dir.resolve("x/census"),
                List.of(data.toString(), tests.toString()), false).folder();
        assertEquals("age,job,income,split\n39,State-gov,<=50K,train\n50,Private,>50K,train\n25,Private,>50K,test\n",
                Files.readString(census.resolve("table.csv")));

        Path book = Files.writeString(dir.resolve("book.txt"), "Header\r\n*** START OF THE PROJECT GUTENBERG EBOOK X "
                + "***\r\n\r\nChapter 1\r\n\r\nIt is a truth.\r\n*** END OF THE PROJECT GUTENBERG EBOOK X ***\r\nLicence\r\n");
        Path prose = fetcher().fetch(catalog.find("prose"), dir.resolve("x/prose"), List.of(book.toString()), false)
                .folder();
        assertEquals("Chapter 1\n\nIt is a truth.\n", Files.readString(prose.resolve("text.txt")));

        Path input = Files.writeString(dir.resolve("input.txt"), "First:\nSpeak.\n\nSecond:\nNo.\n");
        DatasetFetcher.Result plain = fetcher().fetch(catalog.find("plain"), dir.resolve("x/plain"),
                List.of(input.toString()), false);
        assertEquals("First:\nSpeak.\n\nSecond:\nNo.\n", Files.readString(plain.folder().resolve("text.txt")));
        assertEquals(2, plain.files().get(0).rows());

        Path zip = dir.resolve("medquad.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("MedQuAD-abc/9_CDC_QA/0000001.xml"));
            out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document id=\"1\" source=\"CDC\"><QAPairs>"
                    + "<QAPair pid=\"1\"><Question qid=\"1-1\" qtype=\"information\">What is X ?</Question>"
                    + "<Answer>X is a thing.\n   \nIt spreads.</Answer></QAPair>"
                    + "<QAPair pid=\"2\"><Question qid=\"1-2\" qtype=\"treatment\">How to treat X ?</Question>"
                    + "<Answer></Answer></QAPair></QAPairs></Document>").getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("MedQuAD-abc/10_MPlus_ADAM_QA/0000002.xml"));
            out.write("<Document source=\"ADAM\"><QAPairs/></Document>".getBytes(StandardCharsets.UTF_8));
        }
        Path qa = fetcher().fetch(catalog.find("qa"), dir.resolve("x/qa"), List.of(zip.toString()), false).folder();
        assertEquals("text,label,source\nWhat is X ?,information,CDC\nHow to treat X ?,treatment,CDC\n",
                Files.readString(qa.resolve("labelled.csv")));
        assertEquals("What is X ?\nX is a thing.\nIt spreads.\n", Files.readString(qa.resolve("text.txt")));
    }
}
