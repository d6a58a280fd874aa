package dev.workbench.report;

import dev.workbench.eval.EvaluateStage;
import dev.workbench.eval.FixtureRun;
import dev.workbench.plan.RunContext;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Evaluate;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Split;
import dev.workbench.recipe.Synthesize;
import dev.workbench.recipe.Training;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluate and report stages through the {@code Stage} interface, as {@code workbench run} calls them. */
class StagePipelineTest {

    static Recipe recipe(Path dir, List<String> formats) {
        Corpus corpus = new Corpus(Optional.empty(),
                Optional.of(new Corpus.LabelledSource(dir.resolve("labelled.csv"), Corpus.Format.CSV, "text", "label")),
                Optional.of(new Corpus.TableSource(dir.resolve("table.csv"), Corpus.Format.CSV,
                        Optional.of("readmitted"), Map.of(), List.of())), Corpus.BadRowPolicy.SKIP);
        BaseModel base = new BaseModel(Optional.of("nano"), Optional.empty(), Optional.empty(),
                new BaseModel.TokenizerSpec(BaseModel.TokenizerKind.BYTE, 256, Optional.empty()), 64, 2, 2, 32, 0.0);
        Training training = new Training(List.of("cpu"), Training.Precision.FP32, 8, 1, Optional.empty(),
                Optional.of(10), 1e-3, Training.LrSchedule.CONSTANT, 0, Optional.empty(), 0.0, 1.0, Optional.of(5),
                Optional.empty(), 5, 1, 3, 1);
        Synthesize synth = new Synthesize(List.of("ctgan", "independent"), Optional.empty(), 1, 10, 10, 1, 8,
                List.of(16), List.of(16), 2e-4, 2e-4, true, true, 0.5, true);
        Evaluate evaluate = new Evaluate(true, true, true, 100, 0.9, List.of(), 8, 0.8, List.of("majority"),
                List.of("oos"));
        return new Recipe("fixture", "test", 42, "medical", base, corpus,
                new Split(Split.Method.RANDOM, 0.1, 0.2, Optional.empty(), true), training, Optional.empty(),
                Optional.of(synth), evaluate, new dev.workbench.recipe.Report(formats, "Fixture"),
                dir.resolve("fixture.yaml"));
    }

    @Test
    void evaluateThenReport(@TempDir Path dir) throws Exception {
        FixtureRun run = FixtureRun.create(dir.resolve("runs/fixture/r1.partial"), 0);
        Files.delete(run.folder.resolve("manifest.json")); // mid-run: the manifest is written at commit
        Path reports = dir.resolve("reports/fixture/r1");
        MetricsLog metrics = new MetricsLog(run.folder.resolve("metrics.jsonl"));
        Recipe recipe = recipe(dir, List.of("markdown", "json"));
        RunContext context = new RunContext(recipe, "r1", run.folder, reports, dir.resolve("runs"), run.data,
                metrics, Optional.empty(), new PrintStream(new ByteArrayOutputStream()));

        EvaluateStage evaluate = new EvaluateStage();
        assertEquals("evaluate", evaluate.name());
        assertTrue(evaluate.enabled(recipe));
        evaluate.run(context);
        List<MetricRow> rows = MetricsLog.read(metrics.file());
        assertTrue(rows.stream().anyMatch(r -> r.stage().equals("evaluate") && r.subject().equals("majority")));
        assertFalse(rows.stream().anyMatch(r -> r.subject().equals("tfidf-logreg")), "only the recipe's baselines");
        // recipe: augment with the first method at ratio 0.5
        assertTrue(rows.stream().anyMatch(r -> r.subject().equals("ctgan") && r.metric().equals("augmented_accuracy")));
        // recipe confidence 0.9 -> narrower than the 0.95 fixture settings would give; just check it is an interval
        MetricRow acc = rows.stream().filter(r -> r.subject().equals("finetuned") && r.metric().equals("accuracy"))
                .findFirst().orElseThrow();
        assertTrue(acc.ciLow() < acc.value() && acc.value() < acc.ciHigh());

        ReportStage report = new ReportStage();
        assertEquals("report", report.name());
        assertTrue(report.enabled(recipe));
        report.run(context);
        assertTrue(Files.exists(reports.resolve("report.md")));
        assertTrue(Files.exists(reports.resolve("report.json")));
        assertFalse(Files.exists(reports.resolve("report.html")), "recipe asked for markdown and json only");
        String md = Files.readString(reports.resolve("report.md"));
        assertTrue(md.startsWith("# Fixture run"), "title from recipe.resolved.yaml");
        assertTrue(md.contains("No manifest.json"));
    }
}
