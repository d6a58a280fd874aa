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
}
