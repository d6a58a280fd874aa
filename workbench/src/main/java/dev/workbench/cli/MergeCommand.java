package dev.workbench.cli;

import dev.workbench.finetune.Checkpoints;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.WorkbenchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code workbench merge --checkpoint ADAPTER_CHECKPOINT --out DIR}: fold LoRA adapters into plain weights. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Fold the LoRA adapters of a checkpoint into its weights and write a plain checkpoint.")
public final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "CHECKPOINT",
            description = "checkpoint folder with adapter files, a 'last' pointer file, or a run folder (its "
                    + "checkpoints/language_model/best)")
    Path checkpoint;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ADAPTER_CHECKPOINT",
            description = "Same as --checkpoint (kept for older scripts).")
    Path positional;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "new checkpoint folder (must not exist)")
    Path out;

    @Option(names = {"--precision", "--dtype"}, defaultValue = "fp32", paramLabel = "PRECISION",
            description = "weights as fp32 (default, exact) or bf16, the names of training.precision in a recipe "
                    + "(--dtype, F32 and BF16 are accepted as aliases)")
    String precision;

    @Override
    public Integer call() throws IOException {
        if (checkpoint == null && positional == null) {
            throw WorkbenchException.invalid("merge needs --checkpoint CHECKPOINT (a checkpoint folder with adapters)");
        }
        if (checkpoint != null && positional != null && !checkpoint.equals(positional)) {
            throw WorkbenchException.invalid("merge got both --checkpoint " + checkpoint + " and ADAPTER_CHECKPOINT "
                    + positional + "; give one");
        }
        Path adapters = Checkpoints.resolveFolder(checkpoint != null ? checkpoint : positional, "language_model");
        int merged = CheckpointIO.saveMerged(adapters, out, dtype(precision));
        spec.commandLine().getOut().println("merged " + merged + " adapters into " + out);
        return 0;
    }

    /** The recipe's precision names (fp32, bf16), and the safetensors dtype names (F32, BF16) as aliases. */
    static Safetensors.DType dtype(String precision) {
        return switch (precision.toLowerCase(Locale.ROOT)) {
            case "fp32", "f32" -> Safetensors.DType.F32;
            case "bf16" -> Safetensors.DType.BF16;
            default -> throw WorkbenchException.invalid("--precision must be fp32 or bf16, got '" + precision + "'");
        };
    }
}
