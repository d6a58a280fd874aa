package dev.workbench.plan;

import dev.workbench.recipe.Training;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The step counts one training run follows, worked out from the recipe's {@code training} section and the number of
 * training examples ({@link #of}), so that {@code workbench plan} prints what the loop does.
 *
 * @param totalSteps optimizer steps: {@code training.max_steps}, else enough for {@code epochs} passes
 * @param stepsPerEpoch optimizer steps for one pass over the training examples (rounded up)
 * @param warmupSteps linear-warmup steps: {@code training.warmup_steps}, or {@code ceil(warmup_ratio * totalSteps)}
 * @param evalEverySteps validation (keep-best, early stopping) every N steps and at the last step
 * @param evalPerEpoch whether {@code evalEverySteps} is the steps per epoch ({@code epochs} budget, no
 *                     {@code eval_every_steps} in the recipe) rather than the recipe's number
 */
public record StepSchedule(long totalSteps, long stepsPerEpoch, int warmupSteps, int evalEverySteps,
                           boolean evalPerEpoch) {

    /** The schedule of a run over {@code examples} training examples (windows for a language model, rows else). */
    public static StepSchedule of(Training training, long examples) {
        long perStep = training.effectiveBatchSize();
        long stepsPerEpoch = (examples + perStep - 1) / perStep;
        long total = training.maxSteps().map(Integer::longValue)
                .orElseGet(() -> Math.max(1, (training.epochs().orElse(1) * examples + perStep - 1) / perStep));
        int warmup = training.warmupRatio().map(ratio -> warmupSteps(ratio, total)).orElse(training.warmupSteps());
        boolean perEpoch = training.evalEverySteps().isEmpty();
        int evalEvery = training.evalEverySteps()
                .orElse((int) Math.min(Integer.MAX_VALUE, Math.max(1, stepsPerEpoch)));
        return new StepSchedule(total, stepsPerEpoch, warmup, evalEvery, perEpoch);
    }

    /**
     * {@code ceil(ratio * total)}, as Hugging Face's {@code get_warmup_steps}, but on the ratio as written in decimal
     * (as {@link dev.workbench.data.Splitter} takes split shares): 0.1 of 30 steps is 3, where binary floating point
     * (0.1 * 30 = 3.0000000000000004) would give 4.
     */
    static int warmupSteps(double ratio, long totalSteps) {
        BigDecimal steps = BigDecimal.valueOf(ratio).multiply(BigDecimal.valueOf(totalSteps))
                .setScale(0, RoundingMode.CEILING);
        return steps.min(BigDecimal.valueOf(Integer.MAX_VALUE)).intValueExact();
    }

    /** How often validation runs, for {@code workbench plan}: "every epoch (N steps)" or "every N steps". */
    public String evaluation() {
        return evalPerEpoch
                ? String.format(Locale.ROOT, "every epoch (%,d steps) and at the end", evalEverySteps)
                : String.format(Locale.ROOT, "every %,d steps and at the end", evalEverySteps);
    }
}
