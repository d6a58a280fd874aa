package dev.workbench.finetune;

import java.io.IOException;
import java.util.Optional;

/**
 * Observes {@link TrainingLoop#run} and never changes it: progress, {@code metrics.csv}, peak memory and the log
 * lines are listeners (DJL's {@code TrainingListener}); every decision that changes training stays in the loop.
 * {@link TrainingListeners#defaults} builds the standard set. Each event has a default that ignores it.
 */
interface TrainingListener extends AutoCloseable {

    /**
     * Before the first step, after a resumed run's weights and optimizer state are loaded.
     *
     * @param resumedFrom the state stored in the checkpoint the loop resumes from ({@code state.lastCheckpoint()})
     */
    default void onStart(LoopState state, Optional<TrainingState> resumedFrom) throws IOException {
    }

    /** After each step's update and evaluation, before its checkpoint (so a checkpoint never precedes its row). */
    default void onStep(StepRecord step) throws IOException {
    }

    /** Patience ran out after the step that {@code state} ends with, its checkpoint written: no step follows. */
    default void onEarlyStop(LoopState state) {
    }

    /** Training ended normally with {@code result} (the best weights loaded); not called when it failed. */
    default void onEnd(TrainingLoop.Result result) {
    }

    /** Training ended, however (finished, diverged, failed): release what {@link #onStart} opened. */
    @Override
    default void close() throws IOException {
    }
}
