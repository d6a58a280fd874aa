package dev.workbench.optim;

import dev.workbench.recipe.WorkbenchException;

/**
 * The NaN guard of every training loop (fine-tuning's and the neural synthesizers'): a step whose loss or gradient is
 * not finite is skipped (its update not applied), and {@code training.max_non_finite_steps} such steps in a row end
 * training as DIVERGED. The guard counts; each loop words its own warning and DIVERGED message and decides when to
 * stop (fine-tuning first writes the step's metrics row).
 */
public final class NonFiniteSteps {
    private final int limit;
    private int inARow;

    /** @param limit non-finite steps in a row that end training; refused below 1 */
    public NonFiniteSteps(int limit) {
        this.limit = checkedLimit(limit);
    }

    /** {@code limit}, refused below 1. */
    public static int checkedLimit(int limit) {
        if (limit < 1) {
            throw WorkbenchException.invalid("max_non_finite_steps must be at least 1, got " + limit);
        }
        return limit;
    }

    /** Records one step; true when it was not finite, so its update is to be skipped. */
    public boolean skip(boolean finite) {
        inARow = finite ? 0 : inARow + 1;
        return !finite;
    }

    /** Non-finite steps in a row up to the last recorded one. */
    public int inARow() {
        return inARow;
    }

    public int limit() {
        return limit;
    }

    /** True once {@link #limit()} non-finite steps came in a row: training stops. */
    public boolean diverged() {
        return inARow >= limit;
    }

    /** The first step (1-based) of the current run of non-finite steps, when {@code step} is the last recorded. */
    public long firstInARow(long step) {
        return step - inARow + 1;
    }
}
