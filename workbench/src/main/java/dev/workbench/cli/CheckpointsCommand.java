package dev.workbench.cli;

import dev.workbench.finetune.CheckpointListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code workbench checkpoints list [--runs DIR]}. */
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
            description = "Every checkpoint folder under the runs folder: task, step, validation loss, and whether it "
                    + "is COMPLETE (only complete ones can be loaded or resumed from).")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--runs", defaultValue = "runs", paramLabel = "DIR",
                description = "runs folder (default: ${DEFAULT-VALUE})")
        Path runs;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().print(CheckpointListing.render(runs, CheckpointListing.list(runs)));
            return 0;
        }
    }
}
