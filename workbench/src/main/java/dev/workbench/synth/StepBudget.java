package dev.workbench.synth;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * How long a neural synthesizer trains on a table: the larger of {@code epochs} x {@code stepsPerEpoch} and
 * {@code minSteps} steps, in batches of {@code batchSize}; the same figures for {@code workbench plan}, the stage's
 * log line and the training loop.
 *
 * @param stepName what one step is called in messages ("generator step", "step")
 * @param pac rows the critic scores together (CTGAN), when the method has it
 */
public record StepBudget(String stepName, int epochs, int stepsPerEpoch, int minSteps, int batchSize,
                         OptionalInt pac) {

    public long totalSteps() {
        return Math.max((long) epochs * stepsPerEpoch, minSteps);
    }

    /** Epochs the loop opens to reach {@link #totalSteps()}: the last may stop part way. */
    int epochsToRun() {
        return (int) ((totalSteps() + stepsPerEpoch - 1) / stepsPerEpoch);
    }

    /**
     * For {@code workbench plan}: {@code 1000 generator steps (max(30 epochs x 1 steps, 1000 steps)), batch 200, pac
     * 10}.
     */
    public String planText() {
        return String.format(Locale.ROOT, "%d %ss (max(%d epochs x %d steps, %d steps)), batch %d", totalSteps(),
                stepName, epochs, stepsPerEpoch, minSteps, batchSize)
                + (pac.isPresent() ? ", pac " + pac.getAsInt() : "");
    }

    /** For the stage's log: {@code 1000 generator steps (batch 200; the larger of epochs 30 x 1 steps per ...)}. */
    public String logText() {
        return String.format(Locale.ROOT, "%d %ss (batch %d; the larger of epochs %d x %d steps per epoch and steps "
                + "%d)", totalSteps(), stepName, batchSize, epochs, stepsPerEpoch, minSteps);
    }
}
