package dev.workbench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.eval.SyntheticEvaluation;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.workbench.report.ReportBuilder.format;

/**
 * The report files of {@code workbench evaluate-synthetic --out DIR}: {@code synthetic.json} (method → full result,
 * the shape the evaluate stage writes to {@code eval/synthetic.json}), {@code report.json} (tidy metric rows, sorted)
 * and {@code report.md} (the rows, then per-column and per-pair scores). Metric names are the evaluate stage's.
 */
public final class SyntheticFileReport {
    public static final String SYNTHETIC_JSON = "synthetic.json";
    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_MD = "report.md";
    public static final int SCHEMA_VERSION = 1;
    private static final String STAGE = "evaluate";
    private static final String SPLIT = "test";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private SyntheticFileReport() {
    }

    /** Tidy rows, as EvaluateStage writes them for a synthesizer, sorted by subject then metric. */
    public static List<MetricRow> rows(String subject, String dataset, SyntheticEvaluation.Result r) {
        List<MetricRow> rows = new ArrayList<>(SyntheticEvaluation.metricRows(STAGE, SPLIT, subject, dataset, r));
        rows.sort(Comparator.comparing(MetricRow::subject).thenComparing(MetricRow::metric));
        return rows;
    }

    /** Writes the three files atomically into {@code dir} (created); returns their paths. */
    public static List<Path> write(Path dir, String subject, String real, String synthetic,
                                   SyntheticEvaluation.Result r) throws IOException {
        List<MetricRow> rows = rows(subject, "table", r);
        Map<String, SyntheticEvaluation.Result> results = new TreeMap<>(Map.of(subject, r));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("schema_version", SCHEMA_VERSION);
        report.put("real", real);
        report.put("synthetic", synthetic);
        report.put("metrics", rows);
        List<Path> written = List.of(dir.resolve(SYNTHETIC_JSON), dir.resolve(REPORT_JSON), dir.resolve(REPORT_MD));
        RunFolder.writeAtomically(written.get(0), JSON.writeValueAsBytes(results));
        RunFolder.writeAtomically(written.get(1), JSON.writeValueAsBytes(report));
        RunFolder.writeAtomically(written.get(2), markdown(real, synthetic, rows, r).getBytes(StandardCharsets.UTF_8));
        return written;
    }

    static String markdown(String real, String synthetic, List<MetricRow> rows, SyntheticEvaluation.Result r) {
        StringBuilder md = new StringBuilder("# ").append(MarkdownReport.cell(synthetic)).append(" vs ")
                .append(MarkdownReport.cell(real)).append("\n\n");
        md.append(r.syntheticRows()).append(" synthetic rows compared with ").append(r.realRows())
                .append(" real holdout rows.\n\n## Metrics\n\n| subject | metric | value | n |\n|---|---|---|---|\n");
        for (MetricRow row : rows) {
            md.append("| ").append(MarkdownReport.cell(row.subject())).append(" | ").append(row.metric())
                    .append(row.higherIsBetter() ? " ↑" : " ↓").append(" | ").append(format(row.value()))
                    .append(" | ").append(row.n()).append(" |\n");
        }
        md.append("\n## Column shapes\n\n| column | kind | metric | score |\n|---|---|---|---|\n");
        for (SyntheticEvaluation.ColumnScore c : r.columns()) {
            md.append("| ").append(MarkdownReport.cell(c.column())).append(" | ").append(c.kind()).append(" | ")
                    .append(c.metric()).append(" | ").append(format(c.score())).append(" |\n");
        }
        md.append("\n## Column pair trends\n\n| column a | column b | metric | score |\n|---|---|---|---|\n");
        for (SyntheticEvaluation.PairScore p : r.pairs()) {
            md.append("| ").append(MarkdownReport.cell(p.columnA())).append(" | ")
                    .append(MarkdownReport.cell(p.columnB())).append(" | ").append(p.metric()).append(" | ")
                    .append(format(p.score())).append(" |\n");
        }
        return md.toString();
    }
}
