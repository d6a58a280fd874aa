package dev.workbench.data;

import dev.workbench.data.DatasetCatalog.Conversion;
import dev.workbench.data.DatasetCatalog.Entry;
import dev.workbench.data.DatasetCatalog.Source;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.WorkbenchException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Turns downloaded source files into the workbench layout: {@code labelled.csv} (text,label), {@code text.txt}
 * (documents separated by blank lines) and {@code table.csv} (one header row). Output CSV is RFC 4180 with LF line
 * ends. When the sources carry an official train/test split, CSV outputs get a {@code split} column (usable with
 * {@code split: {method: column, column: split}}) and text goes to {@code text.txt} (train) and {@code text_test.txt}.
 */
final class DatasetConverter {
    static final String LABELLED = "labelled.csv";
    static final String TEXT = "text.txt";
    static final String TEXT_TEST = "text_test.txt";
    static final String TABLE = "table.csv";
    static final String SPLIT_COLUMN = "split";

    private static final java.util.regex.Pattern BLANK_LINE = java.util.regex.Pattern.compile("\n[ \t\f\u000B]*\n\\s*");
    private static final CSVFormat OUT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private DatasetConverter() {
    }

    /** A downloaded (or local) source: a file, or a folder for medquad-xml. */
    record Input(Path path, Source source) {
    }

    /** A file written, with its row count (documents for text). */
    record Output(String name, long rows) {
    }

    static List<Output> convert(Entry entry, List<Input> inputs, Path folder) throws IOException {
        boolean splitTagged = inputs.stream().map(i -> i.source().split()).distinct().count() > 1
                && inputs.stream().allMatch(i -> i.source().split().isPresent());
        Conversion conversion = entry.convert();
        return switch (conversion.kind()) {
            case LABELLED_CSV -> List.of(labelledCsv(conversion, inputs, splitTagged, folder.resolve(LABELLED)));
            case JSONL_TEXT -> texts(inputs, folder, input -> jsonlDocuments(input.path(), conversion.fields()));
            case PLAIN_TEXT -> texts(inputs, folder, input -> List.of(normaliseLineEnds(decode(input.path()))));
            case GUTENBERG_TEXT -> texts(inputs, folder, input -> List.of(gutenbergBody(decode(input.path()))));
            case HEADERLESS_CSV_TABLE -> List.of(headerlessTable(conversion, inputs, splitTagged,
                    folder.resolve(TABLE)));
            case MEDQUAD_XML -> medquad(conversion, inputs, folder);
        };
    }

    private static String tag(Input input) {
        return input.source().split().orElse("train");
    }

    // --- labelled-csv: validated by the corpus loader, so a bad source row is named by file and line -------------

    private static Output labelledCsv(Conversion conversion, List<Input> inputs, boolean splitTagged, Path out)
            throws IOException {
        CorpusLoader loader = new CorpusLoader(Corpus.BadRowPolicy.ERROR);
        long rows = 0;
        try (CSVPrinter printer = printer(out, splitTagged ? List.of("text", "label", SPLIT_COLUMN)
                : List.of("text", "label"))) {
            for (Input input : inputs) {
                Loaded<LabelledExample> loaded;
                try {
                    loaded = loader.loadLabelled(new Corpus.LabelledSource(input.path(), Corpus.Format.CSV,
                            conversion.textColumn().orElseThrow(), conversion.labelColumn().orElseThrow()),
                            Optional.empty());
                } catch (WorkbenchException e) {
                    // The skip hint is about recipes; a catalog source must be whole.
                    throw new WorkbenchException(e.kind(), e.getMessage().replace(CorpusLoader.SKIP_HINT, ""), e);
                }
                for (LabelledExample example : loaded.items()) {
                    if (splitTagged) {
                        printer.printRecord(example.text(), example.label(), tag(input));
                    } else {
                        printer.printRecord(example.text(), example.label());
                    }
                    rows++;
                }
            }
        }
        return new Output(LABELLED, rows);
    }

    // --- text kinds -------------------------------------------------------------------------------------------------

    private interface Documents {
        List<String> of(Input input) throws IOException;
    }

    /** Writes documents of train (or untagged) sources to text.txt and of test sources to text_test.txt. */
    private static List<Output> texts(List<Input> inputs, Path folder, Documents documents) throws IOException {
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        for (Input input : inputs) {
            String name = "test".equals(tag(input)) ? TEXT_TEST : TEXT;
            byFile.computeIfAbsent(name, n -> new ArrayList<>()).addAll(documents.of(input));
        }
        List<Output> outputs = new ArrayList<>();
        for (Map.Entry<String, List<String>> file : byFile.entrySet()) {
            outputs.add(new Output(file.getKey(), writeText(folder.resolve(file.getKey()), file.getValue())));
        }
        return outputs;
    }

