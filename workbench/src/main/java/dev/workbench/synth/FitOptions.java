package dev.workbench.synth;

import dev.workbench.optim.NonFiniteSteps;
import dev.workbench.plan.Progress;
import dev.workbench.recipe.Training;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * How a fit runs, as opposed to what it learns: where warnings go, who is shown the steps, and the NaN guard's limit.
 * The closed-form baselines ignore it.
 *
 * @param log warnings (skipped non-finite steps)
 * @param progress shown every training step
 * @param maxNonFiniteSteps non-finite steps in a row (each skipped) that end the fit as DIVERGED; the recipe's
 *     training.max_non_finite_steps, like fine-tuning
 */
public record FitOptions(PrintStream log, Progress progress, int maxNonFiniteSteps) {

    public FitOptions {
        NonFiniteSteps.checkedLimit(maxNonFiniteSteps);
    }

    /** No output, fine-tuning's default NaN guard. */
    public static FitOptions silent() {
        return new FitOptions(new PrintStream(OutputStream.nullOutputStream()), Progress.silent(),
                Training.DEFAULT_MAX_NON_FINITE_STEPS);
    }

    public FitOptions withMaxNonFiniteSteps(int steps) {
        return new FitOptions(log, progress, steps);
    }
}
