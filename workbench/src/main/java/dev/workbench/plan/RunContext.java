package dev.workbench.plan;

import dev.workbench.data.PreparedData;
import dev.workbench.recipe.Recipe;
import dev.workbench.store.MetricsLog;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a stage gets: the recipe, the loaded data, and where to write. Stages hand results to later stages through
 * files in the run folder (checkpoints, synthetic tables, per-example predictions) and through metric rows, so a report
 * can always be rebuilt from what is stored.
 *
 * @param runFolder the run's folder (still {@code .partial} while running)
 * @param reportFolder where the report files go ({@code reports/<recipe>/<run-id>/})
 * @param resumeFrom the folder of an earlier, interrupted run to continue from
 * @param log log lines (stderr-like; not results)
 * @param progress where stages report how far their long steps are (elapsed, ETA); observe-only
 */
public record RunContext(
        Recipe recipe,
        String runId,
        Path runFolder,
        Path reportFolder,
        Path runsRoot,
        PreparedData data,
        MetricsLog metrics,
        Optional<Path> resumeFrom,
        PrintStream log,
        Progress progress) {

    /** A context whose progress is shown as plain lines on {@code log}. */
    public RunContext(Recipe recipe, String runId, Path runFolder, Path reportFolder, Path runsRoot, PreparedData data,
                      MetricsLog metrics, Optional<Path> resumeFrom, PrintStream log) {
        this(recipe, runId, runFolder, reportFolder, runsRoot, data, metrics, resumeFrom, log,
                ConsoleProgress.lines(log));
    }
}
