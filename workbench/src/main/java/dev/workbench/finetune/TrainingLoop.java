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
import dev.workbench.optim.LossScaler;
import dev.workbench.optim.ModelParameters;
import dev.workbench.optim.NonFiniteSteps;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.plan.ConsoleProgress;
import dev.workbench.plan.Progress;
import dev.workbench.plan.StepSchedule;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
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
 *   <li>every {@code eval_every_steps} (or once per epoch: {@link StepSchedule}) and at the last step: validation
 *   loss, keep-best ({@code best/}), early stopping;</li>
 *   <li>every {@code checkpoint_every_steps} and at the end: a checkpoint folder, then rotation.</li>
 * </ol>
 * Every array a step creates lives in one sub-manager and one {@link NDScope} and is freed when the step ends.
 * Where the loop stands between steps is one {@link LoopState}, replaced by each step. What only observes training
 * (progress, {@code metrics.csv}, peak memory, the start/resume/early-stop/summary lines) is a {@link TrainingListener}
 * of {@link TrainingListeners#defaults}; the warnings that explain a decision (update skipped, checkpoint not
 * written) are printed where the decision is taken.
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

        /**
         * The recipe's training section for a run that follows {@code schedule} (its steps, warmup and validation
         * interval: {@link dev.workbench.plan.TaskPlan#schedule()}).
         */
        public static Settings of(String task, Training training, long seed, StepSchedule schedule) {
            return new Settings(task, schedule.totalSteps(), training.maxGradNorm(),
                    new LrSchedule(training.lrSchedule(), training.learningRate(), schedule.warmupSteps(),
                            schedule.totalSteps()),
                    Adam.Settings.adamW(training.weightDecay()), schedule.evalEverySteps(),
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
    private final Optional<LossScaler.Settings> lossScaling;
    private final boolean concurrentReplicas;

    /** Progress as plain lines on {@code log}. */
    public TrainingLoop(Settings settings, PrintStream log) {
        this(settings, log, ConsoleProgress.lines(log));
    }

    /** @param progress shown the optimizer steps as they complete (elapsed, ETA, loss, learning rate, throughput) */
    public TrainingLoop(Settings settings, PrintStream log, Progress progress) {
        this(settings, log, progress, Optional.empty(), true);
    }

    private TrainingLoop(Settings settings, PrintStream log, Progress progress,
                         Optional<LossScaler.Settings> lossScaling, boolean concurrentReplicas) {
        this.settings = settings;
        this.log = log;
        this.progress = progress;
        this.lossScaling = lossScaling;
        this.concurrentReplicas = concurrentReplicas;
    }

    /**
     * This loop with dynamic loss scaling ({@link LossScaler}, what fp16 training needs): the loss is scaled before
     * backward, gradients unscaled before clipping, and an overflow skips the update and halves the scale without
     * counting towards {@code max_non_finite_steps} (a NaN loss still does). The scaler's state is checkpointed.
     */
    public TrainingLoop withLossScaling(LossScaler.Settings scaling) {
        return new TrainingLoop(settings, log, progress, Optional.of(scaling), concurrentReplicas);
    }

    /** This loop with data-parallel replicas driven one after the other (the tests compare it with concurrent). */
    TrainingLoop withSequentialReplicas() {
        return new TrainingLoop(settings, log, progress, lossScaling, false);
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
        ModelParameters parameters = task.parameters();
        Instant started = Instant.now();
        PeakMemory memory = new PeakMemory();
        LossScaler scaler = lossScaling.map(LossScaler::new).orElse(null);
        try (DataParallel parallel = new DataParallel(devices, concurrentReplicas);
             Adam optimizer = new Adam(settings.optimizer(), device);
             NDManager loopManager = NDManager.newBaseManager(device);
             TrainingListeners listeners = TrainingListeners.defaults(settings, log, progress, metricsCsv, memory)) {
            ParameterStore store = new ParameterStore(loopManager, false);

            // ---- where we start: step 0, or exactly where a checkpoint left off --------------------------------
            LoopState state = LoopState.fresh();
            Optional<TrainingState> resumed = Optional.empty();
            if (resumeFrom.isPresent()) {
                Path folder = resumeFrom.get();
                TrainingState saved = Checkpoints.readState(folder);
                parameters.loadCheckpointWeights(folder);
                optimizer.load(folder.resolve(Adam.STATE_FILE), parameters);
                if (scaler != null && Files.exists(folder.resolve(LossScaler.STATE_FILE))) {
                    scaler.load(folder.resolve(LossScaler.STATE_FILE));
                }
                Path best = checkpointDir.resolve(Checkpoints.BEST);
                // a run that had already stopped early stays stopped when resumed
                state = LoopState.resumed(saved, folder, Checkpoints.isComplete(best) ? best : null,
                        patienceRunOut(saved.evaluationsWithoutImprovement()));
                resumed = Optional.of(saved);
            }
            listeners.onStart(state, resumed);

            NonFiniteSteps nonFinite = new NonFiniteSteps(settings.maxNonFiniteSteps());
            while (state.step() < settings.maxSteps() && !state.stoppedEarly()) {
                long step = state.step();
                long completed = step + 1;
                boolean lastStep = completed == settings.maxSteps();
                double lr = settings.schedule().at(step);
                Engine.getInstance().setRandomSeed(stepSeed(settings.seed(), step));
                long stepStart = System.nanoTime();
                try (NDManager stepManager = loopManager.newSubManager(); NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();

                    // ---- forward/backward over k micro-batches, normalised by the step's total units --------------
                    List<MicroBatch> batches = task.microBatches(step, stepManager);
                    long units = batches.stream().mapToLong(MicroBatch::units).sum();
                    long tokens = batches.stream().mapToLong(MicroBatch::tokens).sum();
                    // one device: just the parameters; several: copies of the weights on each (the broadcast)
                    List<ParameterStore> replicas = parallel.replicate(store, parameters, stepManager);
                    List<List<Optional<MicroBatch>>> sliced = batches.stream().map(parallel::split).toList();
                    double lossSum;
                    // one collector for the step: DJL allows one at a time per process; the replicas' threads
                    // backward through it (PyTorch's autograd runs disjoint graphs from several threads)
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        lossSum = parallel.forEachReplica(r -> {
                            double replicaLoss = 0;
                            for (List<Optional<MicroBatch>> slices : sliced) {
                                if (slices.get(r).isEmpty()) {
                                    continue;
                                }
                                MicroBatch batch = slices.get(r).get();
                                NDArray batchLoss = task.lossSum(replicas.get(r), batch, true);
                                // the divisor as an array on the step's manager, not div(Number): DJL frees that
                                // scalar right after the op, while autograd still needs it for backward (model.Activations)
                                NDArray divisor = stepManager.create((float) Math.max(1, units));
                                NDArray normalised = batchLoss.div(divisor.getDevice().equals(batchLoss.getDevice())
                                        ? divisor : divisor.toDevice(batchLoss.getDevice(), false));
                                collector.backward(scaler == null ? normalised : scaler.scaleLoss(normalised));
                                replicaLoss += batchLoss.toType(DataType.FLOAT64, false).getDouble();
                            }
                            return replicaLoss;
                        });
                    }
                    parallel.reduceGradients(parameters, replicas);
                    double loss = lossSum / Math.max(1, units);

                    // ---- unscale, clip, guard, update -------------------------------------------------------------
                    boolean gradientsFinite = scaler == null || scaler.unscale(parameters);
                    double gradNorm = GradientClipping.clipByGlobalNorm(parameters.trainable().values(),
                            settings.maxGradNorm());
                    boolean finite = Double.isFinite(loss) && Double.isFinite(gradNorm);
                    // an overflow of the scaled fp16 gradients is the scaler's business, not divergence
                    boolean overflow = scaler != null && !finite && Double.isFinite(loss);
                    if (overflow) {
                        log.printf(Locale.ROOT, "%s: step %d: loss scale %.6g overflowed, update skipped, scale now"
                                + " %.6g%n", settings.task(), completed, scaler.scale(),
                                scaler.scale() * lossScaling.get().backoffFactor());
                    } else if (nonFinite.skip(finite)) {
                        log.printf(Locale.ROOT, "%s: step %d: non-finite loss %s / grad norm %s at lr %.3g, "
                                        + "update skipped (%d in a row, limit %d)%n", settings.task(), completed,
                                loss, gradNorm, lr, nonFinite.inARow(), nonFinite.limit());
                    } else {
                        optimizer.update(parameters, lr);
                    }
                    if (scaler != null) {
                        scaler.update(!gradientsFinite || !finite);
                    }
                    parameters.zeroGradients(!finite);
                    double seconds = (System.nanoTime() - stepStart) / 1e9;
                    state = state.trained(completed, lr, loss, !finite, tokens, seconds);

                    // ---- evaluate (finite steps only), keep the best, stop early ----------------------------------
                    boolean evaluate = settings.evalEverySteps() > 0 && completed % settings.evalEverySteps() == 0
                            || lastStep;
                    if (evaluate && finite) {
                        double v = task.validationLoss(store, stepManager);
                        if (Double.isFinite(v)) {
                            boolean improved = v < state.bestValidationLoss();
                            double minDelta = settings.earlyStopping().map(Training.EarlyStopping::minDelta)
                                    .orElse(0.0);
                            int withoutImprovement = v < state.bestValidationLoss() - minDelta ? 0
                                    : state.evaluationsWithoutImprovement() + 1;
                            state = state.evaluated(v, improved, withoutImprovement,
                                    patienceRunOut(withoutImprovement));
                            if (improved) {
                                state = state.withBestCheckpoint(writeCheckpoint(task, optimizer, scaler, checkpointDir,
                                        Checkpoints.BEST, state));
                            }
                        }
                    }
                    listeners.onStep(new StepRecord(completed, task.epochAt(completed), loss, lr, gradNorm, tokens,
                            seconds, state.validationLoss(), nonFinite.diverged()));

                    // ---- checkpoint (only finite weights), then rotate --------------------------------------------
                    boolean due = settings.checkpointEverySteps() > 0
                            && completed % settings.checkpointEverySteps() == 0;
                    if ((due || lastStep || state.stoppedEarly()) && finite) {
                        if (parameters.allFinite()) {
                            state = state.withLastCheckpoint(writeCheckpoint(task, optimizer, scaler, checkpointDir,
                                    Checkpoints.stepFolderName(completed), state));
                            dev.workbench.model.io.CheckpointIO.writeLastPointer(checkpointDir, state.lastCheckpoint());
                            Checkpoints.rotate(checkpointDir, settings.keepCheckpoints());
                        } else {
                            log.printf("%s: step %d: weights are not finite, checkpoint not written%n",
                                    settings.task(), completed);
                        }
                    }

                    // ---- diverged: stop, leaving the last good checkpoint as it is --------------------------------
                    if (nonFinite.diverged()) {
                        throw diverged(completed, lr, loss, state.lastCheckpoint());
                    }
                }
                if (state.stoppedEarly()) {
                    listeners.onEarlyStop(state);
                }
            }

            // ---- keep-best: without validation data the last checkpoint is the best one ---------------------------
            if (state.bestCheckpoint() == null && state.lastCheckpoint() != null) {
                Path source = state.lastCheckpoint();
                state = state.withBestCheckpoint(Checkpoints.write(checkpointDir, Checkpoints.BEST,
                        target -> Checkpoints.copy(source, target)));
            }
            if (state.bestCheckpoint() != null) {
                parameters.loadCheckpointWeights(state.bestCheckpoint());
            }
            double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
            Result result = new Result(state.step(), state.skippedSteps(), state.trainLoss(),
                    state.bestValidationLoss(), state.bestStep(), state.stoppedEarly(), state.bestCheckpoint(),
                    state.lastCheckpoint(), state.tokensPerSecond(), seconds, memory.heapPeakBytes(),
                    PeakMemory.rssPeakBytes());
            listeners.onEnd(result);
            return result;
        }
    }

    /** Early stopping's patience ran out after {@code evaluationsWithoutImprovement} (never without early stopping). */
    private boolean patienceRunOut(int evaluationsWithoutImprovement) {
        return settings.earlyStopping()
                .map(e -> e.patience() > 0 && evaluationsWithoutImprovement >= e.patience()).orElse(false);
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

    /** A checkpoint folder {@code name} of the model, the optimizer and {@code state} (after its step). */
    private Path writeCheckpoint(TrainingTask task, Adam optimizer, LossScaler scaler, Path checkpointDir, String name,
                                 LoopState state) throws IOException {
        TrainingState saved = state.checkpointState(settings.task(), settings.seed(), task.epochAt(state.step()),
                optimizer.step());
        return Checkpoints.write(checkpointDir, name, target -> task.saveCheckpoint(target, staging -> {
            optimizer.save(staging.resolve(Adam.STATE_FILE));
            if (scaler != null) {
                scaler.save(staging.resolve(LossScaler.STATE_FILE));
            }
            Checkpoints.writeState(staging, saved);
        }));
    }
}
