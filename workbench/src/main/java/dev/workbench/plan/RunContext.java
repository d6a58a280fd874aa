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
 * @param log progress and log lines (stderr-like; not results)
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
        PrintStream log) {
}
