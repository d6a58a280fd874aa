package dev.workbench.finetune;

import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;

/**
 * Learning rate per optimizer step: a linear warmup, then a decay to {@link #FLOOR_FRACTION} of the peak.
 *
 * <p>For a 0-based step {@code s}, peak {@code p}, warmup {@code W}, total steps {@code N} and floor {@code f = 0.1 p}:
 * <ul>
 *   <li>{@code s < W}: {@code p * (s + 1) / W}. The first update already moves (nanoGPT starts at 0 and wastes a step)
 *   and the last warmup step reaches the peak.</li>
 *   <li>otherwise, with progress {@code q = (s - W) / max(1, N - 1 - W)} clamped to [0, 1]:
 *     <ul>
 *       <li>cosine: {@code f + (p - f) * (1 + cos(pi q)) / 2}</li>
 *       <li>linear: {@code p - (p - f) q}</li>
 *       <li>constant: {@code p}</li>
 *     </ul>
 *   so the last step ({@code s = N - 1}) runs at exactly the floor.</li>
 * </ul>
 * The 10 % floor follows nanoGPT ({@code min_lr = learning_rate / 10}, after Chinchilla): decaying to zero wastes
 * the final steps.
 */
public record LrSchedule(Training.LrSchedule shape, double peak, int warmupSteps, long totalSteps) {
    public static final double FLOOR_FRACTION = 0.1;

    public LrSchedule {
        if (!(peak > 0) || !Double.isFinite(peak)) {
            throw WorkbenchException.invalid("learning_rate must be > 0, got " + peak);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw WorkbenchException.invalid("warmup_steps must be >= 0 and the step count >= 1; got " + warmupSteps
                    + " and " + totalSteps);
        }
    }

    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double floor = FLOOR_FRACTION * peak;
        double q = Math.min(1.0, Math.max(0.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - 1 - warmupSteps)));
        return switch (shape) {
            case COSINE -> floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * q));
            case LINEAR -> peak - (peak - floor) * q;
            case CONSTANT -> peak;
        };
    }
}
