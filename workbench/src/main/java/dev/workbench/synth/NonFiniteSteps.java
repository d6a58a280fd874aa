package dev.workbench.synth;

import dev.workbench.recipe.WorkbenchException;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The neural synthesizers' NaN guard, fine-tuning's rule: a step whose loss or gradient is not finite is skipped (its
 * update not applied; the synthesizer counts it), and {@code training.max_non_finite_steps} such steps in a row stop training as
 * DIVERGED, naming the first and last of them.
 */
final class NonFiniteSteps {
    private final String method;
    private final String stepName;
    private final int limit;
    private int inARow;

    /** @param stepName what a step is called in messages ("generator step", "step") */
    NonFiniteSteps(String method, String stepName, int limit) {
        this.method = method;
        this.stepName = stepName;
        this.limit = limit;
    }

    /** {@code limit}, refused below 1. */
    static int checkedLimit(int limit) {
        if (limit < 1) {
            throw WorkbenchException.invalid("max_non_finite_steps must be at least 1, got " + limit);
        }
        return limit;
    }

    /**
     * Records step {@code step} (1-based); true when it was not finite and so skipped. {@code losses} describes the
     * step's losses for the messages (formatted only for a skipped step), {@code hint} says what to change when training stops.
     *
     * @throws WorkbenchException DIVERGED when this step makes {@code limit} non-finite steps in a row
     */
    boolean skip(boolean finite, long step, Supplier<String> losses, String hint, PrintStream progress) {
        if (finite) {
            inARow = 0;
            return false;
        }
        inARow++;
        if (progress != null) {
            progress.printf(Locale.ROOT, "%s: %s %d: non-finite %s or gradient, update skipped (%d in a row, "
                    + "limit %d)%n", method, stepName, step, losses.get(), inARow, limit);
        }
        if (inARow >= limit) {
            throw new WorkbenchException(WorkbenchException.Kind.DIVERGED, String.format(Locale.ROOT,
                    "%s diverged: a loss or gradient was non-finite from %s %d to step %d (%d steps in a row, "
                            + "training.max_non_finite_steps; last %s). %s", method, stepName, step - inARow + 1,
                    step, inARow, losses.get(), hint));
        }
        return true;
    }
}
