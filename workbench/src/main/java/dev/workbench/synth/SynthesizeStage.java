package dev.workbench.synth;

import dev.workbench.data.Splits;
import dev.workbench.data.Table;
import dev.workbench.plan.ConsoleProgress;
import dev.workbench.plan.Progress;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Synthesize;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.Metric;
import dev.workbench.store.MetricRow;
import dev.workbench.store.RunFolder;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code synthesize} stage: profiles the table's training split, fits every method of recipe synthesize.methods
 * on it and writes, under {@code synthetic/}: {@code <method>.csv} (generated rows, the profiled columns),
 * {@code <method>/generator/} (reusable generator folder), {@code <method>/losses.csv} (per-epoch losses, for methods
 * that keep them: ctgan) and {@code profile.json}; metric rows {@code fit_seconds}, {@code sample_seconds} and what
 * each fit reports (for ctgan {@code generator_loss_final}, {@code critic_loss_final}, {@code generator_steps},
 * {@code skipped_steps}; for tvae {@code loss_final}, {@code training_steps}, {@code skipped_steps}). It knows the
 * methods only as {@link Synthesizer}s from {@link Synthesizers}. Fidelity metrics are the evaluate stage's job.
 */
public final class SynthesizeStage implements Stage {
    public static final String NAME = "synthesize";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled(Recipe recipe) {
        return recipe.synthesize().isPresent();
    }

    @Override
    public void run(RunContext context) throws Exception {
        Recipe recipe = context.recipe();
        Synthesize synthesize = recipe.synthesize().orElseThrow();
        Corpus.TableSource source = recipe.corpus().table().orElseThrow(() -> WorkbenchException.invalid(
                recipe.source() + ": synthesize needs corpus.table"));
        Table header = context.data().tableHeader().orElseThrow(() -> WorkbenchException.invalid(
                recipe.source() + ": synthesize needs corpus.table, and no table was loaded"));
        Splits<List<String>> splits = context.data().tableRows().orElseThrow(() -> WorkbenchException.invalid(
                recipe.source() + ": synthesize needs corpus.table, and no table was loaded"));
        Table train = new Table(header.columns(), splits.train());
        Result result = run(train, source.columnTypes(), source.drop(), synthesize, recipe.seed(),
                context.runFolder().resolve(RunFolder.SYNTHETIC), recipe.domain() + "/table", context.log(),
                recipe.training() == null ? Training.DEFAULT_MAX_NON_FINITE_STEPS
                        : recipe.training().maxNonFiniteSteps(), context.progress());
        context.metrics().appendAll(result.metrics());
        if (synthesize.augment()) {
            String method = synthesize.methods().get(0);
            Path file = context.runFolder().resolve(RunFolder.AUGMENTED_TRAIN);
            Augmentation.writeTagged(file, train, SyntheticCsv.read(result.csvFiles().get(method)),
                    synthesize.augmentRatio(), recipe.seed(), context.runId() + "/" + method);
            context.log().printf("synthesize: augmented training table (real + %s rows, tagged) -> %s%n", method,
                    file);
        }
    }

    /** What {@link #run(Table, Map, List, Synthesize, long, Path, String, java.io.PrintStream)} produced. */
    public record Result(TableProfile profile, Map<String, Path> csvFiles, List<MetricRow> metrics) {
    }

    /** The stage without a run context (used by tests and benchmarks), with fine-tuning's default NaN guard. */
    public static Result run(Table train, Map<String, String> columnTypes, List<String> drop, Synthesize synthesize,
                             long seed, Path folder, String dataset, java.io.PrintStream log) throws IOException {
        return run(train, columnTypes, drop, synthesize, seed, folder, dataset, log,
                Training.DEFAULT_MAX_NON_FINITE_STEPS, ConsoleProgress.lines(log));
    }

    /**
     * @param maxNonFiniteSteps consecutive non-finite training steps (each skipped) that end the stage as DIVERGED; the
     *     recipe's training.max_non_finite_steps
     * @param progress shown every training step of the neural methods
     */
    public static Result run(Table train, Map<String, String> columnTypes, List<String> drop, Synthesize synthesize,
                             long seed, Path folder, String dataset, java.io.PrintStream log, int maxNonFiniteSteps,
                             Progress progress)
            throws IOException {
        if (synthesize.methods().isEmpty()) {
            throw WorkbenchException.invalid("synthesize.methods is empty");
        }
        if (train.rows().isEmpty()) {
            throw WorkbenchException.invalid("synthesize: the table's training split has no rows");
        }
        Files.createDirectories(folder);
        TableProfile profile = TableProfiler.profile(train, columnTypes, drop);
        GeneratorCheckpoint.JSON.writeValue(folder.resolve(RunFolder.PROFILE).toFile(), profile);
        int rows = synthesize.rows().orElse(train.rows().size());
        FitOptions options = new FitOptions(log, progress, maxNonFiniteSteps);
        List<MetricRow> metrics = new ArrayList<>();
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        long n = train.rows().size();
        for (String method : synthesize.methods()) {
            try (Synthesizer synthesizer = Synthesizers.create(method, synthesize)) {
                synthesizer.budget((int) n).ifPresent(budget -> log.printf("synthesize: %s on %d rows, %d columns, "
                        + "%s%n", method, n, profile.columns().size(), budget.logText()));
                long start = System.nanoTime();
                FitReport fit = synthesizer.fit(train, profile, seed, options);
                double fitSeconds = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                Table synthetic = synthesizer.sample(rows, Map.of(), seed + 1);
                double sampleSeconds = (System.nanoTime() - start) / 1e9;
                Path csv = folder.resolve(RunFolder.syntheticTableName(method));
                SyntheticCsv.write(csv, synthetic);
                files.put(method, csv);
                synthesizer.save(folder.resolve(method).resolve(RunFolder.GENERATOR));
                metrics.add(MetricRow.of(NAME, method, dataset, "train", Metric.FIT_SECONDS, fitSeconds, n));
                metrics.add(MetricRow.of(NAME, method, dataset, "train", Metric.SAMPLE_SECONDS, sampleSeconds, rows));
                if (fit.losses().isPresent()) {
                    writeLosses(folder.resolve(method).resolve(RunFolder.LOSSES), fit.losses().get());
                }
                for (FitReport.Value value : fit.values()) {
                    metrics.add(MetricRow.of(NAME, method, dataset, "train", value.metric(), value.value(), n));
                }
                log.printf("synthesize: %s fitted in %.1f s, %d rows sampled in %.2f s -> %s%n", method, fitSeconds,
                        rows, sampleSeconds, csv);
            }
        }
        return new Result(profile, files, metrics);
    }

    /**
     * What the stage will do, for {@code workbench plan}: one line per method, e.g.
     * {@code ctgan: 1000 generator steps (max(30 epochs x 1 step, 1000 steps)), batch 200, pac 10}.
     */
    public static List<String> planLines(Synthesize synthesize, int trainRows) {
        int rows = synthesize.rows().orElse(trainRows);
        List<String> lines = new ArrayList<>();
        for (String method : synthesize.methods()) {
            try (Synthesizer synthesizer = Synthesizers.create(method, synthesize)) {
                lines.add(synthesizer.planLine(trainRows, rows));
            }
        }
        return lines;
    }

    /** Writes a fit's losses table atomically. */
    static void writeLosses(Path file, FitReport.LossTable losses) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".losses", ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            writer.write(losses.header() + "\n");
            for (String row : losses.rows()) {
                writer.write(String.format(Locale.ROOT, "%s%n", row));
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
