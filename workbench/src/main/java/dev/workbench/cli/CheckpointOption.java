package dev.workbench.cli;

import dev.workbench.finetune.Checkpoints;
import dev.workbench.model.hf.CheckpointRef;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --checkpoint} of a command that needs a language model ({@code generate}, {@code export}), as a picocli
 * mixin: a workbench checkpoint folder, a {@code last} pointer file, a run folder (its
 * {@code checkpoints/language_model/best}, else an instruct run's {@code checkpoints/instruct/best}) or {@code hf:DIR}.
 */
final class CheckpointOption {
    @Option(names = "--checkpoint", required = true, paramLabel = "CHECKPOINT",
            description = "workbench checkpoint folder (holds config.json), a 'last' pointer file, a run folder (its "
                    + "checkpoints/language_model/best, else checkpoints/instruct/best), or hf:DIR for a Hugging Face "
                    + "model folder")
    String value;

    CheckpointRef languageModel() {
        return orElseTask("instruct");
    }

    /**
     * The run folder's language model ({@code checkpoints/language_model/best}), else the one of {@code task} when
     * only that exists (an instruct run's causal LM, a classifier for export); a checkpoint or hf: as named.
     */
    private CheckpointRef orElseTask(String task) {
        if (value.startsWith(CheckpointRef.HF_PREFIX)) {
            return CheckpointRef.resolve(value);
        }
        Path path = Path.of(value);
        boolean otherOnly = !java.nio.file.Files.isDirectory(
                dev.workbench.store.RunFolder.bestCheckpoint(path, "language_model"))
                && java.nio.file.Files.isDirectory(dev.workbench.store.RunFolder.bestCheckpoint(path, task));
        return CheckpointRef.resolve(Checkpoints.resolveFolder(path, otherOnly ? task : "language_model").toString());
    }

    /**
     * For {@code export}: like {@link #languageModel()}, but a run folder without a language-model checkpoint gives
     * its classifier's ({@code checkpoints/classifier/best}).
     */
    CheckpointRef languageModelOrClassifier() {
        return orElseTask("classifier");
    }
}
