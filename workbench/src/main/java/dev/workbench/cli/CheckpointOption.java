package dev.workbench.cli;

import dev.workbench.finetune.Checkpoints;
import dev.workbench.model.hf.CheckpointRef;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --checkpoint} of a command that needs a language model ({@code generate}, {@code export}), as a picocli
 * mixin: a workbench checkpoint folder, a {@code last} pointer file, a run folder (its
 * {@code checkpoints/language_model/best}) or {@code hf:DIR}.
 */
final class CheckpointOption {
    @Option(names = "--checkpoint", required = true, paramLabel = "CHECKPOINT",
            description = "workbench checkpoint folder (holds config.json), a 'last' pointer file, a run folder (its "
                    + "checkpoints/language_model/best), or hf:DIR for a Hugging Face GPT-2 folder")
    String value;

    CheckpointRef languageModel() {
        return CheckpointRef.resolve(value.startsWith(CheckpointRef.HF_PREFIX) ? value
                : Checkpoints.resolveFolder(Path.of(value), "language_model").toString());
    }

    /**
     * For {@code export}: like {@link #languageModel()}, but a run folder without a language-model checkpoint gives
     * its classifier's ({@code checkpoints/classifier/best}).
     */
    CheckpointRef languageModelOrClassifier() {
        if (value.startsWith(CheckpointRef.HF_PREFIX)) {
            return CheckpointRef.resolve(value);
        }
        Path path = Path.of(value);
        boolean classifierOnly = !java.nio.file.Files.isDirectory(
                dev.workbench.store.RunFolder.bestCheckpoint(path, "language_model"))
                && java.nio.file.Files.isDirectory(dev.workbench.store.RunFolder.bestCheckpoint(path, "classifier"));
        return CheckpointRef.resolve(Checkpoints.resolveFolder(path, classifierOnly ? "classifier"
                : "language_model").toString());
    }
}
