package dev.workbench.finetune;

import dev.workbench.plan.Durations;
import dev.workbench.plan.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The listeners of one training run, told of each event in list order, except the end: that goes in reverse order,
 * as nested try-with-resources would close them (the progress task closes, printing where it got to, before the
 * summary line). {@link #defaults} is the standard set, as DJL's {@code TrainingListener.Defaults}.
 */
final class TrainingListeners implements TrainingListener {
    private final List<TrainingListener> listeners;
    private final List<TrainingListener> reversed;

    TrainingListeners(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
        List<TrainingListener> backwards = new ArrayList<>(listeners);
        Collections.reverse(backwards);
        this.reversed = List.copyOf(backwards);
    }

    /**
     * The log lines on {@code log}, peak memory into {@code memory}, one row per step in {@code metricsCsv}, and the
     * steps on {@code progress}.
     */
    static TrainingListeners defaults(TrainingLoop.Settings settings, PrintStream log, Progress progress,
                                      Path metricsCsv, PeakMemory memory) {
        return new TrainingListeners(List.of(new LogLines(settings, log), memory, new MetricsCsv(metricsCsv),
                new StepProgress(settings, progress)));
    }

    @Override
    public void onStart(LoopState state, Optional<TrainingState> resumedFrom) throws IOException {
        for (TrainingListener listener : listeners) {
            listener.onStart(state, resumedFrom);
        }
    }

    @Override
    public void onStep(StepRecord step) throws IOException {
        for (TrainingListener listener : listeners) {
            listener.onStep(step);
        }
    }

    @Override
    public void onEarlyStop(LoopState state) {
        for (TrainingListener listener : listeners) {
            listener.onEarlyStop(state);
        }
    }

    @Override
    public void onEnd(TrainingLoop.Result result) {
        for (TrainingListener listener : reversed) {
            listener.onEnd(result);
        }
    }

    /** Closes every listener in reverse order, even when one fails; the first failure is thrown, later ones added. */
    @Override
    public void close() throws IOException {
        Exception failure = null;
        for (TrainingListener listener : reversed) {
            try {
                listener.close();
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
    }

    /** The loop's log lines: where it starts (or resumes), an early stop, and the closing summary. */
    private static final class LogLines implements TrainingListener {
        private final TrainingLoop.Settings settings;
        private final PrintStream log;

        LogLines(TrainingLoop.Settings settings, PrintStream log) {
            this.settings = settings;
            this.log = log;
        }

        @Override
        public void onStart(LoopState state, Optional<TrainingState> resumedFrom) {
            if (resumedFrom.isPresent()) {
                if (resumedFrom.get().seed() != settings.seed()) {
                    log.printf("warning: resuming a run trained with seed %d under seed %d; data order and dropout "
                            + "will differ from an uninterrupted run%n", resumedFrom.get().seed(), settings.seed());
                }
                log.printf("%s: resuming at step %d of %d from %s%n", settings.task(), state.step(),
                        settings.maxSteps(), state.lastCheckpoint());
            }
            if (state.stoppedEarly()) {
                log.printf("%s: the checkpoint had already stopped early; nothing left to train%n", settings.task());
            }
        }

        @Override
        public void onEarlyStop(LoopState state) {
            log.printf(Locale.ROOT, "%s: early stop at step %d: no validation improvement of %g for %d "
                            + "evaluations (best %.4f at step %d)%n", settings.task(), state.step(),
                    settings.earlyStopping().get().minDelta(), state.evaluationsWithoutImprovement(),
                    state.bestValidationLoss(), state.bestStep());
        }

        @Override
        public void onEnd(TrainingLoop.Result result) {
            String best = Double.isFinite(result.bestValidationLoss()) ? String.format(Locale.ROOT, "%.4f at step %d",
                    result.bestValidationLoss(), result.bestStep()) : "n/a";
            if (result.tokensPerSecond() == 0) {
                // nothing trained in this invocation (a resumed task that had finished): no rate, no memory to report
                log.printf(Locale.ROOT, "%s: already trained (%d of %d steps), nothing to do; best validation loss "
                        + "%s%n", settings.task(), result.steps(), settings.maxSteps(), best);
            } else {
                log.printf(Locale.ROOT, "%s: %d steps in %s, %.0f tokens/s, best validation loss %s; %s%n",
                        settings.task(), result.steps(), Durations.format(result.seconds()),
                        result.tokensPerSecond(), best,
                        PeakMemory.describe(result.heapPeakBytes(), result.rssPeakBytes()));
            }
        }
    }

    /**
     * The optimizer steps on a {@link Progress} task: the first step of this invocation, every
     * {@code log_every_steps}-th, every evaluated one and the last; a step that diverged is not shown as done.
     */
    private static final class StepProgress implements TrainingListener {
        private final TrainingLoop.Settings settings;
        private final Progress progress;
        private Progress.Task steps;
        private long firstStep;

        StepProgress(TrainingLoop.Settings settings, Progress progress) {
            this.settings = settings;
            this.progress = progress;
        }

        @Override
        public void onStart(LoopState state, Optional<TrainingState> resumedFrom) {
            firstStep = state.step();
            steps = progress.start("finetune " + settings.task(), state.step(), settings.maxSteps(), "steps");
        }

        @Override
        public void onStep(StepRecord step) {
            if (step.diverged()) {
                return;
            }
            boolean report = step.step() == firstStep + 1 || step.step() == settings.maxSteps()
                    || step.validationLoss() != null || step.step() % Math.max(1, settings.logEverySteps()) == 0;
            if (report) {
                steps.update(step.step(), String.format(Locale.ROOT, "epoch %.2f loss %.4f lr %.2e grad_norm %.3f "
                                + "%,.0f tok/s%s", step.epoch(), step.trainLoss(), step.learningRate(),
                        step.gradNorm(), step.tokensPerSecond(), step.validationLoss() == null ? ""
                                : String.format(Locale.ROOT, " val %.4f", step.validationLoss())));
            }
        }

        @Override
        public void onEnd(TrainingLoop.Result result) {
            close();
        }

        @Override
        public void close() {
            if (steps != null) {
                steps.close();
                steps = null;
            }
        }
    }
}
