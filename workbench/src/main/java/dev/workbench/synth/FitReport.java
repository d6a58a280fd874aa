package dev.workbench.synth;

import dev.workbench.store.Metric;

import java.util.List;
import java.util.Optional;

/**
 * What a fit gives the synthesize stage to record, beyond its own timings: metric rows and, for methods that keep
 * one, the per-epoch losses table ({@code synthetic/<method>/losses.csv}).
 *
 * @param values final training values ({@link Metric#GENERATOR_LOSS_FINAL}, {@link Metric#GENERATOR_STEPS}, ...) in recording order;
 *     empty for the closed-form baselines
 */
public record FitReport(List<Value> values, Optional<LossTable> losses) {

    public FitReport {
        values = List.copyOf(values);
    }

    /** One metric row of the fit (split {@code train}, n = training rows). */
    public record Value(Metric metric, double value) {
    }

    /** A CSV table: its header line and one formatted line per epoch. */
    public record LossTable(String header, List<String> rows) {
        public LossTable {
            rows = List.copyOf(rows);
        }
    }

    /** The report of a method fitted in closed form: nothing beyond the stage's timings. */
    public static FitReport closedForm() {
        return new FitReport(List.of(), Optional.empty());
    }
}
