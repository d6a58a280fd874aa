package dev.workbench.cli;

import dev.workbench.plan.Stage;
import dev.workbench.synth.SynthesizeStage;

import java.util.List;

/**
 * The stages of {@code workbench run}, in order. One explicit list: no service loading, no reflection. A stage that
 * does not exist yet is listed by {@link #unavailable()} so that {@code run} can say so plainly.
 */
public final class Stages {
    private Stages() {
    }

    public static List<Stage> all() {
        return List.of(new SynthesizeStage());
    }

    /** Stages the recipe language already describes but this build cannot run yet. */
    public static List<String> unavailable() {
        return List.of("finetune", "evaluate", "report");
    }
}
