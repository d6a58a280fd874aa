package dev.workbench.synth;

import dev.workbench.data.Table;
import dev.workbench.optim.NonFiniteSteps;
import dev.workbench.plan.Progress;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The training scaffold CTGAN and TVAE share: the seeded random streams and encoded table a fit starts from, and the
 * epoch/step loop around the method's own step: progress, per-step timings, the NaN guard (a skipped step's losses
 * stay out of the epoch means; {@code max_non_finite_steps} in a row end the fit as DIVERGED) and the per-epoch loss
 * sums. The counters of the last fit stay readable after DIVERGED.
 */
final class StepTraining {

    /** What a neural fit starts from: the fitted encoder, the encoded rows and the weight-init and training streams. */
    record Start(TableEncoder encoder, TableEncoder.Encoded encoded, Random init, Random train) {
    }

    /** One step's losses, in the method's order, and whether they and every gradient were finite. */
    record Step(double[] losses, boolean finite) {
    }

    /** A method's training step. */
    @FunctionalInterface
    interface Steps {
        /** Called as every epoch starts, before its first step (TVAE shuffles the rows here). */
        default void startEpoch() {
        }

        /** Runs step {@code step} (1-based over the fit), the {@code indexInEpoch}-th (0-based) of its epoch. */
        Step run(long step, int indexInEpoch);
    }

    /** One epoch: each loss summed over the epoch's finite steps. */
    record Epoch(int epoch, long steps, double[] sums, int finiteSteps, double seconds) {
        /** Mean of loss {@code i} over the finite steps: NaN when every step of the epoch was skipped. */
        double mean(int i) {
            return sums[i] / finiteSteps;
        }
    }

    private final String method;
    private final String hint;
    private final Function<double[], String> describeLosses;
    private final Function<double[], String> progressDetail;
    private final List<Double> stepSeconds = new ArrayList<>();
    private long steps;
    private long skippedSteps;
    private double fitSeconds;

    /**
     * @param hint what to change when training diverges
     * @param describeLosses a step's losses in warnings ("critic loss NaN / generator loss 0.7")
     * @param progressDetail a step's losses in progress lines, after "epoch e/E "
     */
    StepTraining(String method, String hint, Function<double[], String> describeLosses,
                 Function<double[], String> progressDetail) {
        this.method = method;
        this.hint = hint;
        this.describeLosses = describeLosses;
        this.progressDetail = progressDetail;
    }

    /** Encodes {@code train}; the streams come from {@code seed} in a fixed order: weights, encoding, training. */
    static Start start(Table train, TableProfile profile, long seed) {
        if (train.rows().isEmpty()) {
            throw WorkbenchException.invalid("synthesize: the training table has no rows");
        }
        Random master = new Random(seed);
        Random init = new Random(master.nextLong());
        Random encode = new Random(master.nextLong());
        Random training = new Random(master.nextLong());
        TableEncoder encoder = TableEncoder.fit(train, profile);
        return new Start(encoder, encoder.encode(train, encode), init, training);
    }

    /**
     * Trains {@code budget} steps of {@code step}, handing every finished epoch to {@code epochs}.
     *
     * @param fitStart {@link System#nanoTime()} at the start of the fit, for {@link TrainingFacts#fitSeconds()}
     * @throws WorkbenchException DIVERGED after {@link FitOptions#maxNonFiniteSteps()} non-finite steps in a row
     */
    void run(long fitStart, StepBudget budget, FitOptions options, Steps step, Consumer<Epoch> epochs) {
        long totalSteps = budget.totalSteps();
        int epochCount = budget.epochsToRun();
        stepSeconds.clear();
        steps = 0;
        skippedSteps = 0;
        NonFiniteSteps guard = new NonFiniteSteps(options.maxNonFiniteSteps());
        try (Progress.Task task = options.progress().start("synthesize " + method, totalSteps, "steps")) {
            for (int epoch = 1; epoch <= epochCount && steps < totalSteps; epoch++) {
                long epochStart = System.nanoTime();
                step.startEpoch();
                double[] sums = null;
                int finiteSteps = 0;
                for (int s = 0; s < budget.stepsPerEpoch() && steps < totalSteps; s++) {
                    long stepStart = System.nanoTime();
                    Step result = step.run(steps + 1, s);
                    stepSeconds.add((System.nanoTime() - stepStart) / 1e9);
                    steps++;
                    sums = sums == null ? new double[result.losses().length] : sums;
                    if (guard.skip(result.finite())) {
                        skippedSteps++;
                        stopWhenDiverged(guard, budget.stepName(), result.losses(), options);
                        continue;
                    }
                    for (int i = 0; i < sums.length; i++) {
                        sums[i] += result.losses()[i];
                    }
                    finiteSteps++;
                    task.update(steps, String.format(Locale.ROOT, "epoch %d/%d ", epoch, epochCount)
                            + progressDetail.apply(result.losses()));
                }
                epochs.accept(new Epoch(epoch, steps, sums, finiteSteps, (System.nanoTime() - epochStart) / 1e9));
            }
        }
        fitSeconds = (System.nanoTime() - fitStart) / 1e9;
    }

    /** Warns of the skipped step; throws DIVERGED when it completes the guard's limit in a row. */
    private void stopWhenDiverged(NonFiniteSteps guard, String stepName, double[] losses, FitOptions options) {
        options.log().printf(Locale.ROOT, "%s: %s %d: non-finite %s or gradient, update skipped (%d in a row, "
                + "limit %d)%n", method, stepName, steps, describeLosses.apply(losses), guard.inARow(), guard.limit());
        if (guard.diverged()) {
            throw new WorkbenchException(WorkbenchException.Kind.DIVERGED, String.format(Locale.ROOT,
                    "%s diverged: a loss or gradient was non-finite from %s %d to step %d (%d steps in a row, "
                            + "training.max_non_finite_steps; last %s). %s", method, stepName,
                    guard.firstInARow(steps), steps, guard.inARow(), describeLosses.apply(losses), hint));
        }
    }

    /** The last fit's counters. */
    TrainingFacts facts() {
        return new TrainingFacts(steps, skippedSteps, fitSeconds, stepSeconds);
    }

    /** The counters a generator folder records, for a loaded synthesizer. */
    void restore(long savedSteps, long savedSkippedSteps, double savedFitSeconds) {
        stepSeconds.clear();
        steps = savedSteps;
        skippedSteps = savedSkippedSteps;
        fitSeconds = savedFitSeconds;
    }
}
