package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.workbench.optim.Adam;
import dev.workbench.optim.ModelParameters;
import dev.workbench.optim.NonFiniteSteps;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.plan.ConsoleProgress;
import dev.workbench.plan.Durations;
import dev.workbench.plan.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The training loop, readable top to bottom ({@link #run}); nanoGPT's {@code train.py} is the model. Per optimizer
 * step:
 * <ol>
 *   <li>reseed the engine from (seed, step), so dropout depends on nothing but the step;</li>
 *   <li>k micro-batches, each forward + backward of (summed loss / units of the WHOLE step), so gradients accumulate
 *   to exactly the gradient of one batch of k*b (tokens, not micro-batches, carry equal weight);</li>
 *   <li>global-norm clipping (pre-clip norm logged);</li>
 *   <li>non-finite loss or norm: the update is skipped and counted; {@code max_non_finite_steps} in a row end the run
 *   as DIVERGED, leaving the last good checkpoint untouched;</li>
 *   <li>AdamW with the scheduled learning rate; gradients zeroed;</li>
 *   <li>every {@code eval_every_steps}: validation loss, keep-best ({@code best/}), early stopping;</li>
 *   <li>every {@code checkpoint_every_steps} and at the end: a checkpoint folder, then rotation.</li>
 * </ol>
 * Every array a step creates lives in one sub-manager and one {@link NDScope} and is freed when the step ends.
 *
 * <p>DJL's {@code Trainer} is deliberately not used: it re-enables gradients on loaded models (undoing freezing), its
 * optimizers cannot be checkpointed and its accumulation semantics are not token-weighted. The loop drives
 * {@code Block.forward} and a {@code GradientCollector} directly.
 *
 * <p>After {@link #run} returns, the model holds the weights of the best checkpoint (lowest validation loss), or of
 * the last step when there is no validation data.
 */
public final class TrainingLoop {

    /**
     * @param task name used in logs and checkpoint state ({@code language_model}, {@code classifier})
     * @param maxSteps optimizer steps in total (a resumed run continues up to the same total)
     * @param evalEverySteps 0 = only at the end
     * @param checkpointEverySteps 0 = only at the end
     */
    public record Settings(String task, long maxSteps, double maxGradNorm, LrSchedule schedule,
                           Adam.Settings optimizer, int evalEverySteps,
                           Optional<Training.EarlyStopping> earlyStopping, int checkpointEverySteps,
                           int keepCheckpoints, int maxNonFiniteSteps, int logEverySteps, long seed) {

        public Settings {
            if (maxSteps < 1 || maxNonFiniteSteps < 1 || keepCheckpoints < 1) {
                throw WorkbenchException.invalid("need max steps >= 1, max_non_finite_steps >= 1 and "
                        + "keep_checkpoints >= 1; got " + maxSteps + ", " + maxNonFiniteSteps + ", " + keepCheckpoints);
            }
        }

        /** The recipe's training section for a run of {@code totalSteps} optimizer steps. */
        public static Settings of(String task, Training training, long seed, long totalSteps) {
            return new Settings(task, totalSteps, training.maxGradNorm(),
                    new LrSchedule(training.lrSchedule(), training.learningRate(), training.warmupSteps(), totalSteps),
                    Adam.Settings.adamW(training.weightDecay()), training.evalEverySteps(),
                    training.earlyStopping(), training.checkpointEverySteps(), training.keepCheckpoints(),
                    training.maxNonFiniteSteps(), training.logEverySteps(), seed);
        }
    }

    /**
     * @param steps optimizer steps completed (including skipped ones)
     * @param bestCheckpoint {@code best/} folder: the lowest validation loss, or the last step without validation data
     * @param tokensPerSecond training tokens over training time of this invocation (evaluation and checkpoints excluded)
     */
    public record Result(long steps, long skippedSteps, double lastTrainLoss, double bestValidationLoss,
                         long bestStep, boolean stoppedEarly, Path bestCheckpoint, Path lastCheckpoint,
                         double tokensPerSecond, double seconds, long heapPeakBytes, long rssPeakBytes) {
    }

    private final Settings settings;
    private final PrintStream log;
    private final Progress progress;

    /** Progress as plain lines on {@code log}. */
    public TrainingLoop(Settings settings, PrintStream log) {
        this(settings, log, ConsoleProgress.lines(log));
    }

    /** @param progress shown the optimizer steps as they complete (elapsed, ETA, loss, learning rate, throughput) */
    public TrainingLoop(Settings settings, PrintStream log, Progress progress) {
        this.settings = settings;
        this.log = log;
        this.progress = progress;
    }

    /** Derived per-step engine seed: dropout masks depend only on (seed, step), so resume replays them exactly. */
    static int stepSeed(long seed, long step) {
        long z = seed + 0x9E3779B97F4A7C15L * (step + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31));
    }

    /**
     * Trains {@code task} on {@code device}, writing checkpoints under {@code checkpointDir} and per-step rows to
     * {@code metricsCsv}; continues from {@code resumeFrom} (a committed checkpoint folder) when given.
     */
    public Result run(TrainingTask task, Device device, Path checkpointDir, Path metricsCsv,
                      Optional<Path> resumeFrom) throws IOException {
        return run(task, List.of(device), checkpointDir, metricsCsv, resumeFrom);
    }

    /**
     * As {@link #run(TrainingTask, Device, Path, Path, Optional)}, data parallel over {@code devices} (see
     * {@link DataParallel}): the model lives on the first; each micro-batch is split across all of them.
     */
    public Result run(TrainingTask task, List<Device> devices, Path checkpointDir, Path metricsCsv,
                      Optional<Path> resumeFrom) throws IOException {
        Device device = devices.get(0);
        DataParallel parallel = new DataParallel(devices);
        ModelParameters parameters = task.parameters();
        Instant started = Instant.now();
        PeakMemory memory = new PeakMemory();
        try (Adam optimizer = new Adam(settings.optimizer(), device);
             NDManager loopManager = NDManager.newBaseManager(device)) {
            ParameterStore store = new ParameterStore(loopManager, false);

            // ---- where we start: step 0, or exactly where a checkpoint left off --------------------------------
            long step = 0;
            double bestValidation = Double.POSITIVE_INFINITY;
            long bestStep = -1;
            int evaluationsWithoutImprovement = 0;
            long skipped = 0;
            Path lastCheckpoint = null;
            Path bestCheckpoint = null;
            if (resumeFrom.isPresent()) {
                Path folder = resumeFrom.get();
                TrainingState state = Checkpoints.readState(folder);
                if (state.seed() != settings.seed()) {
                    log.printf("warning: resuming a run trained with seed %d under seed %d; data order and dropout "
                            + "will differ from an uninterrupted run%n", state.seed(), settings.seed());
                }
                parameters.loadCheckpointWeights(folder);
                optimizer.load(folder.resolve(Adam.STATE_FILE), parameters);
                step = state.step();
                bestValidation = state.bestValidationLoss() == null ? Double.POSITIVE_INFINITY
                        : state.bestValidationLoss();
                bestStep = state.bestStep();
                evaluationsWithoutImprovement = state.evaluationsWithoutImprovement();
                skipped = state.skippedSteps();
                lastCheckpoint = folder;
                Path best = checkpointDir.resolve(Checkpoints.BEST);
                bestCheckpoint = Checkpoints.isComplete(best) ? best : null;
                log.printf("%s: resuming at step %d of %d from %s%n", settings.task(), step, settings.maxSteps(),
                        folder);
            }

            long trainTokens = 0;
            double trainSeconds = 0;
            double loss = Double.NaN;
            NonFiniteSteps nonFinite = new NonFiniteSteps(settings.maxNonFiniteSteps());
            // a run that had already stopped early stays stopped when resumed
            int withoutImprovementAtStart = evaluationsWithoutImprovement;
            boolean stoppedEarly = settings.earlyStopping()
                    .map(e -> e.patience() > 0 && withoutImprovementAtStart >= e.patience()).orElse(false);
            if (stoppedEarly) {
                log.printf("%s: the checkpoint had already stopped early; nothing left to train%n", settings.task());
            }
            long firstStep = step;
            try (MetricsCsv csv = MetricsCsv.open(metricsCsv, step);
                 Progress.Task steps = progress.start("finetune " + settings.task(), step, settings.maxSteps(), "steps")) {
                for (; step < settings.maxSteps() && !stoppedEarly; step++) {
                    long completed = step + 1;
                    boolean lastStep = completed == settings.maxSteps();
                    double lr = settings.schedule().at(step);
                    Engine.getInstance().setRandomSeed(stepSeed(settings.seed(), step));
                    long stepStart = System.nanoTime();
                    try (NDManager stepManager = loopManager.newSubManager(); NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();

                        // ---- forward/backward over k micro-batches, normalised by the step's total units ----------
                        List<MicroBatch> batches = task.microBatches(step, stepManager);
                        long units = batches.stream().mapToLong(MicroBatch::units).sum();
                        long tokens = batches.stream().mapToLong(MicroBatch::tokens).sum();
                        double lossSum = 0;
                        // one device: just the parameters; several: copies of the weights on each (the broadcast)
                        List<ParameterStore> replicas = parallel.replicate(store, parameters, stepManager);
                        for (MicroBatch whole : batches) {
                            List<Optional<MicroBatch>> slices = parallel.split(whole);
                            for (int r = 0; r < slices.size(); r++) {
                                if (slices.get(r).isEmpty()) {
                                    continue;
                                }
                                MicroBatch batch = slices.get(r).get();
                                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                                    NDArray batchLoss = task.lossSum(replicas.get(r), batch, true);
                                    // the divisor as an array on the step's manager, not div(Number): DJL frees that
                                    // scalar right after the op, while autograd still needs it for backward (model.Mlp)
                                    NDArray divisor = stepManager.create((float) Math.max(1, units));
                                    collector.backward(batchLoss.div(divisor.getDevice().equals(batchLoss.getDevice())
                                            ? divisor : divisor.toDevice(batchLoss.getDevice(), false)));
                                    lossSum += batchLoss.toType(DataType.FLOAT64, false).getDouble();
                                }
                            }
                        }
                        parallel.reduceGradients(parameters, replicas);
                        loss = lossSum / Math.max(1, units);

                        // ---- clip, guard, update ------------------------------------------------------------------
                        double gradNorm = GradientClipping.clipByGlobalNorm(parameters.trainable().values(),
                                settings.maxGradNorm());
                        boolean finite = Double.isFinite(loss) && Double.isFinite(gradNorm);
                        if (nonFinite.skip(finite)) {
                            skipped++;
                            log.printf(Locale.ROOT, "%s: step %d: non-finite loss %s / grad norm %s at lr %.3g, "
                                            + "update skipped (%d in a row, limit %d)%n", settings.task(), completed,
                                    loss, gradNorm, lr, nonFinite.inARow(), nonFinite.limit());
                        } else {
                            optimizer.update(parameters, lr);
                        }
                        parameters.zeroGradients(!finite);
                        double seconds = (System.nanoTime() - stepStart) / 1e9;
                        trainTokens += tokens;
                        trainSeconds += seconds;
                        memory.sample();
                        if (nonFinite.diverged()) {
                            csv.append(completed, task.epochAt(completed), loss, lr, gradNorm, tokens / seconds, null);
                            throw diverged(completed, lr, loss, lastCheckpoint);
                        }

                        // ---- evaluate, keep the best, stop early --------------------------------------------------
                        Double validation = null;
                        boolean evaluate = settings.evalEverySteps() > 0 && completed % settings.evalEverySteps() == 0
                                || lastStep;
                        if (evaluate && finite) {
                            double v = task.validationLoss(store, stepManager);
                            if (Double.isFinite(v)) {
                                validation = v;
                                double minDelta = settings.earlyStopping().map(Training.EarlyStopping::minDelta)
                                        .orElse(0.0);
                                evaluationsWithoutImprovement = v < bestValidation - minDelta ? 0
                                        : evaluationsWithoutImprovement + 1;
                                if (v < bestValidation) {
                                    bestValidation = v;
                                    bestStep = completed;
                                    bestCheckpoint = writeCheckpoint(task, optimizer, checkpointDir, Checkpoints.BEST,
                                            completed, lr, loss, v, bestValidation, bestStep,
                                            evaluationsWithoutImprovement, skipped);
                                }
                                int withoutImprovement = evaluationsWithoutImprovement;
                                stoppedEarly = settings.earlyStopping()
                                        .map(e -> e.patience() > 0 && withoutImprovement >= e.patience())
                                        .orElse(false);
                            }
                        }
                        csv.append(completed, task.epochAt(completed), loss, lr, gradNorm, tokens / seconds,
                                validation);
                        boolean report = completed == firstStep + 1 || lastStep || validation != null
                                || completed % Math.max(1, settings.logEverySteps()) == 0;
                        if (report) {
                            steps.update(completed, String.format(Locale.ROOT, "epoch %.2f loss %.4f lr %.2e "
                                            + "grad_norm %.3f %,.0f tok/s%s", task.epochAt(completed), loss, lr,
                                    gradNorm, tokens / seconds, validation == null ? ""
                                            : String.format(Locale.ROOT, " val %.4f", validation)));
                        }

                        // ---- checkpoint (only finite weights), then rotate ----------------------------------------
                        boolean due = settings.checkpointEverySteps() > 0
                                && completed % settings.checkpointEverySteps() == 0;
                        if ((due || lastStep || stoppedEarly) && finite) {
                            if (parameters.allFinite()) {
                                lastCheckpoint = writeCheckpoint(task, optimizer, checkpointDir,
                                        Checkpoints.stepFolderName(completed), completed, lr, loss, validation,
                                        bestValidation, bestStep, evaluationsWithoutImprovement, skipped);
                                dev.workbench.model.io.CheckpointIO.writeLastPointer(checkpointDir, lastCheckpoint);
                                Checkpoints.rotate(checkpointDir, settings.keepCheckpoints());
                            } else {
                                log.printf("%s: step %d: weights are not finite, checkpoint not written%n",
                                        settings.task(), completed);
                            }
                        }
                    }
                    if (stoppedEarly) {
                        log.printf(Locale.ROOT, "%s: early stop at step %d: no validation improvement of %g for %d "
                                        + "evaluations (best %.4f at step %d)%n", settings.task(), step + 1,
                                settings.earlyStopping().get().minDelta(), evaluationsWithoutImprovement,
                                bestValidation, bestStep);
                        step++;
                        break;
                    }
                }
            }

            // ---- keep-best: without validation data the last checkpoint is the best one ---------------------------
            if (bestCheckpoint == null && lastCheckpoint != null) {
                Path source = lastCheckpoint;
                bestCheckpoint = Checkpoints.write(checkpointDir, Checkpoints.BEST,
                        target -> Checkpoints.copy(source, target));
            }
            if (bestCheckpoint != null) {
                parameters.loadCheckpointWeights(bestCheckpoint);
            }
            double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
            String best = Double.isFinite(bestValidation) ? String.format(Locale.ROOT, "%.4f at step %d",
                    bestValidation, bestStep) : "n/a";
            if (trainTokens == 0) {
                // nothing trained in this invocation (a resumed task that had finished): no rate, no memory to report
                log.printf(Locale.ROOT, "%s: already trained (%d of %d steps), nothing to do; best validation loss "
                        + "%s%n", settings.task(), step, settings.maxSteps(), best);
            } else {
                log.printf(Locale.ROOT, "%s: %d steps in %s, %.0f tokens/s, best validation loss %s; %s%n",
                        settings.task(), step, Durations.format(seconds), trainTokens / Math.max(1e-9, trainSeconds),
                        best, memory.describe());
            }
            return new Result(step, skipped, loss, bestValidation, bestStep, stoppedEarly, bestCheckpoint,
                    lastCheckpoint, trainTokens / Math.max(1e-9, trainSeconds), seconds, memory.heapPeakBytes(),
                    PeakMemory.rssPeakBytes());
        }
    }

    private WorkbenchException diverged(long step, double lr, double loss, Path lastGood) {
        return new WorkbenchException(WorkbenchException.Kind.DIVERGED, String.format(Locale.ROOT,
                "loss became %s at step %d (lr %.3g) and stayed non-finite for %d steps in a row "
                        + "(training.max_non_finite_steps); %s. Lower training.learning_rate or "
                        + "training.max_grad_norm and resume.",
                Double.isNaN(loss) ? "NaN" : Double.isFinite(loss) ? "finite with a non-finite gradient" : "infinite",
                step - settings.maxNonFiniteSteps() + 1, lr, settings.maxNonFiniteSteps(),
                lastGood == null ? "no checkpoint was written before" : "last good checkpoint: " + lastGood));
    }

    private Path writeCheckpoint(TrainingTask task, Adam optimizer, Path checkpointDir, String name, long step,
                                 double lr, double loss, Double validation, double bestValidation, long bestStep,
                                 int evaluationsWithoutImprovement, long skipped) throws IOException {
        TrainingState state = new TrainingState(TrainingState.SCHEMA_VERSION, settings.task(), step,
                task.epochAt(step), settings.seed(), optimizer.step(), lr, Double.isFinite(loss) ? loss : null,
                validation, Double.isFinite(bestValidation) ? bestValidation : null, bestStep,
                evaluationsWithoutImprovement, skipped, Instant.now().toString());
        return Checkpoints.write(checkpointDir, name, target -> task.saveCheckpoint(target, staging -> {
            optimizer.save(staging.resolve(Adam.STATE_FILE));
            Checkpoints.writeState(staging, state);
        }));
    }
}
