package dev.workbench.report;

import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.Recipe;

import java.nio.file.Path;
import java.util.List;

/** The {@code report} stage: builds the report from the run folder and writes it to the run's report folder. */
public final class ReportStage implements Stage {
    public static final String NAME = "report";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled(Recipe recipe) {
        return true;
    }

    @Override
    public void run(RunContext context) throws Exception {
        Report report = ReportBuilder.build(context.runFolder());
        List<Path> files = ReportWriter.write(report, context.reportFolder(), context.recipe().report().formats());
        for (Path file : files) {
            if (!file.getParent().getFileName().toString().equals(ReportWriter.CHARTS)) {
                context.log().println("report: wrote " + file);
            }
        }
    }
}
