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
 * {@code <method>/generator/} (reusable generator folder), {@code ctgan/losses.csv} (per-epoch losses) and
 * {@code profile.json}; metric rows {@code fit_seconds}, {@code sample_seconds}, for ctgan
 * {@code generator_loss_final}, {@code critic_loss_final}, {@code generator_steps}, {@code skipped_steps}, and for
 * tvae {@code loss_final}, {@code training_steps}, {@code skipped_steps}. Fidelity metrics are the evaluate
 * stage's job.
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
     * @param maxNonFiniteSteps consecutive non-finite ctgan steps (each skipped) that end the stage as DIVERGED; the
     *     recipe's training.max_non_finite_steps
     * @param progress shown every generator step of ctgan and tvae
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
        CtganConfig config = CtganConfig.from(synthesize);
        List<MetricRow> metrics = new ArrayList<>();
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        long n = train.rows().size();
        for (String method : synthesize.methods()) {
            Synthesizer synthesizer = Synthesizers.create(method, config);
            try {
                if (synthesizer instanceof CtganSynthesizer ctgan) {
                    ctgan.withProgress(log, progress).withMaxNonFiniteSteps(maxNonFiniteSteps);
                    log.printf("synthesize: ctgan on %d rows, %d columns, %d generator steps (batch %d; the larger "
                                    + "of epochs %d x %d steps per epoch and steps %d)%n", n, profile.columns().size(),
                            config.totalSteps((int) n), config.effectiveBatchSize((int) n), config.epochs(),
                            config.stepsPerEpoch((int) n), config.steps());
                }
                if (synthesizer instanceof TvaeSynthesizer tvae) {
                    tvae.withProgress(log, progress).withMaxNonFiniteSteps(maxNonFiniteSteps);
                    log.printf("synthesize: tvae on %d rows, %d columns, %d steps (batch %d; the larger of epochs %d "
                                    + "x %d steps per epoch and steps %d)%n", n, profile.columns().size(),
                            TvaeSynthesizer.totalSteps(config, (int) n), TvaeSynthesizer.effectiveBatchSize(config,
                                    (int) n), config.epochs(), TvaeSynthesizer.stepsPerEpoch(config, (int) n),
                            config.steps());
                }
                long start = System.nanoTime();
                synthesizer.fit(train, profile, seed);
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
                if (synthesizer instanceof CtganSynthesizer ctgan) {
                    List<CtganSynthesizer.EpochLoss> losses = ctgan.losses();
                    writeLosses(folder.resolve(method).resolve(RunFolder.LOSSES), losses);
                    CtganSynthesizer.EpochLoss last = losses.get(losses.size() - 1);
                    metrics.add(MetricRow.of(NAME, method, dataset, "train", Metric.GENERATOR_LOSS_FINAL,
                            last.generatorLoss(), n));
                    metrics.add(MetricRow.of(NAME, method, dataset, "train", Metric.CRITIC_LOSS_FINAL,
                            last.criticLoss(), n));
                    metrics.add(MetricRow.of(NAME, method, dataset, "train", Metric.GENERATOR_STEPS,
                            ctgan.trainedSteps(), n));
                    metrics.add(MetricRow.of(NAME, method, dataset, "train", Metric.SKIPPED_STEPS,
                            ctgan.skippedSteps(), n));
                }
                if (synthesizer instanceof TvaeSynthesizer tvae) {
                    List<TvaeSynthesizer.EpochLoss> losses = tvae.losses();
                    metrics.add(MetricRow.of(NAME, method, dataset, "train", Metric.LOSS_FINAL,
                            losses.get(losses.size() - 1).loss(), n));
                    metrics.add(MetricRow.of(NAME, method, dataset, "train", Metric.TRAINING_STEPS,
                            tvae.trainedSteps(), n));
                    metrics.add(MetricRow.of(NAME, method, dataset, "train", Metric.SKIPPED_STEPS,
                            tvae.skippedSteps(), n));
                }
                log.printf("synthesize: %s fitted in %.1f s, %d rows sampled in %.2f s -> %s%n", method, fitSeconds,
                        rows, sampleSeconds, csv);
            } finally {
                // the neural synthesizers hold native arrays
                if (synthesizer instanceof CtganSynthesizer ctgan) {
                    ctgan.close();
                } else if (synthesizer instanceof TvaeSynthesizer tvae) {
                    tvae.close();
                }
            }
        }
        return new Result(profile, files, metrics);
    }

    /**
     * What the stage will do, for {@code workbench plan}: one line per method, e.g.
     * {@code ctgan: 1000 generator steps (max(30 epochs x 1 step, 1000 steps)), batch 200, pac 10}.
     */
    public static List<String> planLines(Synthesize synthesize, int trainRows) {
        CtganConfig config = CtganConfig.from(synthesize);
        int rows = synthesize.rows().orElse(trainRows);
        List<String> lines = new ArrayList<>();
        for (String method : synthesize.methods()) {
            if (method.equals(CtganSynthesizer.NAME)) {
                lines.add(String.format(Locale.ROOT, "ctgan: %d generator steps (max(%d epochs x %d steps, %d steps)),"
                                + " batch %d, pac %d, %d rows sampled", config.totalSteps(trainRows),
                        config.epochs(), config.stepsPerEpoch(trainRows), config.steps(),
                        config.effectiveBatchSize(trainRows), Math.min(config.pac(),
                                config.effectiveBatchSize(trainRows)), rows));
            } else if (method.equals(TvaeSynthesizer.NAME)) {
                lines.add(String.format(Locale.ROOT, "tvae: %d steps (max(%d epochs x %d steps, %d steps)), batch %d, "
                                + "%d rows sampled", TvaeSynthesizer.totalSteps(config, trainRows), config.epochs(),
                        TvaeSynthesizer.stepsPerEpoch(config, trainRows), config.steps(),
                        TvaeSynthesizer.effectiveBatchSize(config, trainRows), rows));
            } else {
                lines.add(method + ": " + rows + " rows sampled");
            }
        }
        return lines;
    }

    static void writeLosses(Path file, List<CtganSynthesizer.EpochLoss> losses) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".losses", ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            writer.write("epoch,generator_steps,generator_loss,critic_loss,gradient_penalty,seconds\n");
            for (CtganSynthesizer.EpochLoss loss : losses) {
                writer.write(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.3f%n", loss.epoch(), loss.steps(),
                        loss.generatorLoss(), loss.criticLoss(), loss.gradientPenalty(), loss.seconds()));
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