    /** Documents joined by one blank line; returns the number of blank-line-separated documents written. */
    private static long writeText(Path out, List<String> documents) throws IOException {
        long count = 0;
        try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (String document : documents) {
                String body = document.strip();
                if (body.isEmpty()) {
                    continue;
                }
                if (count > 0) {
                    writer.write('\n');
                }
                writer.write(body);
                writer.write('\n');
                count += BLANK_LINE.split(body).length;
            }
        }
        return count;
    }

    /** Each object's fields joined by a line break, with blank lines removed so that one object stays one document. */
    private static List<String> jsonlDocuments(Path file, List<String> fields) throws IOException {
        List<String> documents = new ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        forEachLine(file, (lineNumber, line) -> {
            if (line.isBlank()) {
                return;
            }
            com.fasterxml.jackson.databind.JsonNode node;
            try {
                node = json.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw WorkbenchException.invalid(file + ":" + lineNumber + ": malformed JSON: " + e.getOriginalMessage());
            }
            List<String> parts = new ArrayList<>();
            for (String field : fields) {
                com.fasterxml.jackson.databind.JsonNode value = node.get(field);
                if (value == null || value.isNull() || value.asText().isBlank()) {
                    throw WorkbenchException.invalid(file + ":" + lineNumber + ": missing or empty field '" + field
                            + "'");
                }
                parts.add(withoutBlankLines(value.asText()));
            }
            documents.add(String.join("\n", parts));
        });
        return documents;
    }

    private static String withoutBlankLines(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : normaliseLineEnds(text).split("\n")) {
            if (!line.isBlank()) {
                out.append(out.isEmpty() ? "" : "\n").append(line.stripTrailing());
            }
        }
        return out.toString();
    }

    static String normaliseLineEnds(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** The text between Project Gutenberg's START and END markers, when present; line ends normalised. */
    static String gutenbergBody(String raw) {
        String text = normaliseLineEnds(raw);
        String upper = text.toUpperCase(Locale.ROOT);
        int start = upper.indexOf("*** START OF");
        if (start >= 0) {
            int lineEnd = text.indexOf('\n', start);
            text = lineEnd < 0 ? "" : text.substring(lineEnd + 1);
            upper = text.toUpperCase(Locale.ROOT);
        }
        int end = upper.indexOf("*** END OF");
        if (end >= 0) {
            text = text.substring(0, end);
        }
        return text.strip() + "\n";
    }

    // --- headerless-csv-table ---------------------------------------------------------------------------------------

    private static Output headerlessTable(Conversion conversion, List<Input> inputs, boolean splitTagged, Path out)
            throws IOException {
        List<String> columns = conversion.columns();
        int strip = conversion.stripTrailingPeriod().map(columns::indexOf).orElse(-1);
        CSVFormat in = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).get();
        List<String> header = new ArrayList<>(columns);
        if (splitTagged) {
            header.add(SPLIT_COLUMN);
        }
        long[] rows = {0};
        try (CSVPrinter printer = printer(out, header)) {
            for (Input input : inputs) {
                forEachLine(input.path(), (lineNumber, line) -> {
                    if (line.isBlank() || conversion.skipLinesStartingWith().map(line::startsWith).orElse(false)) {
                        return;
                    }
                    List<String> values;
                    try (CSVParser parser = in.parse(new StringReader(line))) {
                        List<CSVRecord> records = parser.getRecords();
                        values = records.isEmpty() ? List.of() : new ArrayList<>(records.get(0).toList());
                    } catch (IOException | java.io.UncheckedIOException e) {
                        throw WorkbenchException.invalid(input.path() + ":" + lineNumber + ": malformed CSV line");
                    }
                    if (lineNumber == 1 && values.equals(columns)) {
                        return; // a copy that already has the header row (e.g. one converted before)
                    }
                    if (values.size() != columns.size()) {
                        throw WorkbenchException.invalid(input.path() + ":" + lineNumber + ": expected "
                                + columns.size() + " fields, found " + values.size());
                    }
                    if (strip >= 0 && values.get(strip).endsWith(".")) {
                        values.set(strip, values.get(strip).substring(0, values.get(strip).length() - 1));
                    }
                    if (splitTagged) {
                        values.add(tag(input));
                    }
                    printer.printRecord(values);
                    rows[0]++;
                });
            }
        }
        return new Output(TABLE, rows[0]);
    }

    // --- medquad-xml ------------------------------------------------------------------------------------------------

    private record QaPair(String question, String type, String answer, String source) {
    }

    private static List<Output> medquad(Conversion conversion, List<Input> inputs, Path folder) throws IOException {
        List<QaPair> pairs = new ArrayList<>();
        DocumentBuilder xml = secureXml();
        for (Input input : inputs) {
            if (Files.isDirectory(input.path())) {
                try (Stream<Path> walk = Files.walk(input.path())) {
                    for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                        String relative = input.path().relativize(file).toString().replace('\\', '/');
                        if (wanted(relative, conversion.collections())) {
                            pairs.addAll(parseMedquad(xml, Files.readAllBytes(file), file.toString()));
                        }
                    }
                }
            } else {
                try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(input.path()))) {
                    ZipEntry zipEntry;
                    boolean any = false;
                    while ((zipEntry = zip.getNextEntry()) != null) {
                        any = true;
                        if (!zipEntry.isDirectory() && wanted(zipEntry.getName(), conversion.collections())) {
                            pairs.addAll(parseMedquad(xml, zip.readAllBytes(),
                                    input.path() + "!" + zipEntry.getName()));
                        }
                    }
                    if (!any) {
                        throw WorkbenchException.invalid(input.path() + ": not a zip archive (nor a folder)");
                    }
                }
            }
        }
        if (pairs.isEmpty()) {
            throw WorkbenchException.invalid("no MedQuAD question found under the collections "
                    + conversion.collections());
        }
        long labelled = 0;
        try (CSVPrinter printer = printer(folder.resolve(LABELLED), List.of("text", "label", "source"))) {
            for (QaPair pair : pairs) {
                if (!pair.question().isBlank() && !pair.type().isBlank()) {
                    printer.printRecord(pair.question(), pair.type(), pair.source());
                    labelled++;
                }
            }
        }
        List<String> documents = new ArrayList<>();
        for (QaPair pair : pairs) {
            if (!pair.question().isBlank() && !pair.answer().isBlank()) {
                documents.add(withoutBlankLines(pair.question()) + "\n" + withoutBlankLines(pair.answer()));
            }
        }
        long texts = writeText(folder.resolve(TEXT), documents);
        return List.of(new Output(LABELLED, labelled), new Output(TEXT, texts));
    }

    private static boolean wanted(String path, List<String> collections) {
        if (!path.endsWith(".xml")) {
            return false;
        }
        for (String collection : collections) {
            if (path.startsWith(collection + "/") || path.contains("/" + collection + "/")) {
                return true;
            }
        }
        return false;
    }

    private static List<QaPair> parseMedquad(DocumentBuilder xml, byte[] bytes, String where) throws IOException {
        Document document;
        try {
            document = xml.parse(new ByteArrayInputStream(bytes));
        } catch (SAXException e) {
            throw WorkbenchException.invalid(where + ": malformed XML: " + e.getMessage());
        }
        String source = document.getDocumentElement().getAttribute("source");
        List<QaPair> pairs = new ArrayList<>();
        NodeList nodes = document.getElementsByTagName("QAPair");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element pair = (Element) nodes.item(i);
            Element question = first(pair, "Question");
            Element answer = first(pair, "Answer");
            if (question != null) {
                pairs.add(new QaPair(question.getTextContent().strip(), question.getAttribute("qtype").strip(),
                        answer == null ? "" : answer.getTextContent().strip(), source));
            }
        }
        return pairs;
    }

    private static Element first(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
    }

    /** No DTDs, no external entities: the XML comes from the network. */
    private static DocumentBuilder secureXml() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            factory.setXIncludeAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser without secure processing", e);
        }
    }

    // --- shared -----------------------------------------------------------------------------------------------------

    private static CSVPrinter printer(Path out, List<String> header) throws IOException {
        BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, OUT);
        printer.printRecord(header);
        return printer;
    }

    /** The file decoded strictly; invalid UTF-8 is an error naming the line. */
    private static String decode(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        try (StrictUtf8Reader reader = new StrictUtf8Reader(Files.newInputStream(file))) {
            char[] buffer = new char[64 * 1024];
            int n;
            while ((n = reader.read(buffer, 0, buffer.length)) > 0) {
                text.append(buffer, 0, n);
            }
            failOnMalformed(file, reader);
        }
        return text.toString();
    }

    private interface LineHandler {
        void line(long number, String line) throws IOException;
    }

    /** Streams the file's lines (1-based numbers); invalid UTF-8 stops at its line. */
    private static void forEachLine(Path file, LineHandler handler) throws IOException {
        try (StrictUtf8Reader reader = new StrictUtf8Reader(Files.newInputStream(file));
             BufferedReader buffered = new BufferedReader(reader, 64 * 1024)) {
            String line;
            long number = 0;
            while ((line = buffered.readLine()) != null) {
                number++;
                Map.Entry<Integer, String> bad = reader.firstMalformed(number, number);
                if (bad != null) {
                    throw WorkbenchException.invalid(file + ":" + number + ": " + bad.getValue());
                }
                handler.line(number, line);
            }
        }
    }

    private static void failOnMalformed(Path file, StrictUtf8Reader reader) {
        if (!reader.malformedLines().isEmpty()) {
            Map.Entry<Integer, String> first = reader.malformedLines().firstEntry();
            throw WorkbenchException.invalid(file + ":" + first.getKey() + ": " + first.getValue());
        }
    }
}
