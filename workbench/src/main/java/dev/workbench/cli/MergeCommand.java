package dev.workbench.cli;

import dev.workbench.model.CheckpointIO;
import dev.workbench.model.Safetensors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code workbench merge ADAPTER_CHECKPOINT --out DIR}: fold LoRA adapters into plain weights. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Fold the LoRA adapters of a checkpoint into its weights and write a plain checkpoint.")
public final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ADAPTER_CHECKPOINT", description = "checkpoint folder with adapter files")
    Path adapterCheckpoint;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "new checkpoint folder (must not exist)")
    Path out;

    @Option(names = "--dtype", defaultValue = "F32", description = "weights as F32 (default, exact) or BF16")
    Safetensors.DType dtype;

    @Override
    public Integer call() throws IOException {
        int merged = CheckpointIO.saveMerged(adapterCheckpoint, out, dtype);
        spec.commandLine().getOut().println("merged " + merged + " adapters into " + out);
        return 0;
    }
}
