package dev.workbench.report;

import dev.workbench.eval.PairedTestResult;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunManifest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Plain-words warnings: what the numbers cannot tell, given this run's sizes, settings and missing pieces. */
final class Caveats {
    private Caveats() {
    }

    static List<String> of(Optional<RunManifest> manifest, List<MetricRow> metrics, List<PairedTestResult> tests,
                           Report.SyntheticSection synthetic) {
        Set<String> out = new LinkedHashSet<>();
        if (manifest.isEmpty()) {
            out.add("No manifest.json: the report was built while the run was still in progress, so provenance "
                    + "(input hashes, versions, timings) is missing.");
        }
        manifest.ifPresent(m -> {
            if (m.stages() != null) {
                for (RunManifest.StageRecord s : m.stages()) {
                    if (!"completed".equals(s.status())) {
                        out.add("Stage " + s.name() + " " + s.status()
                                + (s.message() == null ? "" : ": " + s.message()) + "; its results are missing.");
                    }
                }
            }
        });
        for (MetricRow r : metrics) {
            if (r.stage().equals("evaluate") && (r.is(Metric.ACCURACY) || r.is(Metric.BITS_PER_BYTE))
                    && r.n() != null && r.n() < ReportBuilder.SMALL_TEST_SET) {
                out.add(String.format("Only %d test items on %s: confidence intervals are wide, and small "
                        + "differences cannot be told apart from chance.", r.n(), r.dataset()));
            }
            if (r.stage().equals("evaluate") && r.is(Metric.LOSS_DELTA_VS_BASE) && r.dataset().endsWith("/instructions")
                    && r.split().equals("validation")) {
                out.add(String.format("The instruct task's loss is measured on the %d validation conversations of %s, "
                        + "the same ones that picked the best checkpoint, so the fine-tuned figure leans optimistic "
                        + "(split.test keeps a test split, which it is then measured on).",
                        r.n(), r.dataset()));
            }
            if (r.is(Metric.EXPECTED_CALIBRATION_ERROR) && r.n() != null
                    && r.n() < ReportBuilder.SMALL_TEST_SET) {
                out.add("Calibration error from fewer than 300 items is noisy (10 equal-width bins).");
            }
            if (r.is(Metric.EXACT_COPY_RATE) && r.value() > 0) {
                out.add(String.format("%s copied %s of its rows exactly from the training data: quality scores "
                        + "reward copying, so read them next to the privacy scores.", r.subject(),
                        ReportBuilder.format(r.value())));
            }
        }
        for (PairedTestResult t : tests) {
            if (t.test().startsWith("mcnemar") && t.onlySubjectRight() != null
                    && t.onlySubjectRight() + t.onlyAgainstRight() < 10) {
                out.add(String.format("%s vs %s differ on only %d items: the McNemar test has little power.",
                        t.subject(), t.against(), t.onlySubjectRight() + t.onlyAgainstRight()));
            }
        }
        if (synthetic != null) {
            out.add("Synthetic-data scores follow SDMetrics definitions, pair trends both with every pair and in "
                    + "SDMetrics' thresholded mode (_thresholded); column types are the synthesizer profiler's (small "
                    + "whole-number codes are categorical). Shapes, pair trends and quality compare with the whole real "
                    + "table (train + test splits), as SDMetrics' QualityReport does; detection, TSTR/TRTR and DCR use "
                    + "the real test split, which the generator never saw. A table of independent marginals can score "
                    + "well on column shapes: compare methods on pair trends, tree detection and privacy together.");
        }
        if (metrics.stream().noneMatch(r -> r.stage().equals("evaluate"))) {
            out.add("The evaluate stage left no metric rows: only training-time numbers are shown.");
        }
        return new ArrayList<>(out);
    }
}
