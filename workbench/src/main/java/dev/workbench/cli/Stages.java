package dev.workbench.cli;

import dev.workbench.eval.EvaluateStage;
import dev.workbench.finetune.FinetuneStage;
import dev.workbench.plan.Stage;
import dev.workbench.report.ReportStage;
import dev.workbench.synth.SynthesizeStage;

import java.util.List;

/**
 * The stages of {@code workbench run} that compute results, in order, then {@link #report()}. One explicit list:
 * no service loading, no reflection.
 */
public final class Stages {
    private Stages() {
    }

    public static List<Stage> all() {
        return List.of(new FinetuneStage(), new SynthesizeStage(), new EvaluateStage());
    }

    /**
     * The report is built after the run folder is committed, so that it shows the run as it is stored: status
     * completed, every stage's timing. A report that fails to render leaves a complete run behind, which
     * {@code workbench report RUN_DIR} renders later.
     */
    public static Stage report() {
        return new ReportStage();
    }
}
