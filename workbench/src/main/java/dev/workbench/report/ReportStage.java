package dev.workbench.report;

import dev.workbench.plan.Progress;
import dev.workbench.plan.RunContext;
import dev.workbench.plan.Stage;
import dev.workbench.recipe.Recipe;

import java.nio.file.Path;
import java.util.ArrayList;
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
        List<String> formats = context.recipe().report().formats();
        List<String> wanted = formats == null || formats.isEmpty() ? ReportWriter.ALL_FORMATS : formats;
        List<Path> files = new ArrayList<>();
        try (Progress.Task parts = context.progress().start(NAME, 1 + wanted.size(), "parts")) {
            parts.update(0, "reading the run folder");
            Report report = ReportBuilder.build(context.runFolder());
            for (int i = 0; i < wanted.size(); i++) {
                parts.update(1 + i, "writing " + wanted.get(i));
                files.addAll(ReportWriter.write(report, context.reportFolder(), List.of(wanted.get(i))));
            }
            parts.update(1 + wanted.size(), "done");
        }
        for (Path file : files) {
            if (!file.getParent().getFileName().toString().equals(ReportWriter.CHARTS)) {
                context.log().println("report: wrote " + file);
            }
        }
    }
}
