package dev.workbench.cli;

import dev.workbench.finetune.CheckpointListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code workbench checkpoints list [RUN] [--runs DIR] [--verify]}. */
@Command(name = "checkpoints", mixinStandardHelpOptions = true,
        description = "Checkpoints of fine-tuning runs.",
        subcommands = CheckpointsCommand.ListCommand.class)
public final class CheckpointsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every checkpoint folder under the runs folder (or of one run): task, step, validation "
                    + "loss, and whether it is COMPLETE (only complete ones can be loaded or resumed from).")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--runs", defaultValue = "runs", paramLabel = "DIR",
                description = "runs folder (default: ${DEFAULT-VALUE})")
        Path runs;

        @Parameters(index = "0", arity = "0..1", paramLabel = "RUN",
                description = "only this run: a run id under --runs, or a run folder")
        String run;

        @Option(names = "--verify", description = "re-hash every complete checkpoint against its manifest.json; "
                + "a changed one is listed as CHANGED and the exit code is 2")
        boolean verify;

        @Override
        public Integer call() throws Exception {
            Path root = run == null ? runs : CheckpointListing.runFolder(runs, run);
            Path base = root.toAbsolutePath().normalize().startsWith(runs.toAbsolutePath().normalize()) ? runs : root;
            List<CheckpointListing.Row> rows = CheckpointListing.list(root);
            if (verify) {
                rows = CheckpointListing.verify(rows);
            }
            spec.commandLine().getOut().print(CheckpointListing.render(base, rows));
            spec.commandLine().getOut().flush();
            return rows.stream().anyMatch(r -> r.problem().isPresent()) ? 2 : 0;
        }
    }
}
