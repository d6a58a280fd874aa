package dev.workbench.synth;

import java.util.List;

/**
 * What the last fit of a neural synthesizer did, or, for one loaded from a generator folder, what the folder records.
 *
 * @param steps training steps taken, skipped ones included
 * @param skippedSteps steps whose update was skipped because a loss or gradient was not finite
 * @param stepSeconds wall time of every step, for benchmarks (empty for a loaded generator)
 */
public record TrainingFacts(long steps, long skippedSteps, double fitSeconds, List<Double> stepSeconds) {

    public TrainingFacts {
        stepSeconds = List.copyOf(stepSeconds);
    }
}
